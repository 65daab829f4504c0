import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as path from 'node:path';
import fc from 'fast-check';
import { PatternAnalyzer, rateChange } from '../../src/core/patterns/analyzer';
import { CallSiteIndex, indexLogCalls } from '../../src/core/patterns/callSites';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { analyzePatternFilesParallel } from '../../src/node/patternsParallel';
import { BUILTIN_MASKS, compileUserMasks, maskMessage } from '../../src/core/patterns/masking';
import { TemplateMiner } from '../../src/core/patterns/miner';
import { PatternReaderContext, fastTime, type PatternRecord } from '../../src/core/patterns/reader';
import { compilePatternRules } from '../../src/core/patterns/rules';
import { formatRatio, sparkline } from '../../src/core/patterns/present';
import { parseTextHeader } from '../../src/core/logs/textHeader';
import { splitMonologTail } from '../../src/core/logs/headerFormats';
import { parsePatternFilter, patternRow, visiblePatterns } from '../../src/presenters/patterns';
import { repoRoot, tempDir, runCli } from './helpers';
import { pythonParser } from './loggingHelpers';

/** Grouping accuracy: a line counts when its predicted group holds exactly the lines of its true group. */
function groupingAccuracy(truth: readonly string[], predicted: readonly (string | number)[]): number {
  const byTruth = new Map<string, number>();
  for (const t of truth) byTruth.set(t, (byTruth.get(t) ?? 0) + 1);
  const byPred = new Map<string | number, number[]>();
  predicted.forEach((p, i) => (byPred.get(p) ?? byPred.set(p, []).get(p)!).push(i));
  let right = 0;
  for (const members of byPred.values()) {
    const t = truth[members[0]!]!;
    if (members.every((i) => truth[i] === t) && byTruth.get(t) === members.length) right += members.length;
  }
  return right / truth.length;
}

function read(text: string, options: { lines?: boolean; fastPath?: boolean } = {}): PatternRecord[] {
  const out: PatternRecord[] = [];
  const ctx = new PatternReaderContext((r) => out.push(r), options);
  const reader = ctx.source('t');
  reader.push(text);
  reader.end();
  return out;
}

test('masking: each built-in rule, read from its table, masks the values it names and keeps the words', () => {
  const cases: [string, string][] = [
    ['GET https://api.example.com/v1/items?id=7 failed', 'GET <url> failed'],
    ['mail to ada@example.com bounced', 'mail to <email> bounced'],
    ['trace 0d9c1ad4-7c5e-4b1e-9f4e-2f1f6c1e9a10 done', 'trace <uuid> done'],
    ['from 10.0.3.17:5432 and fe80::1:2', 'from <ip> and <ip>'],
    ['at 2026-11-20T09:00:01Z ok', 'at <time> ok'],
    ['db.internal.example:5432 unreachable', '<host>:<num> unreachable'],
    // (a host name under a common top-level domain; a dotted name of code is not one: its first label is the domain)
    ['expected hostname: api.shop.example. from org.apache.hadoop.Job', 'expected hostname: <host>. from org.apache.hadoop.Job'],
    ['open /var/log/app/service.log', 'open <path>'],
    ['took 250ms then 1.5s', 'took <duration> then <duration>'],
    ['wrote 512KB and 3 MB', 'wrote <size> and <size>'],
    ['hash 9f86d081884c7d65 at 0x7ffe12', 'hash <hex> at <hex>'],
    ['user 42 failed after 3 retries (-1.5)', 'user <num> failed after <num> retries (<num>)'],
    ['block blk_-8812 and node-246', 'block blk_<num> and node-<num>'],
    ['state=ACTIVE count=12 name="Ada Lovelace"', 'state=ACTIVE count=<num> name="<str>"'],
    ['"POST /recommend HTTP/1.1" 200 -', '"POST /recommend HTTP/<num>" <num> -'],
    ['"GET /v2/servers/9f3a/detail HTTP/1.1" 200', '"GET <path> HTTP/<num>" <num>'],
    ["said 'hello there' twice", "said '<str>' twice"],
  ];
  for (const [message, masked] of cases) assert.equal(maskMessage(message).join(' '), masked, message);
  assert.ok(BUILTIN_MASKS.every((r) => r.name && r.mask.startsWith('<') && r.description));
  // A user rule runs first, over the whole message.
  const user = compileUserMasks([{ name: 'order', pattern: 'ORD-[A-Z]{3}' }]);
  assert.deepEqual(user.problems, []);
  assert.equal(maskMessage('order ORD-ABC shipped', user.rules).join(' '), 'order <order> shipped');
  assert.match(compileUserMasks([{ pattern: '(' }]).problems[0]!, /maskingRules\[0\]: not a valid regular expression/);
});

test('masking: a printed object or data structure is one value, however many spaces it holds', () => {
  // Real lines: asyncio in debug mode (test/fixtures/patterns/asyncio.log) and botocore's debug log against a
  // local server (one logging call each: `Executing %s took %.3f seconds`, `Event %s: calling handler %s`, …).
  const cases: [string, string][] = [
    ["Executing <Task pending name='Task-1' coro=<asyncio_run.<locals>.main() running at /app/generate.py:160> wait_for=<Task pending name='Task-2' coro=<_job() running at /app/generate.py:142> cb=[Task.task_wakeup()]>> took 0.036 seconds", 'Executing <obj> took <duration>'],
    ['Executing <Handle asyncio_run.<locals>.main.<locals>.<lambda>() at /app/generate.py:164 created at /app/generate.py:164> took 0.021 seconds', 'Executing <obj> took <duration>'],
    ['Event choose-service-name: calling handler <function handle_service_name_alias at 0x7f8c403b49a0>', 'Event choose-service-name: calling handler <obj>'],
    ['Event before-parameter-build.s3.ListObjectsV2: calling handler <bound method S3RegionRedirectorv2.annotate_request_context of <botocore.utils.S3RegionRedirectorv2 object at 0x7f8c3b528490>>', 'Event before-parameter-build.s<num>.ListObjectsV<num>: calling handler <obj>'],
    ["Calling endpoint provider with parameters: {'Bucket': 'bucket-10', 'Region': 'us-east-1', 'UseFIPS': False, 'Endpoint': 'http://127.0.0.1:55443', 'Prefix': 'logs/405/'}", 'Calling endpoint provider with parameters: <obj>'],
    ["<Server sockets=(<asyncio.TransportSocket fd=6, family=2, type=1, proto=6, laddr=('127.0.0.1', 32809)>,)> got a new connection from ('127.0.0.1', 56900): <socket.socket fd=8, family=2, laddr=('127.0.0.1', 32809)>", '<obj> got a new connection from <obj>: <obj>'],
    ['Close <_UnixSelectorEventLoop running=False closed=False debug=True>', 'Close <obj>'],
    // as a key's value, and a JSON object or list in a message
    ["retrying with params={'page': 2, 'size': 50} now", 'retrying with params=<obj> now'],
    ['payload {"user": "ada", "items": [1, 2]} rejected', 'payload <obj> rejected'],
    ["queues ['high', 'low'] drained", 'queues <obj> drained'],
    ['shape (32, 128) and weights [0.5, -1, None] ok', 'shape <obj> and weights <obj> ok'],
    ['[1/3] building (5 retries left)', '[<num>/<num>] building (<num> retries left)'],
    ['PM response took 2010 ms (54, powerd)', 'PM response took <duration> (<num>, powerd)'],
    // a constructor-style repr, alone or quoted as `'%r'` (urllib3's retry warning)
    ["Retrying (Retry(total=2, connect=None, read=None)) after connection broken by 'RemoteDisconnected('Remote end closed connection without response')': /drop/9889", "Retrying <obj> after connection broken by '<obj>': <path>"],
    ["created User(id=7, name='Ada Lovelace') ok", 'created <obj> ok'],
    ['Making request for OperationModel(name=ListObjectsV2) with params: {}', 'Making request for <obj> with params: {}'],
    ['see connect(fd) and f(x, y) below', 'see connect(fd) and f(x, y) below'],
    // reprlib's cut reprs: closers whose openers were cut away (asyncio's slow-callback warning)
    ["Executing <Handle BaseSelectorEventLoop._accept_connection(<function sta...x7ff187002340>, <socket.socke....0.1', 32809)>, None, <Server socke...1', 32809)>,)>, 100, None, None) created at /usr/local/lib/python3.11/asyncio/selector_events.py:263> took 0.075 seconds", 'Executing <obj> took <duration>'],
    ["Executing <Handle BaseSelectorEventLoop._sock_connect_cb(<Future finis...events.py:427>, <socket.socke....0.1', 43671)>, ('127.0.0.1', 9000)) created at /usr/local/lib/python3.11/asyncio/selector_events.py:300> took 0.002 seconds", 'Executing <obj> took <duration>'],
    // brackets and quotes inside strings do not end it; an arrow inside does not either
    ["got {'a': 'x}y', 'b': \"it's\"} ok", 'got <obj> ok'],
    ['calling <function f at 0x1> -> <Result ok=1> done', 'calling <obj> -> <obj> done'],
    // words stay words: a phrase in brackets, a tag without spaces, a thread name, a truncated object
    ['<bottom of call stack> reached', '<bottom of call stack> reached'],
    ['[main] started (default) in <init>', '[main] started (default) in <init>'],
    ["bad {'a': 1 and more", "bad {'a': <num> and more"],
  ];
  for (const [message, masked] of cases) assert.equal(maskMessage(message).join(' '), masked, message);
  // Many objects that never close cost a bounded search: the message is still masked.
  const open = `${`<a x=${'1'.repeat(50)} `.repeat(60)}end`;
  assert.ok(open.length < 4000);
  assert.deepEqual(maskMessage(open).slice(-3), ['<a', 'x=<num>', 'end']);
});

test('property: a printed object of any nesting, with brackets, quotes and spaces in its strings, is one <obj>', () => {
  const text = fc.stringMatching(/^[a-z <>(){}[\],:=.'"-]{0,12}$/);
  // A Python repr: strings are printed with quotes escaped as Python escapes them.
  const str = text.map((t) => `'${t.replace(/\\/g, '').replace(/'/g, "\\'")}'`);
  const { value } = fc.letrec<{ value: string; dict: string; list: string; obj: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, str, fc.integer().map(String), fc.constantFrom('None', 'True'), tie('dict'), tie('list'), tie('obj')),
    dict: fc.array(fc.tuple(str, tie('value')), { minLength: 1, maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    list: fc.array(tie('value'), { minLength: 2, maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    obj: fc.tuple(fc.constantFrom('Task', 'Handle', 'Future'), fc.array(fc.tuple(fc.constantFrom('name', 'cb', 'state'), tie('value')), { minLength: 1, maxLength: 3 })).map(([t, kv]) => `<${t} ${kv.map(([k, v]) => `${k}=${v}`).join(' ')}>`),
  }));
  fc.assert(
    fc.property(value.filter((v) => /^[[{<]/.test(v) && v.includes(' ')), (v) => {
      assert.deepEqual(maskMessage(`handled ${v} in time`), ['handled', '<obj>', 'in', 'time']);
    }),
    { numRuns: 300 },
  );
});

test('property: masking never throws, is bounded, and is the same for messages that differ only in numbers', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 600, unit: 'binary' }), (s) => {
      const tokens = maskMessage(s);
      assert.ok(tokens.length <= 200);
      assert.ok(tokens.every((t) => t.length > 0 && !/\s/.test(t.replace(/"[^"]*"|'[^']*'/g, ''))));
    }),
    { numRuns: 400 },
  );
  // Whitespace beyond ASCII separates tokens (a no-break space once made 200 empty tokens).
  for (const space of ['\u00a0', '\u1680', '\u2003', '\u2028', '\u202f', '\u3000', '\ufeff']) {
    assert.deepEqual(maskMessage(`${space}user${space}${space}logged in${space}`), maskMessage('user logged in'), JSON.stringify(space));
  }
  const words = fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 8 });
  fc.assert(
    fc.property(words, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (ws, a, b) => {
      const msg = (ns: number[]) => ws.map((w, i) => `${w} ${ns[i]}`).join(' ');
      assert.deepEqual(maskMessage(msg(a)), maskMessage(msg(b)));
    }),
  );
});

test('text headers of the common families are read; the message is what follows', () => {
  const cases: [string, string, string | undefined][] = [
    ['2026-11-20 09:00:01,123 INFO service.api: user 7 logged in', 'user 7 logged in', 'INFO'],
    ['2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.Foo: Created MRAppMaster', 'Created MRAppMaster', 'INFO'],
    ['Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; uid=0', 'authentication failure; uid=0', undefined],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6', 'mod_jk child workerEnv in error state 6', 'ERROR'],
    ['03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs', 'printFreezingDisplayLogs', 'DEBUG'],
    ['20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579', 'onStandStepChanged 3579', undefined],
    ['2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200', 'Notification time out: 3200', 'INFO'],
    ['INFO: plain level first', 'plain level first', 'INFO'],
    // (a host and port before the level, with a digit in the name or not: Proxifier's content column)
    ['tcpconn6.tencent.com:443 error : A connection request was canceled before the completion.', 'A connection request was canceled before the completion.', 'ERROR'],
    ['hm.baidu.com:80 error : A connection request was canceled before the completion.', 'A connection request was canceled before the completion.', 'ERROR'],
  ];
  for (const [line, message, level] of cases) {
    const h = parseTextHeader(line);
    assert.ok(h, line);
    assert.equal(line.slice(h.start), message, line);
    assert.equal(h.level, level, line);
  }
  // A header never takes the whole line: words it would read as a level or a context are the message.
  for (const [line, message] of [
    ['2556843 gige5 gige temperature 1072878243 1 warning', 'warning'],
    ['30700 Interconnect-1T00 switch_module bcast-error 1076189965 1 Link error', 'Link error'],
    ['2575909 node-162 action start 1074178193 1 boot  (command 1911)', 'boot  (command 1911)'],
  ]) {
    const h = parseTextHeader(line);
    assert.ok(h, line);
    assert.equal(line.slice(h.start), message, line);
  }
  // A host name garbled to `#8#` is still a host (Thunderbird's `… 2005.11.09 #8# Nov 9 12:01:02 #8#/#8# crond…`).
  for (const host of ['dn228', '#8#']) {
    const line = `- 1131566461 2005.11.09 ${host} Nov 9 12:01:01 ${host}/${host} crond(pam_unix)[2915]: session closed for user root`;
    assert.equal(line.slice(parseTextHeader(line)!.start), 'session closed for user root', line);
  }
  // A count that starts a message is not a compact date; one followed by a time is.
  assert.equal(parseTextHeader('640404 floating point alignment exceptions'), undefined);
  // … nor one in the range of epoch seconds (BGL's `1365301360 double-hummer alignment exceptions`); an epoch
  // time before a level, a date or a name is one.
  assert.equal(parseTextHeader('1365301360 double-hummer alignment exceptions'), undefined);
  assert.equal(parseTextHeader('1700000000 INFO server started')?.timestamp, 1_700_000_000_000);
  assert.equal(parseTextHeader('- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected')?.timestamp, 1_117_838_570_000);
  for (const [line, message] of [['081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block', 'Received block']]) {
    const h = parseTextHeader(line);
    assert.ok(h, line);
    assert.equal(line.slice(h.start), message, line);
  }
  // A message without a header stays whole.
  assert.equal(parseTextHeader('user 7 logged in'), undefined);
  assert.equal(parseTextHeader('Component State Change: node up'), undefined);
  assert.equal(parseTextHeader('2026-11-20T09:00:01Z ERROR boom')?.timestamp, Date.parse('2026-11-20T09:00:01Z'));
});

test('property: the text header reader never throws and its message offset is inside the line', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (line) => {
      const h = parseTextHeader(line);
      if (h) assert.ok(h.start >= 0 && h.start <= line.length);
    }),
    { numRuns: 500 },
  );
});

test('property: in lines mode the reader gives exactly one record per physical line, whatever the bytes', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 120, unit: 'binary' }).map((s) => s.replace(/\n/g, ' ')),
    fc.record({ level: fc.constantFrom('INFO', 'ERROR', 10, null), message: fc.string({ maxLength: 60 }), timestamp: fc.constantFrom('2026-11-20T09:00:01.5Z', 1763629201, 'x') }).map((o) => JSON.stringify(o)),
    fc.constant(''),
    fc.constant('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a"}},{"body":{"stringValue":"b"}}]}]}]}'),
    fc.constant('{broken json'),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (lines, chunk) => {
      const text = lines.join('\n');
      const out: PatternRecord[] = [];
      const ctx = new PatternReaderContext((r) => out.push(r), { lines: true, maxLineLength: 100 });
      const reader = ctx.source('t');
      for (let i = 0; i < text.length; i += chunk) reader.push(text.slice(i, i + chunk));
      reader.end();
      // Like `wc -l`, a newline ends a line: a final newline starts no new one.
      const expected = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      assert.equal(out.length, expected);
      assert.deepEqual(out.map((r) => r.line), Array.from({ length: expected }, (_, i) => i + 1));
    }),
    { numRuns: 300 },
  );
});

test('property: reading JSON fields from the raw line gives the same records as JSON.parse', () => {
  const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant(null));
  const obj = fc.record(
    {
      timestamp: fc.constantFrom('2026-11-20T09:00:01.123Z', '2026-11-20T09:00:01Z', '2026-11-20 09:00:01,123', 1763629201.5),
      level: fc.constantFrom('INFO', 'ERROR', 'warning', 30),
      message: fc.oneof(fc.string({ maxLength: 50 }), fc.constant('quote " and \\ backslash \n newline'), fc.constant('[main] {braces}')),
      service: fc.constantFrom('api', 'worker', 'api\\x', 'a"pi', 'api-gateway-eu-west'),
      version: fc.constantFrom('1.0', 2),
      // (a nested object may hold the mapped keys too: its values are not the line's)
      extra: fc.option(fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('message', 'level', 'timestamp')), value, { maxKeys: 3 })),
    },
    { requiredKeys: ['message', 'level'] },
  );
  // The nested object last, first or in the middle of the line.
  const placed = fc.tuple(obj, fc.constantFrom('last', 'first', 'middle')).map(([o, where]) => {
    if (where === 'last' || o.extra === undefined) return o;
    const { extra, level, ...rest } = o;
    return where === 'first' ? { extra, level, ...rest } : { level, extra, ...rest };
  });
  fc.assert(
    fc.property(fc.array(placed, { minLength: 25, maxLength: 60 }), fc.boolean(), (objs, spaced) => {
      const text = objs.map((o) => (spaced ? JSON.stringify(o, null, 0).replace(/":/g, '": ') : JSON.stringify(o))).join('\n');
      assert.deepEqual(read(text, { fastPath: true }), read(text, { fastPath: false }));
    }),
    { numRuns: 60 },
  );
  assert.equal(fastTime('2026-11-20T09:00:01.123Z'), Date.parse('2026-11-20T09:00:01.123Z'));
  assert.equal(fastTime('2026-11-20T09:00:59Z'), Date.parse('2026-11-20T09:00:59Z'));
});

test('the reader joins tracebacks and indented lines to their log line, and counts what it cannot use', () => {
  const text = [
    '2026-11-20 09:00:01,000 ERROR app: payment failed for order 7',
    'Traceback (most recent call last):',
    '  File "/app/pay.py", line 3, in charge',
    'ValueError: card declined',
    '2026-11-20 09:00:02,000 INFO app: payment ok for order 8',
    'bin\u0000ary',
    '',
  ].join('\n');
  const out: PatternRecord[] = [];
  const ctx = new PatternReaderContext((r) => out.push(r));
  const reader = ctx.source('app.log');
  reader.push(text);
  reader.end();
  assert.deepEqual(out.map((r) => [r.line, r.level, r.message]), [
    [1, 'ERROR', 'payment failed for order 7'],
    [5, 'INFO', 'payment ok for order 8'],
  ]);
  assert.deepEqual(ctx.skips.summaries().map((s) => s.message), ['1 line skipped: binary data — first at app.log:6']);
});

test('a line of header words and nothing after is its own message, with its level (HPC\'s `warning`, `Link error`)', async (t) => {
  // (Loghub's HPC content column: whole messages that are one or two words a header could start with)
  const lines = ['warning', 'critical', 'Link error', 'warning', 'Component State Change: Component alt0 is in the unavailable state (HWID=3180)', 'Link error', '2026-11-20 09:00:01,000 ERROR payment failed', ''];
  const out: PatternRecord[] = [];
  const ctx = new PatternReaderContext((r) => out.push(r), { lines: true });
  const reader = ctx.source('hpc.log');
  reader.push(`${lines.join('\n')}\n`);
  reader.end();
  assert.deepEqual(out.map((r) => [r.level, r.message]), [
    ['WARNING', 'warning'],
    ['CRITICAL', 'critical'],
    ['ERROR', 'Link error'],
    ['WARNING', 'warning'],
    [undefined, 'Component State Change: Component alt0 is in the unavailable state (HWID=3180)'],
    ['ERROR', 'Link error'],
    ['ERROR', 'payment failed'],
    // (a blank line is a blank record in lines mode)
    [undefined, ''],
  ]);
  const dir = tempDir(t);
  const file = path.join(dir, 'hpc.log');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const res = await runCli(['patterns', '--assign', file]);
  const ids = res.out.split('\n');
  assert.equal(ids.length, lines.length);
  assert.equal(ids[0], ids[3]);
  assert.equal(ids[2], ids[5]);
  assert.equal(new Set([ids[0], ids[1], ids[2], ids[4], ids[7]]).size, 5, ids.join(' '));
  // The Errors view reads them the same way: `critical` is an error event whose message is the word.
  const errors = await runCli(['errors', '--json', file]);
  const report = JSON.parse(errors.out) as { clusters: { template: string }[] };
  assert.ok(report.clusters.some((c) => c.template.startsWith('critical')), errors.out.slice(0, 400));
  assert.ok(report.clusters.every((c) => c.template !== ''), errors.out.slice(0, 400));
});

test('the miner groups by shared constants: values become <*>, a word that differs in a few templates splits them', () => {
  const m = new TemplateMiner();
  const messages = [
    ...['alice', 'bob', 'carol', 'dave', 'erin'].map((u) => `session opened for user ${u}`),
    ...Array.from({ length: 4 }, (_, i) => `connection ${i % 2 ? 'opened' : 'closed'} to db`),
    ...Array.from({ length: 3 }, (_, i) => `retry ${i} of 5 for job ${i * 7}`),
  ];
  const sigs = messages.map((x) => m.add(x));
  const { patterns, ofSignature } = m.patterns();
  const templates = sigs.map((s) => patterns[ofSignature[s]!]!.tokens.join(' '));
  assert.deepEqual([...new Set(templates)].sort(), ['connection closed to db', 'connection opened to db', 'retry <num> of <num> for job <num>', 'session opened for user <*>']);
});

test('the first word splits its group with up to eight different words (events), any other column with up to three', () => {
  const verbs = ['boot', 'wait', 'halt', 'reboot', 'shutdown', 'run'];
  const miner = new TemplateMiner();
  const sigs = new Map<string, number>();
  for (let i = 0; i < 120; i++) {
    const verb = verbs[i % verbs.length]!;
    sigs.set(`${verb} ${i}`, miner.add(`${verb} (command ${1900 + i})`));
    // (a middle column of six words is a value: the names of the users)
    miner.add(`session opened for user ${verbs[(i * 7) % verbs.length]} by (uid=${i})`);
  }
  const { patterns, ofSignature } = miner.patterns();
  const templates = patterns.map((p) => p.tokens.join(' ')).sort();
  assert.deepEqual(templates, [...verbs.map((v) => `${v} (command <num>)`), 'session opened for user <*> by (uid=<num>)'].sort());
  // Nine or more first words are a value again.
  const many = new TemplateMiner();
  for (let i = 0; i < 90; i++) many.add(`w${String.fromCharCode(97 + (i % 9))}x (command ${i})`);
  assert.equal(many.patterns().patterns.length, 1);
  assert.equal(ofSignature[sigs.get('boot 0')!], ofSignature[sigs.get('boot 6')!]);
});

test('a key or quoted value that is a variable in some lines holds a value in all of them; plain state words still split', () => {
  const m = new TemplateMiner();
  const messages = [
    ...['com.android.phone', 'android', 'audioserver', 'android', 'com.android.phone'].map((n, i) => `acquire lock=${i}, name=${n}, uid=${1000 + i}`),
    ...Array.from({ length: 4 }, (_, i) => `worker ${i} state=${i % 2 ? 'ACTIVE' : 'IDLE'}`),
    // a quoted value: a word in some lines, masked in others (`''` is `'<str>'`), is a value in all of them
    ...['ann', '', 'bob', 'ann', '', 'bob'].map((u, i) => `failed login for '${u}' from 127.0.0.1 (attempt ${i + 1})`),
    // a value with its full stop: a word in some lines, an address in others (urllib3's pool-full warning)
    ...['localhost', '127.0.0.1', 'localhost', '10.0.0.2'].map((h, i) => `Connection pool is full, discarding connection: ${h}. Connection pool size: ${i}`),
    // a word with a value's punctuation is a value (a media type); a dotted name is not (Android's intents)
    ...['text/plain', 'application/json', 'text/plain', 'application/json'].map((t, i) => `cart ${i}: request without sku, content-type ${t}`),
    ...['SCREEN_ON', 'SCREEN_OFF', 'SCREEN_ON', 'SCREEN_OFF'].map((a) => `onReceive action: android.intent.action.${a}`),
    // a run of three or more of the same value is a list of any length (Thunderbird's `name an14 an15 an16 …`)
    ...[3, 5, 3, 8].map((n) => `failed to resolve data source name ${Array.from({ length: n }, (_, k) => `an${k + 14}`).join(' ')}`),
    // a comma-separated list of values is one value whatever its length (pip's `Local files found: %s`)
    ...[1, 2, 1, 3, 2].map((n) => `Local files found: ${Array.from({ length: n }, (_, k) => `/tmp/w/pkg${k}-1.${n}.whl`).join(', ')}`),
    // a key that is null in some lines and a value in part in others holds a value (Android's `ws=null` /
    // `ws=WorkSource{10113}`), and so does one whose quoted value is masked in others (`tag="<str>"`)
    ...['null', 'WorkSource{10113}', 'null', 'WorkSource{1000}'].map((w, i) => `release wake lock=${i * 97}, ws=${w}, pid=${i}`),
    ...['RILJ_ACK_WL', 'View Lock', 'AudioMix', 'RILJ_ACK_WL'].map((tag, i) => `release:wake flg=0x${i}, tag="${tag}", uid=${1000 + i}`),
    // (a word beside a value masked in part stays a constant: SOCKS5 is another template than HTTPS)
    ...['HTTPS', 'SOCKS5', 'HTTPS', 'SOCKS5'].map((p, i) => `open through proxy ${p} port ${i}`),
  ];
  const sigs = messages.map((x) => m.add(x));
  const { patterns, ofSignature } = m.patterns();
  const templates = sigs.map((s) => patterns[ofSignature[s]!]!.tokens.join(' '));
  assert.deepEqual([...new Set(templates)].sort(), [
    'Connection pool is full, discarding connection: <*> Connection pool size: <num>',
    'Local files found: <path>',
    'acquire lock=<num>, <*> uid=<num>',
    'cart <num>: request without sku, content-type <*>',
    'failed login for <*> from <ip> (attempt <num>)',
    'failed to resolve data source name an<num> an<num> an<num>',
    'onReceive action: android.intent.action.SCREEN_OFF',
    'onReceive action: android.intent.action.SCREEN_ON',
    'open through proxy HTTPS port <num>',
    'open through proxy SOCKS<num> port <num>',
    'release wake lock=<num>, <*> pid=<num>',
    'release:wake flg=<hex>, <*> uid=<num>',
    'worker <num> state=ACTIVE',
    'worker <num> state=IDLE',
  ]);
});

test('grouping accuracy on labelled logs of real programs (their logging calls are the truth)', async () => {
  // (botocore: 0.253 and asyncio 0.660 before a printed object was one value)
  for (const [name, floor] of [['multiprocessing', 0.95], ['asyncio', 0.95], ['botocore', 0.95]] as const) {
    const dir = path.join(repoRoot, 'test/fixtures/patterns');
    const { assignment, report } = await analyzePatternFiles([path.join(dir, `${name}.log`)], { assign: true });
    const truth = readFileSync(path.join(dir, `${name}.labels`), 'utf8').trimEnd().split('\n');
    assert.equal(assignment!.length, truth.length);
    const ga = groupingAccuracy(truth, [...assignment!].map((i) => report.patterns[i]!.id));
    assert.ok(ga >= floor, `${name}: GA ${ga.toFixed(3)} below ${floor}`);
  }
});

test('Rust logs (tracing in colour and plain, env_logger): each logging call is one pattern, its spans and target are header', async () => {
  // (tracing's lines scored 0.002 before: the spans' fields and the target made every request a pattern)
  const dir = path.join(repoRoot, 'test/fixtures/logs-rust');
  for (const name of ['tracing', 'tracing-plain', 'env_logger']) {
    const { assignment, report } = await analyzePatternFiles([path.join(dir, `${name}.log`)], { assign: true });
    const truth = readFileSync(path.join(dir, `${name}.labels`), 'utf8').trimEnd().split('\n');
    assert.equal(assignment!.length, truth.length, name);
    const ga = groupingAccuracy(truth, [...assignment!].map((i) => report.patterns[i]!.id));
    assert.equal(ga, 1, `${name}: GA ${ga.toFixed(3)}`);
  }
  const { report } = await analyzePatternFiles([path.join(dir, 'tracing.log')]);
  const templates = report.patterns.map((p) => p.template);
  assert.ok(templates.includes('slow query took <duration> table="orders"'), templates.join('\n'));
  assert.ok(templates.every((t) => !t.includes('request{') && !t.includes('logsample::') && !t.includes('\u001b')), templates.join('\n'));
  assert.deepEqual(report.patterns.find((p) => p.template.startsWith('upstream unavailable'))!.levels, { ERROR: 76 });
  // The header grammar: the spans are skipped, the target is the logger.
  const line = '2026-12-07T00:53:01.123456Z  WARN request{method="POST" uri=/api/items/1 id=3}:handler{n=2}: logsample::db: slow query took 812 ms';
  const h = parseTextHeader(line)!;
  assert.deepEqual({ level: h.level, logger: h.logger, message: line.slice(h.start) }, { level: 'WARNING', logger: 'logsample::db', message: 'slow query took 812 ms' });
});

test("a PHP log (Monolog): channel.LEVEL is the logger and the level, and the call's context is not the message", async () => {
  // (it scored 0.880 before, every line without a level: a context value split one call into three patterns)
  const dir = path.join(repoRoot, 'test/fixtures/logs-php');
  const { assignment, report } = await analyzePatternFiles([path.join(dir, 'monolog.log')], { assign: true });
  const truth = readFileSync(path.join(dir, 'monolog.labels'), 'utf8').trimEnd().split('\n');
  assert.equal(groupingAccuracy(truth, [...assignment!].map((i) => report.patterns[i]!.id)), 1);
  const declined = report.patterns.find((p) => p.template.startsWith('Payment declined'))!;
  assert.equal(declined.template, 'Payment declined for order <num>');
  assert.deepEqual(declined.levels, { ERROR: 48 });
  assert.ok(report.patterns.every((p) => Object.keys(p.levels).every((l) => l !== 'NONE')));
  const line = '[2026-12-07T01:06:48.605255+00:00] doctrine.ERROR: Deadlock found {"table":"orders","ms":92} []';
  const h = parseTextHeader(line)!;
  assert.deepEqual({ level: h.level, logger: h.logger }, { level: 'ERROR', logger: 'doctrine' });
  // Only two JSON values at the end are Monolog's context and extra.
  assert.equal(splitMonologTail('Deadlock found {"table":"orders","ms":92} []'), 'Deadlock found');
  assert.equal(splitMonologTail('SELECT * FROM t WHERE id = ? [326] []'), 'SELECT * FROM t WHERE id = ?');
  assert.equal(splitMonologTail('got [1, 2]'), undefined);
  assert.equal(splitMonologTail('a {"x": [1, {"y": "} ["}]} {}'), 'a');
});

test("grouping accuracy on Python libraries' own logs, recorded for it (test/fixtures/patterns-python)", async () => {
  // Floors a little under what the miner scores (bench/RESULTS.md has the table); the rest is mostly the labels'
  // limits (NOTE.md). concurrent and s3transfer are all printed objects; they scored 0.55 and 0.29 before those.
  const floors: [string, number][] = [['concurrent', 0.95], ['s3transfer', 0.95], ['pip', 0.85], ['tornado', 0.75], ['asyncsub', 0.65], ['urllib3', 0.6], ['requests', 0.6], ['cookiejar', 0.55]];
  const dir = path.join(repoRoot, 'test/fixtures/patterns-python');
  for (const [name, floor] of floors) {
    const { assignment, report } = await analyzePatternFiles([path.join(dir, `${name}.log.gz`)], { assign: true });
    const truth = gunzipSync(readFileSync(path.join(dir, `${name}.labels.gz`))).toString('utf8').trimEnd().split('\n');
    assert.equal(assignment!.length, truth.length, name);
    const ga = groupingAccuracy(truth, [...assignment!].map((i) => report.patterns[i]!.id));
    assert.ok(ga >= floor, `${name}: GA ${ga.toFixed(3)} below ${floor}`);
  }
});

test('patterns: counts, levels, first/last, what is new after the release changes, rate jumps', () => {
  const a = new PatternAnalyzer();
  const t0 = Date.parse('2026-11-20T09:00:00Z');
  for (let i = 0; i < 60; i++) a.add({ source: 's', line: i + 1, message: `GET /health 200 in ${i} ms`, level: 'INFO', timestamp: t0 + i * 60_000, version: '1.0' });
  for (let i = 0; i < 6; i++) a.add({ source: 's', line: 100 + i, message: `pool exhausted after ${i} s`, level: 'WARNING', timestamp: t0 + i * 600_000, version: '1.0' });
  for (let i = 0; i < 30; i++) a.add({ source: 's', line: 200 + i, message: `falling back to cache for tenant ${i}`, level: 'WARNING', timestamp: t0 + 3_600_000 + i * 60_000, version: '1.1' });
  for (let i = 0; i < 30; i++) a.add({ source: 's', line: 300 + i, message: `pool exhausted after ${i} s`, level: 'ERROR', timestamp: t0 + 3_600_000 + i * 60_000, version: '1.1' });
  const { report } = a.report({ lines: 126, sources: ['s'], skipped: [] });
  assert.equal(report.cutoff?.kind, 'release');
  assert.equal(report.cutoff?.label, 'release 1.1');
  assert.equal(report.cutoff?.at, new Date(t0 + 3_600_000).toISOString());
  const byTemplate = new Map(report.patterns.map((p) => [p.template, p]));
  const fallback = byTemplate.get('falling back to cache for tenant <num>')!;
  assert.equal(fallback.isNew, true);
  assert.equal(fallback.count, 30);
  const pool = byTemplate.get('pool exhausted after <duration>')!;
  assert.equal(pool.isNew, false);
  assert.deepEqual(pool.levels, { ERROR: 30, WARNING: 6 });
  assert.equal(pool.change?.jumped, true);
  assert.equal(byTemplate.get('GET /health <num> in <duration>')?.change?.jumped, false);
  assert.equal(report.patterns[0]!.template, 'GET /health <num> in <duration>');
  assert.deepEqual(report.releases.map((r) => r.version), ['1.0', '1.1']);
  // Every line of a pattern matches its matcher.
  for (const p of report.patterns) for (const s of p.samples) assert.match(s.message, new RegExp(p.matcher.regex), p.template);
  assert.deepEqual(rateChange(new Map([[1, 2], [10, 30]]), { first: 0, last: 11 * 60_000 }, 10 * 60_000, false), { before: 0.2, after: 15, ratio: 75, jumped: true });
});

test('property: every message matches the matcher of the pattern it was put in', () => {
  const word = fc.stringMatching(/^[a-z]{2,7}$/);
  const token = fc.oneof(word, fc.nat().map(String), fc.constantFrom('10.0.0.1', '/a/b/c', '"quoted value"', 'k=v1', '0x1f', '250ms'));
  // (printed objects too: `<obj>` takes spaces, quotes and nested brackets)
  const printed = fc.constantFrom("<Task pending name='Task-1' coro=<main() running at /app/x.py:3>>", "{'a': 1, 'b': 'x y'}", "('127.0.0.1', 8080)", 'Retry(total=2, connect=None)', "'Error('no such key')'");
  fc.assert(
    fc.property(fc.array(fc.array(fc.oneof(token, printed), { minLength: 1, maxLength: 8 }).map((t) => t.join(' ')), { minLength: 1, maxLength: 40 }), (messages) => {
      const a = new PatternAnalyzer({ samplesPerPattern: 1000 });
      for (const m of messages) a.add({ source: 's', line: 1, message: m });
      const { report } = a.report({ lines: messages.length, sources: [], skipped: [] });
      for (const p of report.patterns) for (const s of p.samples) assert.match(s.message, new RegExp(p.matcher.regex));
    }),
    // (found by a run: a duration of two words merged with an address into one <*>)
    { numRuns: 150, examples: [[['0 ms', '10.0.0.1']]] },
  );
});

test('the pattern table is bounded and says how many lines it could not keep apart', () => {
  const a = new PatternAnalyzer({ maxSignatures: 50 });
  // Words without digits (digits would be masked away): 997 distinct messages.
  for (let i = 0; i < 5000; i++) a.add({ source: 's', line: i + 1, message: `${(i % 997).toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)} happened ${i}` });
  const { report } = a.report({ lines: 5000, sources: [], skipped: [] });
  assert.equal(report.signatures, 50);
  assert.ok(report.capped > 0);
  assert.equal(report.patterns.reduce((n, p) => n + p.count, 0), 5000);
});

test('split and merge rules reshape patterns', () => {
  const rules = compilePatternRules([
    { action: 'merge', name: 'cache', template: '^cache (hit|miss)' },
    { action: 'split', template: '^user' },
  ]);
  assert.deepEqual(rules.problems, []);
  const a = new PatternAnalyzer({ rules: rules.rules });
  for (const m of ['cache hit for a', 'cache miss for b b', 'cache hit for c', 'user alice left', 'user bob left', 'user carol left', 'user dave left']) a.add({ source: 's', line: 1, message: m });
  const { report } = a.report({ lines: 7, sources: [], skipped: [] });
  const cache = report.patterns.filter((p) => p.rule === 'cache');
  assert.equal(cache.length, 1);
  assert.equal(cache[0]!.count, 3);
  assert.equal(report.patterns.filter((p) => p.template.startsWith('user')).length, 4);
  assert.match(compilePatternRules([{ action: 'merge' }]).problems[0]!, /"template" must be a regular expression/);
});

test('logging calls are indexed and matched: %-style, f-strings, .format, concatenation, structlog events', async () => {
  const parser = await pythonParser();
  const source = [
    'import logging',
    'import structlog',
    'logger = logging.getLogger(__name__)',
    'log = structlog.get_logger()',
    'def f(user, n, e, item):',
    '    logger.info("user %s failed after %d retries", user, n)',
    '    logger.warning(f"item {item} is not in the catalogue, falling back")',
    '    logger.error("payment {} declined: {}".format(user, e))',
    '    logger.debug("cache miss for " + item)',
    '    log.info("payment_failed", order=n)',
    '    logger.info(message)',
    '    logger.info("%s", user)',
  ].join('\n');
  const sites = indexLogCalls(parser, source, 'svc/app.py');
  assert.deepEqual(sites.map((s) => [s.line, s.template]), [
    [6, 'user <*> failed after <*> retries'],
    [7, 'item <*> is not in the catalogue, falling back'],
    [8, 'payment <*> declined: <*>'],
    [9, 'cache miss for <*>'],
    [10, 'payment_failed'],
  ]);
  const index = new CallSiteIndex(sites);
  const at = (m: string) => index.match(m).map((s) => s.line);
  assert.deepEqual(at('user alice failed after 3 retries'), [6]);
  assert.deepEqual(at('item 42 is not in the catalogue, falling back'), [7]);
  assert.deepEqual(at('payment 7 declined: card expired'), [8]);
  assert.deepEqual(at('cache miss for user:1'), [9]);
  assert.deepEqual(at('payment_failed'), [10]);
  assert.deepEqual(at('payment_failed order=3'), [10]);
  assert.deepEqual(at('something else entirely'), []);
  assert.deepEqual(index.matchPattern(['user a failed after 1 retries', 'no match here']).map((s) => s.line), [6]);
});

test('presenter: filter words and qualifiers, sort by change, rows with sparkline and badge', () => {
  const a = new PatternAnalyzer();
  const t0 = Date.parse('2026-11-20T09:00:00Z');
  for (let i = 0; i < 10; i++) a.add({ source: 's', line: i, message: `ok ${i}`, level: 'INFO', timestamp: t0 + i * 60_000, service: 'api' });
  for (let i = 0; i < 3; i++) a.add({ source: 's', line: 20 + i, message: `boom ${i}`, level: 'ERROR', timestamp: t0 + (8 + i) * 60_000, service: 'worker' });
  const { report } = a.report({ lines: 13, sources: [], skipped: [], cutoff: { at: new Date(t0 + 8 * 60_000).toISOString(), kind: 'time', label: 'then' } });
  assert.deepEqual(parsePatternFilter('Boom level:error service:Work is:new'), { words: ['boom'], levels: ['ERROR'], services: ['work'], onlyNew: true, onlyJumped: false });
  assert.deepEqual(visiblePatterns(report, 'level:ERROR', 'count').map((p) => p.template), ['boom <num>']);
  assert.deepEqual(visiblePatterns(report, 'service:api', 'count').map((p) => p.template), ['ok <num>']);
  assert.deepEqual(visiblePatterns(report, '', 'change').map((p) => p.template), ['boom <num>', 'ok <num>']);
  const row = patternRow(report.patterns.find((p) => p.isNew)!);
  assert.equal(row.badge, 'new');
  assert.match(row.description, /^NEW · 3 · 23\.1% [▁▂▃▄▅▆▇█ ]+$/);
  assert.equal(sparkline([0, 1, 2, 4]), ' ▃▅█');
  assert.deepEqual([3.14159, 42.25, 320384.564, Infinity].map(formatRatio), ['×3.14', '×42.3', '×320,385', '×∞']);
});

test('iwb patterns: the JSON contract, --assign one id per line (blank lines too), --since, exit 2', async (t) => {
  const dir = tempDir(t);
  const log = [
    '{"timestamp": "2026-11-20T09:00:00Z", "level": "INFO", "message": "user 1 failed after 2 retries", "version": "1"}',
    '',
    '{"timestamp": "2026-11-20T09:01:00Z", "level": "INFO", "message": "user 7 failed after 3 retries", "version": "1"}',
    '{"timestamp": "2026-11-20T09:02:00Z", "level": "WARNING", "message": "item 3 is not in the catalogue, falling back", "version": "2"}',
    'not json at all 1',
  ].join('\n');
  writeFileSync(path.join(dir, 'svc.jsonl'), `${log}\n`);
  writeFileSync(path.join(dir, 'app.py'), 'import logging\nlogger = logging.getLogger(__name__)\ndef f(u, n):\n    logger.info("user %s failed after %d retries", u, n)\n');
  const json = await runCli(['patterns', 'svc.jsonl', '--json'], dir);
  assert.equal(json.code, 0, json.err);
  const out = JSON.parse(json.out) as { lines: number; patterns: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(out), ['lines', 'patterns']);
  assert.equal(out.lines, 5);
  assert.deepEqual(Object.keys(out.patterns[0]!), ['id', 'template', 'count', 'firstSeen', 'lastSeen', 'levels', 'samples', 'callSites']);
  assert.deepEqual(out.patterns[0], {
    id: out.patterns[0]!.id,
    template: 'user <num> failed after <num> retries',
    count: 2,
    firstSeen: '2026-11-20T09:00:00.000Z',
    lastSeen: '2026-11-20T09:01:00.000Z',
    levels: { INFO: 2 },
    samples: ['user 1 failed after 2 retries', 'user 7 failed after 3 retries'],
    callSites: [{ file: 'app.py', line: 4 }],
  });
  assert.match(out.patterns[0]!.id as string, /^p[0-9a-f]{10}$/);
  const assign = await runCli(['patterns', 'svc.jsonl', '--assign'], dir);
  assert.equal(assign.code, 0);
  const ids = assign.out.split('\n');
  assert.equal(ids.length, 5);
  assert.equal(ids[0], ids[2]);
  assert.notEqual(ids[0], ids[3]);
  const since = await runCli(['patterns', 'svc.jsonl', '--json', '--since', 'deploy'], dir);
  assert.deepEqual((JSON.parse(since.out) as typeof out).patterns.map((p) => p.template), ['item <num> is not in the catalogue, falling back']);
  const missing = await runCli(['patterns', 'nope.log'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.log does not exist/);
  assert.equal((await runCli(['patterns', 'svc.jsonl', '--since', 'yesterday-ish'], dir)).code, 2);
  // gzip and plain text work the same way.
  writeFileSync(path.join(dir, 'svc.log.gz'), gzipSync('2026-11-20 09:00:00,000 INFO app: user 1 failed after 2 retries\n'));
  const gz = await runCli(['patterns', 'svc.log.gz', '--json'], dir);
  assert.equal((JSON.parse(gz.out) as typeof out).patterns[0]!.template, 'user <num> failed after <num> retries');
});

test('iwb patterns: hostile and broken input is reported, never fatal', async (t) => {
  const dir = tempDir(t);
  // (a tag with attributes, `<img src=x onerror=…>`, is a printed value: masked as `<obj>`, see masking.ts)
  const hostile = '<script>alert(1)</script>';
  writeFileSync(path.join(dir, 'mixed.log'), Buffer.concat([Buffer.from(`INFO ${hostile}\n{"level":"INFO","message":"${hostile}"}\n`), Buffer.from([0xff, 0xfe, 0x0a]), Buffer.from('\u0000\u0001 binary\n'), Buffer.from(`${'x'.repeat(2 * 1024 * 1024)}\nend\n`)]));
  const r = await runCli(['patterns', 'mixed.log'], dir);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /1 line skipped: binary data/);
  assert.match(r.err, /1 line skipped: longer than the line limit/);
  assert.match(r.err, /not valid UTF-8/);
  assert.match(r.out, /<script>alert\(<num>\)<\/script>/);
  const assign = await runCli(['patterns', 'mixed.log', '--assign'], dir);
  assert.equal(assign.out.split('\n').length, 6);
});

test('worker threads give the report and the line order a single reader gives', async (t) => {
  const dir = tempDir(t);
  // The real worker bundle, built the way esbuild.mjs builds dist/patternsWorker.js.
  const esbuild = await import('esbuild');
  const script = path.join(dir, 'patternsWorker.js');
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'src/node/patternsWorker.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, logLevel: 'error' });
  const lines: string[] = [];
  for (let i = 0; i < 6000; i++) {
    const ts = new Date(Date.parse('2026-11-20T09:00:00Z') + i * 1000).toISOString();
    lines.push(i % 3 ? JSON.stringify({ timestamp: ts, level: 'INFO', message: `user ${i} logged in from 10.0.0.${i % 255}`, version: i < 4000 ? '1' : '2' }) : i % 7 ? `2026-11-20 09:00:00,000 WARNING app: retry ${i} of 5` : '');
  }
  const file = path.join(dir, 'big.log');
  writeFileSync(file, `${lines.join('\n')}\n\u0000 binary\n`);
  const single = await analyzePatternFiles([file], { assign: true });
  const parallel = await analyzePatternFilesParallel([file], { assign: true, workerScript: script, workers: 2, minParallelBytes: 1, partBytes: 40_000 });
  const ids = (r: typeof single) => [...r.assignment!].map((i) => r.report.patterns[i]!.id);
  assert.deepEqual(ids(parallel), ids(single));
  const strip = (r: typeof single) => r.report.patterns.map((p) => ({ ...p, samples: p.samples.map((s) => [s.line, s.message]) }));
  assert.deepEqual(strip(parallel), strip(single));
  assert.equal(parallel.report.lines, single.report.lines);
  assert.deepEqual(parallel.report.skipped, single.report.skipped);
  assert.deepEqual(parallel.report.cutoff, single.report.cutoff);
});
