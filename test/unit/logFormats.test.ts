// Logs of systems beyond Python's logging module: Go programs (logfmt, zap's console encoder), Debian's tools
// (dpkg, update-alternatives), structlog's console and werkzeug's coloured access lines. The message is what
// the logging call said, the context pairs and JSON fields are not part of its template, and lines get their
// time and level. Fixtures: test/fixtures/logs-go/ and logs-python/ (recorded from the real programs, NOTE.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { unwrapContainerLine, withRuntimeTime } from '../../src/core/logs/containerLogs';
import { parseLogfmt } from '../../src/core/logs/logfmt';
import { readText, startsCleanly } from '../../src/core/logs/reader';
import { isErrorRecord } from '../../src/core/logs/types';
import { stripAnsi } from '../../src/core/logs/values';
import { syslogLine } from '../../src/core/logs/syslogPrefix';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { analyzeLogFiles } from '../../src/core/errors/load';
import { maskMessage } from '../../src/core/patterns/masking';
import { parseTextHeader } from '../../src/core/logs/textHeader';
import { repoRoot } from './helpers';

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/logs-go', name);
const pyFixture = (name: string) => path.join(repoRoot, 'test/fixtures/logs-python', name);

/** A fixture's text, and its patterns by template. */
async function patternsOfFile(file: string) {
  const text = readFileSync(file, 'utf8');
  const { report } = await analyzePatternFiles([file]);
  return { text, report, byTemplate: new Map(report.patterns.map((p) => [p.template, p])) };
}

test('logfmt: pairs with bare and quoted values; what is not logfmt is left alone', () => {
  const line = 'ts=2026-12-06T12:40:29.963Z caller=scrape.go:1351 level=debug component="scrape manager" msg="Scrape failed" err="Get \\"http://127.0.0.1:19998/metrics\\": dial tcp: refused\\n"';
  assert.deepEqual(parseLogfmt(line), {
    message: 'Scrape failed',
    time: '2026-12-06T12:40:29.963Z',
    level: 'debug',
    logger: 'scrape manager',
    error: 'Get "http://127.0.0.1:19998/metrics": dial tcp: refused\n',
  });
  // Without msg, the pairs but time, level and caller are the message.
  assert.deepEqual(parseLogfmt('ts=2026-12-06T12:37:44.366Z caller=main.go:559 level=info vm_limits="(soft=unlimited, hard=unlimited)"'), {
    message: 'vm_limits="(soft=unlimited, hard=unlimited)"',
    time: '2026-12-06T12:37:44.366Z',
    level: 'info',
  });
  assert.equal(parseLogfmt('time="2026-12-06 12:00:00" level=warning msg=retrying attempt=3')?.message, 'retrying');
  for (const text of ['user 7 logged in', 'a = b', 'x=1 y=2', 'level=info', 'GET /x?a=1 HTTP/1.1', 'key=value and more words', 'msg="unterminated level=info', 'msg="a"b level=info', '=x level=info', ''])
    assert.equal(parseLogfmt(text), undefined, text);
});

test('property: logfmt as Go writes it reads back; anything else never throws', () => {
  const key = fc.stringMatching(/^[a-z_][a-z0-9_.]{0,8}$/).filter((k) => !['ts', 'time', 't', 'timestamp', 'level', 'lvl', 'severity', 'loglevel', 'msg', 'message', 'caller', 'source'].includes(k));
  // Go kit quotes a value that is empty or holds a space, `=`, `"` or a control character (strconv.Quote).
  // eslint-disable-next-line no-control-regex
  const quote = (v: string) => (v === '' || /[\s="\\\x00-\x1f]/.test(v) ? JSON.stringify(v) : v);
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), fc.array(fc.tuple(key, fc.string({ maxLength: 20 })), { maxLength: 5 }), (msg, pairs) => {
      const line = [`ts=2026-12-06T12:00:00Z`, `level=info`, `msg=${quote(msg)}`, ...pairs.map(([k, v]) => `${k}=${quote(v)}`)].join(' ');
      const r = parseLogfmt(line);
      assert.ok(r, line);
      assert.equal(r.message, msg);
      assert.equal(r.level, 'info');
      assert.equal(r.time, '2026-12-06T12:00:00Z');
    }),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }), (s) => {
      const r = parseLogfmt(s);
      if (r) assert.equal(typeof r.message, 'string');
    }),
    { numRuns: 500 },
  );
});

test('a real Prometheus log: patterns are its msg texts, with their time and level', async () => {
  const { text, report, byTemplate } = await patternsOfFile(fixture('prometheus-debug.log'));
  const lines = text.trimEnd().split('\n');
  assert.equal(report.records, lines.length);
  const scrapeFailed = lines.filter((l) => l.includes('msg="Scrape failed"')).length;
  assert.ok(scrapeFailed >= 2, 'the recording has repeated scrape failures');
  assert.equal(byTemplate.get('Scrape failed')?.count, scrapeFailed);
  assert.deepEqual(Object.keys(byTemplate.get('Scrape failed')!.levels), ['DEBUG']);
  assert.equal(byTemplate.get('Starting Prometheus Server')?.count, 1);
  assert.equal(byTemplate.get('Received SIGTERM, exiting gracefully...')?.levels.WARNING, 1);
  for (const p of report.patterns) assert.ok(!/\b(?:ts|caller|level)=/.test(p.template), p.template);
  // Every line has its time: the first and last pattern times are the file's.
  assert.equal(report.firstSeen, new Date(Date.parse(/^ts=(\S+)/.exec(lines[0]!)![1]!)).toISOString());
  assert.equal(report.lastSeen, new Date(Date.parse(/^ts=(\S+)/.exec(lines[lines.length - 1]!)![1]!)).toISOString());
});

test('a real Prometheus error line is an error event of the Errors view, its message what failed and why', () => {
  const { records } = readText(readFileSync(fixture('prometheus-port-in-use.log'), 'utf8'));
  assert.equal(records.length, 1);
  const r = records[0]!;
  assert.equal(r.level, 'ERROR');
  assert.match(r.message, /^Unable to start web listener: listen tcp 127\.0\.0\.1:\d+: bind: address already in use$/);
  assert.equal(typeof r.timestamp, 'number');
});

test("a real Jaeger log (zap's console encoder): the caller and the JSON fields are not the message", async () => {
  const { text, report, byTemplate } = await patternsOfFile(fixture('jaeger.log'));
  const starting = text.split('\n').filter((l) => l.includes('\tExtension is starting...\t')).length;
  assert.ok(starting >= 2);
  assert.equal(byTemplate.get('Extension is starting...')?.count, starting);
  assert.ok([...byTemplate.keys()].some((t) => t.startsWith('Initializing storage ')));
  for (const p of report.patterns) assert.ok(!p.template.includes('{"resource"') && !/\.go:/.test(p.template), p.template);
  assert.ok(report.patterns.filter((p) => p.levels.INFO).length > 5);
});

test('headers of Debian tools: a version number is not a time, a clock may end the header with a colon', () => {
  const dpkg = '2025-06-24 14:36:52 configure libksba8:amd64 1.6.3-2 <none>';
  const h = parseTextHeader(dpkg)!;
  assert.equal(dpkg.slice(h.start), 'configure libksba8:amd64 1.6.3-2 <none>');
  assert.equal(h.timestamp, Date.parse('2025-06-24T14:36:52Z'));
  for (const version of ['3.1-20221030-2', '2022.1-1', '1:14.0.6-12']) {
    const line = `2026-05-09 07:29:28 configure x11proto-dev:all ${version} <none>`;
    assert.equal(line.slice(parseTextHeader(line)!.start), `configure x11proto-dev:all ${version} <none>`);
  }
  const alt = 'update-alternatives 2025-06-24 14:36:29: run with --install /usr/bin/pager pager /bin/more 50';
  const a = parseTextHeader(alt)!;
  assert.equal(alt.slice(a.start), 'run with --install /usr/bin/pager pager /bin/more 50');
  assert.equal(a.timestamp, Date.parse('2025-06-24T14:36:29Z'));
  // Dates that do follow header words still belong to the header (BGL, Thunderbird).
  const bgl = '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected';
  assert.equal(bgl.slice(parseTextHeader(bgl)!.start), 'instruction cache parity error corrected');
});

test('exported records: a record id and fields before an epoch time are header, whatever the fields are', () => {
  // The shape of Loghub's HPC lines (LogId Node Component State Time Flag Content).
  const cases: [string, string, string | undefined][] = [
    ['2579921 node-140 node status 1074216940 1 running', 'running', undefined],
    ['2286759 full partition status 1061219795 -1 running', 'running', undefined],
    ['371878 node-64 node status 1085921340 -1 configured out', 'configured out', undefined],
    ['91679 3440 boot_cmd success 1109728975 1 Command has completed successfully', 'Command has completed successfully', undefined],
    ['2560209 Interconnect-1N01 switch_module error 1073192214 1 Link ok', 'Link ok', 'ERROR'],
    ['134681 node-246 unix.hw state_change.unavailable 1077804742 1 warning', 'warning', undefined],
  ];
  for (const [line, message, level] of cases) {
    const h = parseTextHeader(line)!;
    assert.equal(line.slice(h.start), message, line);
    assert.equal(h.level, level, line);
    assert.equal(h.timestamp, Number(/ (1\d{9}) /.exec(line)![1]) * 1000, line);
  }
  // A count that starts a message, and a number without an epoch time after it, stay in the message.
  for (const line of ['640404 floating point alignment exceptions', '3 retries failed for job 17 after 30 s']) assert.equal(parseTextHeader(line), undefined, line);
});

test('a month or weekday is a time only next to one: "May change" stays words', () => {
  assert.deepEqual(maskMessage('Development component. May change in the future.'), ['Development', 'component.', 'May', 'change', 'in', 'the', 'future.']);
  assert.deepEqual(maskMessage('expires Fri Jun 17 07:07:00 2005'), ['expires', '<time>', '<time>', '<num>', '<time>', '<num>']);
});

test("structlog's console lines: the level padded in brackets, the event and its pairs", async () => {
  const { text, report, byTemplate } = await patternsOfFile(pyFixture('structlog.log'));
  const lines = text.trimEnd().split('\n');
  const declined = lines.filter((l) => l.includes('[error    ] payment declined')).length;
  assert.ok(declined > 0);
  const p = report.patterns.find((x) => x.template.startsWith('payment declined order=<num>'));
  assert.ok(p, [...byTemplate.keys()].join(' | '));
  assert.deepEqual(p.levels, { ERROR: declined });
  assert.equal(byTemplate.get('user logged in user_id=<num>')?.levels.INFO, lines.filter((l) => l.includes('user logged in')).length);
  // every line has its time
  for (const x of report.patterns) assert.ok(x.firstSeen, x.template);
});

test('terminal colour codes are not part of a message; coloured access lines group with the plain ones', async () => {
  assert.equal(stripAnsi('\x1b[35m\x1b[1m"GET /items/7 HTTP/1.1" 500 -\x1b[0m'), '"GET /items/7 HTTP/1.1" 500 -');
  assert.equal(stripAnsi('no codes'), 'no codes');
  const file = pyFixture('flask.log');
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes('\x1b['), 'the recording has coloured lines');
  const access = text.split('\n').filter((l) => l.includes(' INFO werkzeug: 127.0.0.1 - - [')).length;
  const { report } = await analyzePatternFiles([file]);
  const accessPatterns = report.patterns.filter((p) => p.template.includes('HTTP/<num>') && p.template.startsWith('<ip> - - ['));
  assert.equal(accessPatterns.length, 1, report.patterns.map((p) => p.template).join(' | '));
  assert.equal(accessPatterns[0]!.count, access);
  for (const p of report.patterns) assert.ok(!p.template.includes('\x1b') && !/\[<num>m/.test(p.template), p.template);
  // The view's raise is an error event with its traceback in the Errors view's reader.
  const { records } = readText(text);
  assert.equal(records.length, text.split('\n').filter((l) => l.includes('Exception on /items/')).length);
  assert.ok(records.every((r) => r.level === 'ERROR' && r.exception?.chain.at(-1)?.type === 'ValueError'));
});

test('absl (glog headers, no year): level, time and message; an exception logged with its traceback is an error event', async () => {
  const { text, report, byTemplate } = await patternsOfFile(pyFixture('absl.log'));
  const steps = text.split('\n').filter((l) => l.includes('] step ')).length;
  assert.deepEqual(byTemplate.get('step <num> loss <num> lr <num>')?.levels, { INFO: steps });
  assert.equal(byTemplate.get('learning rate warmup finished after <num> steps')?.levels.WARNING, 1);
  const first = new Date(Date.parse(report.firstSeen!));
  const [, mm, dd, clock] = /^I(\d\d)(\d\d) (\d\d:\d\d:\d\d)/.exec(text)!;
  assert.deepEqual([first.getUTCMonth() + 1, first.getUTCDate(), first.toISOString().slice(11, 19)], [Number(mm), Number(dd), clock]);
  const { records } = readText(text);
  assert.equal(records.length, text.split('\n').filter((l) => l.startsWith('E')).length);
  const withTraceback = records.filter((r) => r.exception);
  assert.ok(withTraceback.length >= 1);
  for (const r of withTraceback) assert.equal(r.exception!.chain.at(-1)!.type, 'KeyError');
});

test('more headers: gunicorn, Celery, syslog priorities (RFC 3164 and 5424), ctime with its year', () => {
  const cases: [string, string, string | undefined, string | undefined][] = [
    ['[2026-12-06 12:00:05 +0000] [1234] [ERROR] Worker (pid:1240) was sent SIGKILL!', 'Worker (pid:1240) was sent SIGKILL!', 'ERROR', '2026-12-06T12:00:05.000Z'],
    ['[2026-12-06 12:00:06,123: INFO/MainProcess] Task tasks.add[8f3e] succeeded in 0.12s: 5', 'Task tasks.add[8f3e] succeeded in 0.12s: 5', 'INFO', '2026-12-06T12:00:06.123Z'],
    ['[2026-12-06 12:00:07,124: ERROR/ForkPoolWorker-1] Task tasks.fail[8f3f] raised unexpected', 'Task tasks.fail[8f3f] raised unexpected', 'ERROR', '2026-12-06T12:00:07.124Z'],
    ['<165>1 2026-12-06T12:00:11.003Z myhost myapp 1234 ID47 - started worker 3', 'started worker 3', 'NOTICE', '2026-12-06T12:00:11.003Z'],
    ['Sun Dec 04 04:47:44 2005 disk full on /dev/sda1', 'disk full on /dev/sda1', undefined, '2005-12-04T04:47:44.000Z'],
    ['[W1206 12:00:03.123456 1234 ProcessGroupNCCL.cpp:1234] Warning: NCCL timeout in rank 3', 'Warning: NCCL timeout in rank 3', 'WARNING', undefined],
  ];
  for (const [line, message, level, time] of cases) {
    const h = parseTextHeader(line);
    assert.ok(h, line);
    assert.equal(line.slice(h.start), message, line);
    assert.equal(h.level, level, line);
    if (time) assert.equal(new Date(h.timestamp!).toISOString(), time, line);
  }
  const pri = '<11>Dec  6 12:00:10 myhost myapp[123]: connection from 10.0.0.1 closed';
  const h = parseTextHeader(pri)!;
  assert.equal(pri.slice(h.start), 'connection from 10.0.0.1 closed');
  assert.equal(h.level, 'ERROR');
  // No year on the line: this year's date, or last year's when that would be in the future.
  const t = new Date(h.timestamp!);
  assert.deepEqual([t.getUTCMonth(), t.getUTCDate(), t.toISOString().slice(11, 19)], [11, 6, '12:00:10']);
  assert.ok(h.timestamp! <= Date.now() + 86_400_000 && h.timestamp! > Date.now() - 366 * 86_400_000);
});

test('java.util.logging writes a record on two lines: one record, the time from the first', async () => {
  const { text, report, byTemplate } = await patternsOfFile(path.join(repoRoot, 'test/fixtures/logs-java/jul.log'));
  const count = (prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix)).length;
  assert.equal(report.records, count('INFO: ') + count('WARNING: ') + count('SEVERE: '));
  assert.deepEqual(byTemplate.get('order <num> placed by user <num>')?.levels, { INFO: count('INFO: ') });
  assert.deepEqual(byTemplate.get('payment failed for order <num>')?.levels, { ERROR: count('SEVERE: ') });
  for (const p of report.patterns) assert.ok(p.firstSeen && !p.template.includes(' PM '), p.template);
  const { records } = readText(text);
  assert.equal(records.length, count('SEVERE: '));
  // Worker threads cut a big log only where a record starts: at the time line, not between it and its message.
  assert.equal(startsCleanly('Dec 06, 2026 12:47:01 PM Shop main', false), true);
  assert.equal(startsCleanly('SEVERE: payment failed for order 1', false), false);
  assert.equal(startsCleanly('ERROR:root:boom', false), true);
  for (const r of records) {
    assert.ok(isErrorRecord(r), r.level);
    assert.equal(r.logger, 'Shop');
    assert.equal(typeof r.timestamp, 'number');
  }
});

test("a real PostgreSQL log: LOG is its info level, ERROR and FATAL lines are error events", async () => {
  const file = path.join(repoRoot, 'test/fixtures/logs-postgres/postgresql.log');
  const text = readFileSync(file, 'utf8');
  const count = (s: string) => text.split('\n').filter((l) => l.includes(s)).length;
  const { report } = await analyzePatternFiles([file]);
  const levels: Record<string, number> = {};
  for (const p of report.patterns) for (const [k, v] of Object.entries(p.levels)) levels[k] = (levels[k] ?? 0) + v;
  assert.equal(levels.INFO, count('] LOG:  '));
  assert.equal(levels.ERROR, count('] ERROR:  '));
  assert.equal(levels.FATAL, count('] FATAL:  '));
  assert.equal(report.patterns.find((p) => p.template.startsWith('relation '))?.count, count('] ERROR:  relation'));
  const { records } = readText(text);
  assert.equal(records.filter(isErrorRecord).length, count('] ERROR:  ') + count('] FATAL:  '));
});

test("a real pino log (Node.js): numeric levels on pino's scale, so warnings are not errors", async () => {
  const { text, byTemplate } = await patternsOfFile(path.join(repoRoot, 'test/fixtures/logs-node/pino.log'));
  const lines = text.trimEnd().split('\n');
  const count = (n: number) => lines.filter((l) => l.startsWith(`{"level":${n},`)).length;
  assert.ok(count(30) > 0 && count(40) > 0 && count(50) > 0);
  assert.deepEqual(byTemplate.get('order placed')?.levels, { INFO: count(30) });
  assert.deepEqual(byTemplate.get('slow checkout took <duration>')?.levels, { WARNING: count(40) });
  assert.deepEqual(byTemplate.get('payment failed for order <num>')?.levels, { ERROR: count(50) });
  const { records } = readText(lines.join('\n'));
  assert.equal(records.length, count(50));
  assert.ok(records.every((r) => r.level === 'ERROR'));
  // The error's V8 stack: its type and message, the raising frame last (Python's order).
  const e = records[0]!.exception!.chain[0]!;
  assert.deepEqual([e.type, e.message], ['Error', 'card declined']);
  assert.deepEqual(e.frames.at(-1), { file: '/app/app.js', line: 8, function: 'Object.<anonymous>' });
  assert.ok(e.frames.some((f) => f.file.startsWith('node:internal/')));
  // Python's levelno is not taken for pino's: a python-json-logger line with levelno 40 is still an error.
  const py = readText('{"levelname":"ERROR","levelno":40,"message":"boom","asctime":"2026-12-06 12:00:00,000"}').records;
  assert.equal(py.length, 1);
});

test("zap's console error lines in the Errors view: the message without the caller, with the error field", () => {
  const text = [
    '2026-12-06T12:37:57.532Z\terror\tapp/server.go:88\tfailed to flush spans\t{"error": "context deadline exceeded", "count": 3}',
    '2026-12-06T12:37:58.000Z\tinfo\tapp/server.go:80\tflushed\t{"count": 3}',
    '2026-12-06T12:37:59.000Z\terror\tapp/server.go:91\tqueue full\t{"size": 10}',
    '2026-12-06T12:38:00.000Z\terror\tno caller here\t{not json}',
  ].join('\n');
  assert.deepEqual(
    readText(text).records.map((r) => [r.level, r.message]),
    [
      ['ERROR', 'failed to flush spans: context deadline exceeded'],
      ['ERROR', 'queue full'],
      ['ERROR', 'no caller here\t{not json}'],
    ],
  );
});

test("container runtimes' log files (Docker json-file, containerd/CRI): read as the program's own output", async () => {
  const dir = path.join(repoRoot, 'test/fixtures/logs-container');
  const plain = path.join(dir, 'service.log');
  const patternsOf = async (file: string) => (await analyzePatternFiles([file])).report.patterns.map((p) => [p.template, p.count, p.levels]);
  const errorsOf = (file: string) =>
    readText(readFileSync(file, 'utf8')).records.map((r) => ({
      level: r.level,
      length: r.message.length,
      message: r.message.slice(0, 60),
      chain: r.exception?.chain.map((e) => `${e.type}: ${e.message}`),
      timestamp: r.timestamp,
    }));
  const own = await patternsOf(plain);
  assert.ok(own.length >= 3);
  assert.ok(errorsOf(plain).some((e) => e.chain?.[0]?.startsWith('ValueError: card declined')));
  assert.ok(errorsOf(plain).every((e) => e.length < 20_000), 'the long line is a warning, not an error');
  for (const wrapped of ['docker-json.log', 'cri.log']) {
    const file = path.join(dir, wrapped);
    assert.deepEqual(await patternsOf(file), own, wrapped);
    assert.deepEqual(errorsOf(file), errorsOf(plain), wrapped);
  }
  // A line without a time of its own gets the runtime's; lines of a traceback stay its lines.
  const print = readText('2026-12-06T12:00:00.5Z stderr F worker exiting\n2026-12-06T12:00:01.5Z stderr F 2026-12-06 12:00:01,000 ERROR x: boom', { allRecords: true }).records;
  assert.deepEqual(print.map((r) => [r.message, r.timestamp]), [['worker exiting', Date.parse('2026-12-06T12:00:00.5Z')], ['boom', Date.parse('2026-12-06T12:00:01Z')]]);
});

/** The patterns of test/fixtures/logs-journal's entries, whichever way journalctl exported them. */
const JOURNAL_PATTERNS = [
  ['charged order <num>: <num> EUR', 16],
  ['payment failed for order <num>', 8],
  ['queue depth <num> over limit <num>', 2],
  ['backup of <path> done in <duration>', 1],
  ['backup of <path> failed: No space left on device', 1],
];

test("systemd's journal exported as JSON (journalctl -o json): each entry read as the program's own output", async () => {
  // A real journald and a real Python service under systemd-cat (test/fixtures/logs-journal/NOTE.md): its
  // stderr one entry a line, its native handler's records one entry each with the traceback inside, a cron
  // job's lines sent with their priority.
  const file = path.join(repoRoot, 'test/fixtures/logs-journal/journal.jsonl');
  const { records } = readText(readFileSync(file, 'utf8'), { allRecords: true });
  const failed = records.filter((r) => r.message.startsWith('payment failed for order'));
  // Each failure twice (stderr and the native entry), each with its exception and its frames, at its time.
  assert.equal(failed.length, 8);
  for (const r of failed) {
    assert.equal(r.level, 'ERROR');
    const e = r.exception?.chain.at(-1);
    assert.match(`${e?.type}: ${e?.message}`, /^(?:ValueError: card declined for order \d+|KeyError: 'total')$/, r.message);
    assert.ok(e!.frames.some((f) => f.file.endsWith('service.py') && f.function === 'charge'));
    assert.ok(Number.isFinite(r.timestamp), r.message);
  }
  assert.deepEqual([...new Set(failed.map((r) => r.logger))].sort(), ['checkout-native', 'checkout.pay']);
  // Lines with no header take the entry's priority and program; a header of the program's own wins.
  const cron = records.filter((r) => r.logger === 'checkout-cron').map((r) => [r.level, r.message]);
  assert.deepEqual(cron, [
    ['ERROR', 'backup of /var/lib/checkout failed: No space left on device'],
    ['INFO', 'backup of /var/lib/checkout done in 42 s'],
  ]);
  assert.ok(records.filter((r) => r.message.startsWith('charged order')).every((r) => r.level === 'INFO' && Number.isFinite(r.timestamp)));
  // The Errors view: the two exceptions and the cron job's failure, nothing from the info lines.
  const { report } = await analyzeLogFiles([file]);
  assert.deepEqual(report.clusters.map((c) => [c.count, c.exceptionType || c.template]).sort(), [
    [1, 'backup of <path> failed: No space left on device'],
    [4, 'KeyError'],
    [4, 'ValueError'],
  ]);
  // Patterns: the messages, not the journal's JSON; each physical line one id with --assign.
  const { report: patterns } = await analyzePatternFiles([file]);
  assert.deepEqual(patterns.patterns.map((p) => [p.template, p.count]), JOURNAL_PATTERNS);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').length;
  assert.equal((await analyzePatternFiles([file], { assign: true })).assignment!.length, lines);
  // A source is read as a journal export only when its first JSON line is an entry.
  const mixed = readText(['{"level":"error","message":"boom"}', readFileSync(file, 'utf8').split('\n')[0]].join('\n'), { allRecords: true }).records;
  assert.deepEqual(mixed.map((r) => r.message).slice(0, 1), ['boom']);
});

test("the journal's text output (journalctl's short and short-iso, as syslog writes): a traceback's prefixed lines join their record", async () => {
  // The same entries as journal.jsonl (test/fixtures/logs-journal/NOTE.md): each line behind
  // `Dec 07 05:29:10 vm checkout[9729]: `, a traceback printed to stderr one prefixed line a line.
  for (const name of ['journal-short.log', 'journal-short-iso.log']) {
    const file = path.join(repoRoot, 'test/fixtures/logs-journal', name);
    const { records } = readText(readFileSync(file, 'utf8'), { allRecords: true });
    const failed = records.filter((r) => r.message === 'payment failed for order 3' || r.message === 'payment failed for order 4');
    assert.deepEqual(failed.map((r) => [r.logger, r.exception?.chain.at(-1)?.type]), [
      ['checkout.pay', 'ValueError'],
      ['checkout-native', 'ValueError'],
      ['checkout.pay', 'KeyError'],
      ['checkout-native', 'KeyError'],
    ], name);
    // (no line of a traceback is a record of its own)
    assert.ok(records.every((r) => !/^(?:Traceback|File |ValueError|KeyError)/.test(r.message.trim())), name);
    const { report } = await analyzeLogFiles([file]);
    assert.deepEqual(report.clusters.map((c) => [c.count, c.exceptionType]).sort(), [[4, 'KeyError'], [4, 'ValueError']], name);
    // Patterns: the same templates and counts as from the JSON export (the level is what the line says).
    const { report: patterns } = await analyzePatternFiles([file]);
    assert.deepEqual(patterns.patterns.map((p) => [p.template, p.count]), JOURNAL_PATTERNS, name);
  }
  // Another program's line between a log line and a traceback: the traceback is not its.
  const text = [
    'Dec 07 05:29:10 vm api[11]: ERROR api: request failed',
    'Dec 07 05:29:10 vm cron[12]: Traceback (most recent call last):',
    'Dec 07 05:29:10 vm cron[12]:   File "/srv/job.py", line 3, in <module>',
    'Dec 07 05:29:10 vm cron[12]: OSError: disk full',
  ].join('\n');
  const rs = readText(text, { allRecords: true }).records;
  assert.equal(rs.find((r) => r.message === 'request failed')?.exception, undefined);
});

test('property: syslog prefixes of any text never throw, and what follows one is the rest of its line', () => {
  fc.assert(
    fc.property(fc.constantFrom('Dec 07 05:29:10 vm a[1]: ', '2026-12-07T05:29:10+0000 h p: ', 'Dec  7 05:29:10 h x: ', ''), fc.string({ maxLength: 80 }), (prefix, body) => {
      const line = syslogLine(prefix + body);
      if (line) assert.ok((prefix + body).endsWith(line.rest));
      if (prefix && !body.includes('\n')) assert.equal(line?.rest, body);
    }),
    { numRuns: 300 },
  );
});

test('property: container lines, glog and syslog headers of any bytes never throw, and a header starts inside its line', () => {
  const prefix = fc.constantFrom('', '{"log":"', '{"__REALTIME_TIMESTAMP":"1796620766648688","PRIORITY":"3","MESSAGE":', '2026-12-06T12:00:00.1Z stderr F ', '2026-12-06T12:00:00Z stdout P ', 'I1206 12:00:00.123456 1 a.py:1] ', '<14>', '<165>1 ', 'Dec 06, 2026 12:47:01 PM A b\n');
  fc.assert(
    fc.property(prefix, fc.string({ maxLength: 60 }), fc.string({ maxLength: 20 }), (p, body, tail) => {
      const line = `${p}${body}${tail}`;
      const u = unwrapContainerLine(line);
      if (u) assert.equal(typeof withRuntimeTime(u.text, u.time, () => true), 'string');
      const h = parseTextHeader(line);
      if (h) assert.ok(h.start >= 0 && h.start <= line.length);
      readText(line + '\n' + line);
    }),
    { numRuns: 500 },
  );
});
