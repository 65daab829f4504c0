// Proves the harness itself: we run inside a real VS Code extension host and our extension is there.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';

describe('integration harness', () => {
  it('runs inside a VS Code extension host', () => {
    assert.strictEqual(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('finds and activates the extension under development', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('opens the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1, 'exactly one workspace folder');
  });
});
