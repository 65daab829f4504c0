/**
 * Every webview page. Each is one browser bundle, built by esbuild.mjs from webview/<app>/index.ts to
 * dist/webview/<app>.js, and the host's HTML builder only accepts these names.
 */
export const WEBVIEW_APPS = ['abtest', 'errorDetails', 'flamegraph', 'incident', 'memory', 'mlmodel', 'postmortem', 'rollback', 'stacks', 'traceCompare', 'traceSearch', 'waterfall'] as const;

export type WebviewApp = (typeof WEBVIEW_APPS)[number];
