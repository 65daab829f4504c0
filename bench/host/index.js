// Runs inside a real VS Code extension host (code-server), loaded as `extensionTestsPath` by
// bench/foundation.bench.mjs: activates the extension under development and writes what activation cost.
const vscode = require('vscode');
const { writeFileSync } = require('fs');

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('incident-workbench.incident-workbench');
  const t = performance.now();
  const api = await ext.activate();
  const hostMs = performance.now() - t;
  writeFileSync(process.env.IWB_BENCH_OUT, JSON.stringify({ ...api, hostMs, vscode: vscode.version }));
};
