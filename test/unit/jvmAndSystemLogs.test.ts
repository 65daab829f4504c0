// The Errors view on logs that neither start with an ISO time nor with a level, and on JVM exceptions:
// - Spark's log4j layout (`yy/MM/dd HH:mm:ss LEVEL Component: message`, then the exception): recorded from a
//   real JVM and log4j 2 with Spark's default pattern (test/fixtures/logs-java/spark/, NOTE.md there);
// - CPython's crash report (faulthandler) under a training loop's log lines (test/fixtures/logs-python/crash.log);
// - the 16 systems of Loghub-2k (bench/data/loghub-2k, real logs): before, the Errors reader read no record
//   of twelve of them; the error lines each system's own format marks are now its error events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as path from 'node:path';
import { readText } from '../../src/core/logs/reader';
import { parseJavaStack } from '../../src/core/logs/javaStack';
import { parseTextHeader } from '../../src/core/logs/textHeader';
import { isErrorRecord, type LogRecord } from '../../src/core/logs/types';
import { isLibraryPath } from '../../src/core/paths/pathMappings';
import { analyzeLogFiles } from '../../src/core/errors/load';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { categorise } from '../../src/core/errors/categories';
import { repoRoot } from './helpers';

const sparkLog = path.join(repoRoot, 'test/fixtures/logs-java/spark/spark.log');

test("Spark's log4j layout: the two-digit-year time and level are read; each exception is the error's, causes in Python's order", () => {
  const text = readFileSync(sparkLog, 'utf8');
  const lines = text.split('\n');
  const { records } = readText(text, { source: 'spark.log', allRecords: true });
  const errors = records.filter(isErrorRecord);
  // The ERROR lines (two with the exception under them), and the JVM's own report of the uncaught one.
  assert.equal(errors.length, lines.filter((l) => / ERROR /.test(l)).length + 1);
  const first = errors[0]!;
  assert.equal(first.level, 'ERROR');
  assert.equal(first.logger, 'Executor');
  assert.equal(first.message, 'Exception in task 4.0 in stage 1.0 (TID 4)');
  assert.equal(new Date(first.timestamp!).getUTCFullYear(), 2026);
  assert.equal(first.line, lines.findIndex((l) => l.includes('Exception in task 4.0')) + 1);
  const chain = first.exception!.chain;
  assert.deepEqual(
    chain.map((e) => [e.type, e.message, e.linkToNext]),
    [
      ['java.lang.ArithmeticException', '/ by zero', 'cause'],
      ['java.lang.IllegalStateException', 'partition 42 cannot be split', undefined],
    ],
  );
  // Outermost first, the raising frame last; `... 1 more` is the frame the cause shares with the one above.
  assert.deepEqual(chain[0]!.frames.map((f) => `${f.function}@${f.line}`), ['Job.main@31', 'Job.parsePartition@20', 'Job.divide@15']);
  assert.deepEqual(chain[1]!.frames.map((f) => `${f.file}:${f.line}`), ['Job.java:31', 'Job.java:22']);
  // The same exception printed without frames (HotSpot's fast throw) is still the error's exception.
  const bare = errors.find((r) => r.message === 'Exception in task 9.0 in stage 1.0 (TID 9)')!;
  assert.equal(bare.exception!.chain.at(-1)!.type, 'java.lang.IllegalStateException');
  // The uncaught exception, with no log line of its own.
  const uncaught = errors.at(-1)!;
  assert.equal(uncaught.message, 'java.lang.IllegalStateException: partition 42 cannot be split');
  assert.equal(uncaught.exception!.chain.at(-1)!.frames.at(-2)!.function, 'Job.main');
  // The warning that names the exception in its message stays a warning.
  assert.ok(records.some((r) => r.level === 'WARNING' && r.logger === 'TaskSetManager' && !isErrorRecord(r)));
});

test('iwb errors groups the Spark log by exception; the Patterns view keeps a cause line with its record', async () => {
  const { report } = await analyzeLogFiles([sparkLog]);
  const byType = report.clusters.find((c) => c.exceptionType === 'java.lang.IllegalStateException')!;
  assert.equal(byType.count, 3);
  assert.ok(byType.frames?.some((f) => f.file === 'Job.java' && f.line === 22));
  const patterns = (await analyzePatternFiles([sparkLog])).report.patterns;
  for (const p of patterns) assert.doesNotMatch(p.template, /^(?:Caused by|java\.lang\.)/, p.template);
  assert.equal(patterns.find((p) => p.template.startsWith('Exception in task'))?.levels.ERROR, 2);
});

test('JVM stacks: modules, native frames, suppressed exceptions, several causes; library frames by package', () => {
  const stack = [
    'org.apache.spark.SparkException: Job aborted due to stage failure',
    '\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2672)',
    '\tat java.base/java.lang.Thread.run(Thread.java:833)',
    '\tSuppressed: java.io.IOException: close failed',
    '\t\tat com.shop.Io.close(Io.java:3)',
    'Caused by: java.util.concurrent.ExecutionException: boom',
    '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
    '\tat app//com.shop.Worker$Task.run(Worker.kt:88)',
    '\t... 2 more',
    'Caused by: java.net.SocketTimeoutException: Read timed out',
    '\tat com.shop.Client.read(Unknown Source)',
    '\t... 3 more',
    'a line after the exception',
  ];
  const e = parseJavaStack(stack)!;
  assert.deepEqual(
    e.chain.map((x) => x.type),
    ['java.net.SocketTimeoutException', 'java.util.concurrent.ExecutionException', 'org.apache.spark.SparkException'],
  );
  const thrown = e.chain[2]!;
  // (the suppressed exception's frame is not one of the thrown exception's)
  assert.deepEqual(thrown.frames.map((f) => f.file), ['java/lang/Thread.java', 'org/apache/spark/scheduler/DAGScheduler.scala']);
  assert.equal(thrown.frames[1]!.function, 'DAGScheduler.failJobAndIndependentStages');
  assert.equal(thrown.frames[1]!.module, 'org.apache.spark.scheduler');
  const middle = e.chain[1]!;
  assert.deepEqual(middle.frames.map((f) => [f.file, f.line]), [
    ['java/lang/Thread.java', 833],
    ['org/apache/spark/scheduler/DAGScheduler.scala', 2672],
    ['com/shop/Worker.kt', 88],
    ['<Native Method>', undefined],
  ]);
  assert.equal(e.chain[0]!.frames.at(-1)!.file, '<Unknown Source>');
  assert.ok(isLibraryPath('java/lang/Thread.java') && isLibraryPath('scala/collection/Iterator.scala') && isLibraryPath('<Native Method>'));
  assert.ok(!isLibraryPath('com/shop/Worker.kt') && !isLibraryPath('/srv/java/app.py'));
  assert.equal(categorise({ exceptionType: 'java.net.SocketTimeoutException', message: 'Read timed out' }).category, 'infrastructure');
  // Not a JVM exception: no frames under the line, or frames of another language.
  assert.equal(parseJavaStack(['java.lang.IllegalStateException: x', 'next line']), undefined);
  assert.equal(parseJavaStack(['TypeError: x', '    at f (/app/x.js:1:2)']), undefined);
});

test('property: any printed JVM exception chain is read back whole; any other lines give no exception and never throw', () => {
  const ident = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
  const cls = fc.stringMatching(/^[A-Z][A-Za-z0-9$]{0,10}$/);
  const frame = fc.record({ pkg: fc.array(ident, { minLength: 1, maxLength: 3 }), cls, method: ident, line: fc.option(fc.integer({ min: 1, max: 99999 }), { nil: undefined }), ext: fc.constantFrom('java', 'scala', 'kt') });
  const exc = fc.record({ pkg: fc.array(ident, { minLength: 1, maxLength: 3 }), cls, message: fc.option(fc.string({ maxLength: 30 }).map((m) => m.replace(/[\r\n]/g, ' ')), { nil: undefined }), frames: fc.array(frame, { minLength: 1, maxLength: 5 }) });
  fc.assert(
    fc.property(fc.array(exc, { minLength: 1, maxLength: 4 }), (printed) => {
      const lines: string[] = [];
      printed.forEach((e, k) => {
        const head = `${e.pkg.join('.')}.${e.cls}${e.message !== undefined ? `: ${e.message}` : ''}`;
        lines.push(k === 0 ? head : `Caused by: ${head}`);
        for (const f of e.frames) lines.push(`\tat ${f.pkg.join('.')}.${f.cls}.${f.method}(${f.cls}.${f.ext}${f.line !== undefined ? `:${f.line}` : ''})`);
      });
      const info = parseJavaStack(lines)!;
      assert.equal(info.chain.length, printed.length);
      const inOrder = [...printed].reverse();
      info.chain.forEach((e, k) => {
        assert.equal(e.type, `${inOrder[k]!.pkg.join('.')}.${inOrder[k]!.cls}`);
        assert.equal(e.message, (inOrder[k]!.message ?? '').trimEnd());
        assert.deepEqual(e.frames.map((f) => [f.file, f.line]), [...inOrder[k]!.frames].reverse().map((f) => [`${f.pkg.join('/')}/${f.cls}.${f.ext}`, f.line]));
      });
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 8 }), (lines) => {
      const info = parseJavaStack(lines);
      if (info) assert.ok(/^\s+at /.test(lines[1]!), 'an exception only with a frame under its first line');
    }),
  );
});

test("A JVM service's JSON log: logback's stack_trace field is read as the exception", () => {
  const line = JSON.stringify({
    '@timestamp': '2026-12-06T16:00:00.123Z',
    level: 'ERROR',
    logger_name: 'com.shop.Checkout',
    message: 'payment failed',
    stack_trace: 'java.lang.IllegalStateException: card declined\n\tat com.shop.Checkout.pay(Checkout.java:42)\n\tat com.shop.Api.post(Api.java:7)\n',
  });
  const [r] = readText(`${line}\n`).records as [LogRecord];
  assert.equal(r.exception!.chain[0]!.type, 'java.lang.IllegalStateException');
  assert.deepEqual(r.exception!.chain[0]!.frames.map((f) => `${f.file}:${f.line}`), ['com/shop/Api.java:7', 'com/shop/Checkout.java:42']);
});

test('headers that start with neither an ISO time nor a level: syslog, Apache 2.4, BGL, Spark', () => {
  const cases: [string, string, string | undefined, string][] = [
    ['Dec 10 09:11:22 LabSZ sshd[24439]: error: Received disconnect from 103.99.0.122: 14: No more user authentication methods available. [preauth]', 'ERROR', undefined, 'Received disconnect'],
    ['Jun 15 04:06:20 combo logrotate: ALERT exited abnormally with [1]', 'ALERT', undefined, 'exited abnormally'],
    // (a capitalised word after the program is the message's)
    ['Jul  1 19:50:12 calvisitor-10-105-163-202 quicklookd[31687]: Error returned from iconservicesagent: (null)', '', undefined, 'Error returned'],
    ['[Sun Dec 06 16:00:01.123456 2026] [core:error] [pid 4243:tid 140001] [client 10.0.0.1:5678] AH00126: Invalid URI in request GET /../ HTTP/1.1', 'ERROR', '2026-12-06T16:00:01.123Z', 'Invalid URI'],
    // (BGL: an alert tag before the time; the time is the epoch seconds, the local time after it has no zone)
    ['KERNDTLB 1118536327 2005.06.11 R30-M0-N9-C:J16-U01 2005-06-11-17.32.07.581048 R30-M0-N9-C:J16-U01 RAS KERNEL FATAL data TLB error interrupt', 'FATAL', '2005-06-12T00:32:07.000Z', 'data TLB'],
    ['17/06/09 20:10:40 ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)', 'ERROR', '2017-06-09T20:10:40.000Z', 'Exception in task'],
  ];
  for (const [line, level, time, message] of cases) {
    const [r] = readText(`${line}\n`, { allRecords: true }).records;
    assert.ok(r, line);
    assert.equal(r.level ?? '', level, line);
    if (time) assert.equal(new Date(r.timestamp!).toISOString(), time, line);
    assert.ok(r.message.startsWith(message), `${line} → ${r.message}`);
    assert.equal(parseTextHeader(line)!.level ?? '', level, line);
  }
  // A two-digit first field up to 12 may be a month: left to the US reading (MM/dd/yy).
  const [us] = readText('12/06/26 16:00:00 ERROR x: y\n').records;
  assert.equal(new Date(us!.timestamp!).toISOString(), '2026-12-06T16:00:00.000Z');
});

test("CPython's crash report in a log (faulthandler): one FATAL error whose frames are the crashing thread's", async () => {
  const file = path.join(repoRoot, 'test/fixtures/logs-python/crash.log');
  const text = readFileSync(file, 'utf8');
  const { records } = readText(text, { source: 'crash.log', allRecords: true });
  const errors = records.filter(isErrorRecord);
  assert.equal(errors.length, 1);
  const [crash] = errors as [LogRecord];
  assert.equal(crash.level, 'FATAL');
  assert.equal(crash.message, 'Fatal Python error: Segmentation fault');
  assert.equal(crash.line, text.split('\n').indexOf('Fatal Python error: Segmentation fault') + 1);
  // With no time of its own, it takes the time of the log line above it (the last step logged).
  const lastLogged = records.filter((r) => r.level === 'INFO').at(-1)!;
  assert.equal(crash.timestamp, lastLogged.timestamp);
  assert.ok(crash.timestamp !== undefined);
  const [e] = crash.exception!.chain;
  assert.deepEqual([e!.type, e!.message], ['Fatal Python error', 'Segmentation fault']);
  assert.deepEqual(e!.frames.map((f) => `${f.file}:${f.line} ${f.function}`), ['/srv/app/record_crash.py:29 <module>', '/srv/app/record_crash.py:24 step', '/srv/app/record_crash.py:19 read_batch']);
  // With every thread dumped, the crashing one is the `Current thread`.
  const all = readText(
    ['Fatal Python error: Aborted', '', 'Thread 0x00007f0000000001 (most recent call first):', '  File "/srv/app/loader.py", line 5 in wait', '', 'Current thread 0x00007f0000000002 (most recent call first):', '  File "/srv/app/train.py", line 9 in backward', '  File "/srv/app/train.py", line 20 in main', ''].join('\n'),
  ).records;
  assert.deepEqual(all[0]!.exception!.chain[0]!.frames.map((f) => f.function), ['main', 'backward']);
  // The Patterns view keeps the thread's line with the crash.
  const patterns = (await analyzePatternFiles([file])).report.patterns;
  for (const p of patterns) assert.doesNotMatch(p.template, /^Current thread/, p.template);
});

/** Error lines as each Loghub system's own format marks them (its level field in logparser's log_format). */
const ERROR_LINES: Record<string, RegExp> = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(path.join(repoRoot, 'bench/data/loghub-2k/error-lines.json'), 'utf8')) as Record<string, string>)
    .filter(([system]) => !system.startsWith('_'))
    .map(([system, re]) => [system, new RegExp(re)]),
);

test('Loghub-2k: every system gives records, and the error lines its format marks are exactly its error events', async () => {
  const dir = path.join(repoRoot, 'bench/data/loghub-2k');
  assert.equal(Object.keys(ERROR_LINES).length, 9);
  for (const system of ['Android', 'Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop', 'HealthApp', 'Linux', 'Mac', 'OpenSSH', 'OpenStack', 'Proxifier', 'Spark', 'Thunderbird', 'Windows', 'Zookeeper']) {
    const text = gunzipSync(readFileSync(path.join(dir, `${system}.log.gz`))).toString('utf8');
    const lines = text.split('\n');
    const { records, context } = readText(text, { allRecords: true, source: system });
    assert.ok(context.stats.records >= 1800, `${system}: ${context.stats.records} records`);
    const marked = ERROR_LINES[system];
    if (!marked) continue;
    const expected = lines.map((l, i) => (marked.test(l) ? i + 1 : 0)).filter((n) => n > 0);
    assert.deepEqual(records.filter(isErrorRecord).map((r) => r.line), expected, system);
  }
});
