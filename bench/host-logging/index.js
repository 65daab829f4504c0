// Runs inside a real VS Code extension host (code-server), loaded as `extensionTestsPath` by
// bench/logging.bench.mjs: opens a Python file (IWB_BENCH_SOURCE, else a generated 5,000-line one), then types into it and measures the
// time from each edit to the logging diagnostics of the new text (setting logging.debounceMs comes from the
// bench; 0 measures the work itself).
const vscode = require('vscode');
const { readFileSync, writeFileSync } = require('fs');

const SOURCE = 'Incident Workbench logging';

function pythonFile(lines) {
  const out = ['import logging', '', 'logger = logging.getLogger(__name__)', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      '',
      `def handler_${i}(request, payload):`,
      `    """Handles case ${i}."""`,
      '    try:',
      `        value = int(payload["n"]) * ${i}`,
      '        logger.info("value %s", value)',
      '        return value',
      '    except (KeyError, ValueError) as e:',
      `        logger.error(f"handler ${i} failed: {e}")`,
      '        return None',
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('incident-workbench.incident-workbench');
  await ext.activate();
  const lines = Number(process.env.IWB_BENCH_LINES || 5000);
  const content = process.env.IWB_BENCH_SOURCE ? readFileSync(process.env.IWB_BENCH_SOURCE, 'utf8') : pythonFile(lines);
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
  const key = doc.uri.toString();
  const next = () =>
    new Promise((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics((e) => {
        if (!e.uris.some((u) => u.toString() === key)) return;
        sub.dispose();
        resolve(vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === SOURCE).length);
      });
    });
  let t = performance.now();
  const first = next();
  const editor = await vscode.window.showTextDocument(doc);
  const findings = await first;
  const firstMs = performance.now() - t;
  const samples = [];
  for (let i = 0; i < 15; i++) {
    await new Promise((r) => setTimeout(r, 150));
    t = performance.now();
    const changed = next();
    await editor.edit((e) => e.insert(new vscode.Position(5 + i * 10, 0), '# typed\n'));
    await changed;
    samples.push(performance.now() - t);
  }
  writeFileSync(process.env.IWB_BENCH_OUT, JSON.stringify({ lines: doc.lineCount, findings, firstMs, samples, debounceMs: vscode.workspace.getConfiguration('incidentWorkbench').get('logging.debounceMs'), vscode: vscode.version }));
};
