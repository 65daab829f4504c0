/**
 * The vscode-elements components the apps use, registered once. Importing each component's module (not the
 * whole library) keeps every bundle to what it draws.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
