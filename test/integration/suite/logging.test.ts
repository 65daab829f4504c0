// The logging linter in a real extension host: diagnostics on open and as you type, each quick fix applied
// through the code action provider, then the fixed file run under real CPython and its log read back.
import { waitFor as waitForDefault } from './wait';
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'incident-workbench.incident-workbench';
const SOURCE = 'Incident Workbench logging';
const FIXTURES = path.join(__dirname, '../../fixtures/logging');

function root(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20000): Promise<T> =>
  waitForDefault(what, async () => (await probe()) || undefined, timeoutMs);

/** Copies a fixture into the workspace (under logging-it/) and opens it. */
async function openFixture(name: string): Promise<vscode.TextDocument> {
  const target = path.join(root().fsPath, 'logging-it', name);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, readFileSync(path.join(FIXTURES, name)));
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function logging(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (!rule || d.code === rule));
}

async function diagnostics(doc: vscode.TextDocument, rule: string, count = 1): Promise<vscode.Diagnostic[]> {
  return waitFor(`${count} ${rule} diagnostic(s) in ${path.basename(doc.uri.fsPath)}`, () => {
    const found = logging(doc.uri, rule);
    return found.length === count ? found : undefined;
  });
}

/** Applies the code action titled like `title` offered for the first `rule` diagnostic; saves. */
async function applyFix(doc: vscode.TextDocument, rule: string, title: RegExp): Promise<void> {
  const [d] = await waitFor(`a ${rule} diagnostic`, () => {
    const found = logging(doc.uri, rule);
    return found.length ? found : undefined;
  });
  const actions = await waitFor(`code actions for ${rule}`, async () => {
    const list = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    return list.some((a) => title.test(a.title)) ? list : undefined;
  });
  const action = actions.find((a) => title.test(a.title))!;
  assert.ok(action.edit, `${action.title} carries an edit`);
  const version = doc.version;
  assert.ok(await vscode.workspace.applyEdit(action.edit), `${action.title} applied`);
  assert.ok(doc.version > version);
  await doc.save();
}

function runPython(file: string, ...args: string[]): string {
  return execFileSync('python3', [file, ...args], { encoding: 'utf8', timeout: 30000, cwd: path.dirname(file) });
}

describe('Logging linter', function () {
  this.timeout(120000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('exception-without-traceback: logger.exception and exc_info=True fixes make the traceback reach the log', async () => {
    const doc = await openFixture('exception_without_traceback.py');
    await diagnostics(doc, 'exception-without-traceback', 2);
    const log = path.join(path.dirname(doc.uri.fsPath), 'exc.log');
    runPython(doc.uri.fsPath, log);
    assert.doesNotMatch(readFileSync(log, 'utf8'), /Traceback/, 'before the fixes the log has no traceback');
    await applyFix(doc, 'exception-without-traceback', /Use logger\.exception/);
    await diagnostics(doc, 'exception-without-traceback', 1);
    await applyFix(doc, 'exception-without-traceback', /Add exc_info=True/);
    await diagnostics(doc, 'exception-without-traceback', 0);
    assert.match(doc.getText(), /logger\.exception\(f"bad quantity/);
    assert.match(doc.getText(), /logger\.critical\("division failed: %s", err, exc_info=True\)/);
    writeFileSync(log, '');
    runPython(doc.uri.fsPath, log);
    const text = readFileSync(log, 'utf8');
    assert.strictEqual(text.match(/Traceback \(most recent call last\)/g)?.length, 2, text);
    assert.match(text, /ValueError: invalid literal for int\(\)/);
    assert.match(text, /ZeroDivisionError: division by zero/);
  });

  it('Insert Structured Logging Setup: the same program then writes JSON lines with the traceback as a field', async () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath.endsWith('exception_without_traceback.py'))!;
    await vscode.window.showTextDocument(doc);
    const result = (await vscode.commands.executeCommand('incidentWorkbench.insertStructuredLoggingSetup')) as { applied: boolean; replacedBasicConfig: number };
    assert.deepStrictEqual([result.applied, result.replacedBasicConfig], [true, 1]);
    await doc.save();
    const log = path.join(path.dirname(doc.uri.fsPath), 'exc-json.log');
    runPython(doc.uri.fsPath, log);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepStrictEqual(lines.map((l) => l.level), ['ERROR', 'CRITICAL']);
    for (const l of lines) assert.match(l.exception!, /^Traceback \(most recent call last\)/);
  });

  it('swallowed-exception: each handler logs what it used to hide', async () => {
    const doc = await openFixture('swallowed_exception.py');
    await diagnostics(doc, 'swallowed-exception', 3);
    for (let left = 3; left > 0; left--) {
      await applyFix(doc, 'swallowed-exception', /Log it with logger\.exception/);
      await diagnostics(doc, 'swallowed-exception', left - 1);
    }
    const log = path.join(path.dirname(doc.uri.fsPath), 'swallowed.log');
    runPython(doc.uri.fsPath, log);
    const text = readFileSync(log, 'utf8');
    for (const what of ['Unexpected error in read_config', 'FileNotFoundError', 'Unexpected error in first_item', 'IndexError', 'Unexpected error in each', 'ValueError']) assert.ok(text.includes(what), `${what} in\n${text}`);
  });

  it('missing-context: the fix adds the request id, and the logged error now carries it', async () => {
    const doc = await openFixture('missing_context.py');
    await diagnostics(doc, 'missing-context');
    await applyFix(doc, 'missing-context', /Add request_id in extra/);
    await diagnostics(doc, 'missing-context', 0);
    assert.match(doc.getText(), /logger\.exception\("order failed", extra=\{"request_id": self\.headers\.get\("X-Request-ID"\)\}\)/);
    const log = path.join(path.dirname(doc.uri.fsPath), 'context.log');
    runPython(doc.uri.fsPath, log);
    const text = readFileSync(log, 'utf8');
    assert.match(text, /ERROR order failed request_id=req-42\nTraceback \(most recent call last\)/);
    assert.match(text, /KeyError: 'price'/);
  });

  it('eager-formatting: the lazy rewrite logs exactly the same text', async () => {
    const doc = await openFixture('eager_formatting.py');
    await diagnostics(doc, 'eager-formatting', 4);
    const log = path.join(path.dirname(doc.uri.fsPath), 'eager.log');
    runPython(doc.uri.fsPath, log);
    const before = readFileSync(log, 'utf8');
    for (let left = 4; left > 1; left--) {
      await applyFix(doc, 'eager-formatting', /lazy %s formatting/);
      await diagnostics(doc, 'eager-formatting', left - 1);
    }
    assert.match(doc.getText(), /log\.info\("pricing %s at %\.2f %s", sku, amount, currency\)/);
    writeFileSync(log, '');
    runPython(doc.uri.fsPath, log);
    assert.strictEqual(readFileSync(log, 'utf8'), before);
  });

  it('sensitive-data: redacting the arguments keeps the secrets out of the log', async () => {
    const doc = await openFixture('sensitive_data.py');
    await diagnostics(doc, 'sensitive-data', 3);
    for (let left = 3; left > 0; left--) {
      await applyFix(doc, 'sensitive-data', /^Redact /);
      await diagnostics(doc, 'sensitive-data', left - 1);
    }
    const log = path.join(path.dirname(doc.uri.fsPath), 'sensitive.log');
    runPython(doc.uri.fsPath, log);
    const text = readFileSync(log, 'utf8');
    assert.match(text, /login ada with \[REDACTED\]/);
    for (const secret of ['hunter2-secret', 'abc.def.ghi', 'sk_live_0123456789abcdefghij']) assert.ok(!text.includes(secret), secret);
  });

  it('print-logging: print becomes logger.info with a module logger, and the output moves into the log', async () => {
    const doc = await openFixture('print_logging.py');
    await diagnostics(doc, 'print-logging', 2);
    await applyFix(doc, 'print-logging', /Replace print\(\) with logger\.info\(\.\.\.\) and add a module logger/);
    await diagnostics(doc, 'print-logging', 1);
    await applyFix(doc, 'print-logging', /Replace print\(\) with logger\.info/);
    await diagnostics(doc, 'print-logging', 0);
    assert.match(doc.getText(), /^import json\nimport logging\n\nlogger = logging\.getLogger\(__name__\)\n/m);
    const dir = path.dirname(doc.uri.fsPath);
    const log = path.join(dir, 'print.log');
    const script = `import logging, sys\nlogging.basicConfig(filename=sys.argv[1], level=logging.INFO, format="%(name)s %(message)s")\nimport print_logging\nprint_logging.load_order('{"id": "o-1", "items": [1, 2], "total": 3.5}')\n`;
    writeFileSync(path.join(dir, 'drive_print.py'), script);
    runPython(path.join(dir, 'drive_print.py'), log);
    assert.strictEqual(readFileSync(log, 'utf8'), "print_logging loaded order o-1 with 2 items\nprint_logging total is 3.50 for 'o-1'\n");
  });

  it('diagnostics follow typing (debounced) and the ignore action silences one line', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef f(x):\n    return x\n' });
    const editor = await vscode.window.showTextDocument(doc);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(logging(doc.uri), []);
    await editor.edit((e) => e.insert(new vscode.Position(6, 0), '    log.info(f"got {x}")\n'));
    await diagnostics(doc, 'eager-formatting');
    await applyFixUnsaved(doc, 'eager-formatting', /^Ignore eager-formatting/);
    await diagnostics(doc, 'eager-formatting', 0);
    assert.match(doc.getText(), /log\.info\(f"got \{x\}"\) {2}# iwb: ignore\[eager-formatting\]/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Scan Workspace Logging lints files that are not open and reports the totals', async () => {
    const dir = path.join(root().fsPath, 'logging-scan');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'closed.py'), 'import logging\nlogger = logging.getLogger(__name__)\n\ndef f(x):\n    try:\n        return 1 / x\n    except Exception:\n        pass\n');
    writeFileSync(path.join(dir, 'latin1.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
    const result = (await vscode.commands.executeCommand('incidentWorkbench.scanWorkspaceLogging')) as { files: number; findings: number; errors: number; skipped: { path: string; reason: string }[]; cancelled: boolean };
    assert.strictEqual(result.cancelled, false);
    assert.ok(result.files >= 2 && result.findings >= 1 && result.errors >= 1, JSON.stringify(result));
    assert.ok(result.skipped.some((s) => s.path.endsWith('latin1.py') && /not UTF-8/.test(s.reason)), JSON.stringify(result.skipped));
    const closed = vscode.Uri.file(path.join(dir, 'closed.py'));
    assert.deepStrictEqual(logging(closed).map((d) => `${d.range.start.line + 1} ${d.code}`), ['7 swallowed-exception']);
  });

  it('Attach Evidence copies a log redacted and records how many values were replaced', async () => {
    const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Secrets in logs', severity: 'LOW' })) as { id: string };
    const source = path.join(root().fsPath, 'logging-it', 'secrets.log');
    writeFileSync(source, 'login user=ada password=hunter2-secret\nAuthorization: Bearer abcdefghijklmnop123\ncard 4111 1111 1111 1111 for ada@example.com\n');
    const result = (await vscode.commands.executeCommand('incidentWorkbench.attachEvidence', incident.id, { uri: vscode.Uri.file(source), kind: 'logs' })) as { status: string };
    assert.strictEqual(result.status, 'applied');
    const folder = path.join(root().fsPath, '.incidents', incident.id);
    const copied = readFileSync(path.join(folder, 'evidence', 'logs', 'secrets.log'), 'utf8');
    for (const secret of ['hunter2-secret', 'abcdefghijklmnop123', '4111 1111 1111 1111', 'ada@example.com']) assert.ok(!copied.includes(secret), `${secret} leaked`);
    const json = JSON.parse(readFileSync(path.join(folder, 'incident.json'), 'utf8')) as { evidence: { path: string; redaction?: { ran: boolean; replaced: number; byKind?: Record<string, number> } }[] };
    const byKind = { field: 1, 'auth-header': 1, card: 1, email: 1 };
    assert.deepStrictEqual(json.evidence.at(-1), { ...json.evidence.at(-1), path: 'evidence/logs/secrets.log', redaction: { ran: true, replaced: 4, byKind } });
  });

  it('Import Evidence Bundle redacts logs and trace attributes on the way into .incidents/', async () => {
    const incident = (await vscode.commands.executeCommand('incidentWorkbench.newIncident', { title: 'Bundle with secrets', severity: 'LOW' })) as { id: string };
    const bundle = path.join(root().fsPath, 'logging-it', 'bundle');
    mkdirSync(bundle, { recursive: true });
    writeFileSync(path.join(bundle, 'service.log'), '2026-11-29 10:00:00 ERROR login failed for ada@example.com password=hunter2-secret\n');
    const span = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'POST /login', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [{ key: 'http.request.header.authorization', value: { stringValue: 'Bearer sk_live_0123456789abcdefghij' } }] };
    writeFileSync(path.join(bundle, 'trace.json'), JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 't' }, spans: [span] }] }] }));
    const placed = (await vscode.commands.executeCommand('incidentWorkbench.importEvidenceBundle', incident.id, vscode.Uri.file(bundle))) as { path: string; skipped?: string; redaction?: { ran: boolean; replaced: number } }[];
    assert.ok(placed && placed.length === 2 && placed.every((p) => !p.skipped), JSON.stringify(placed));
    const folder = path.join(root().fsPath, '.incidents', incident.id);
    const copied = placed.map((p) => readFileSync(path.join(folder, p.path), 'utf8')).join('\n');
    for (const secret of ['ada@example.com', 'hunter2-secret', 'sk_live_0123456789abcdefghij']) assert.ok(!copied.includes(secret), `${secret} leaked into ${copied}`);
    assert.match(copied, /5b8efff798038103d269b633813fc60c/, 'trace ids are kept');
    const json = JSON.parse(readFileSync(path.join(folder, 'incident.json'), 'utf8')) as { evidence: { redaction?: { ran: boolean; replaced: number } }[] };
    assert.deepStrictEqual(json.evidence.map((e) => e.redaction?.ran), [true, true]);
    assert.strictEqual(json.evidence.reduce((n, e) => n + (e.redaction?.replaced ?? 0), 0), 3);
  });
});

async function applyFixUnsaved(doc: vscode.TextDocument, rule: string, title: RegExp): Promise<void> {
  const [d] = logging(doc.uri, rule);
  assert.ok(d);
  const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range)) ?? [];
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action?.edit, `${actions.map((a) => a.title)}`);
  assert.ok(await vscode.workspace.applyEdit(action.edit));
}
