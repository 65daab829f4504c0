// Logs of servers and frameworks an on-call engineer meets beside the service's own: nginx's access and error
// logs, Redis, Ruby's Logger, Tornado (and Jupyter), Python's logging.basicConfig() default, and the header
// shapes of gunicorn, Airflow, Elasticsearch and Spring Boot. The header is not part of any template, lines get
// their time and level, and a log whose lines start with `[` is a text log, not JSON that failed to parse.
// Fixtures: test/fixtures/logs-nginx/, logs-redis/, logs-ruby/, logs-python/ (recorded from the real programs,
// NOTE.md in each); the inline lines of Airflow, Elasticsearch and Spring Boot follow their documented default
// formats (those programs do not run here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readText } from '../../src/core/logs/reader';
import { stripWorkerPrefix } from '../../src/core/logs/workerPrefixes';
import { isErrorRecord } from '../../src/core/logs/types';
import { analyzePatternFiles } from '../../src/core/patterns/load';
import { parseTextHeader } from '../../src/core/logs/textHeader';
import { repoRoot, runCli } from './helpers';

const fixture = (folder: string, name: string) => path.join(repoRoot, 'test/fixtures', folder, name);

/** Each line's header ends where its message starts, with this level and time. */
function assertHeaders(cases: [line: string, message: string, level: string, time: number | undefined][]): void {
  for (const [line, message, level, time] of cases) {
    const h = parseTextHeader(line)!;
    assert.equal(line.slice(h.start), message, line);
    assert.equal(h.level, level, line);
    assert.equal(h.timestamp, time, line);
  }
}

async function patternsOf(file: string) {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l !== '');
  const { report } = await analyzePatternFiles([file]);
  const levels: Record<string, number> = {};
  for (const p of report.patterns) for (const [l, n] of Object.entries(p.levels)) levels[l] = (levels[l] ?? 0) + n;
  return { text, lines, report, levels, templates: report.patterns.map((p) => p.template) };
}

test('nginx access log: the request is the message, the time is read, the status class is the level', async () => {
  const { lines, report, levels, templates } = await patternsOf(fixture('logs-nginx', 'access.log'));
  for (const t of templates) assert.match(t, /^"/, t);
  const status = (l: string) => /" (\d)\d\d /.exec(l)![1];
  assert.equal(levels.ERROR, lines.filter((l) => status(l) === '5').length);
  assert.equal(levels.WARNING, lines.filter((l) => status(l) === '4').length);
  assert.equal(levels.INFO, lines.filter((l) => status(l) < '4').length);
  assert.ok(levels.ERROR! >= 4);
  const first = Math.min(...report.patterns.map((p) => new Date(p.firstSeen!).getTime()));
  assert.equal(first, Date.parse('2026-12-06T16:00:32Z'));
  // A time zone other than UTC is honoured.
  const h = parseTextHeader('10.0.0.7 - alice [06/Dec/2026:17:00:32 +0100] "GET /a HTTP/1.1" 503 0 "-" "curl/8"')!;
  assert.equal(h.timestamp, Date.parse('2026-12-06T16:00:32Z'));
  assert.equal(h.level, 'ERROR');
});

test('nginx error log: the pid, thread and connection number are header', async () => {
  const { lines, levels, templates } = await patternsOf(fixture('logs-nginx', 'error.log'));
  assert.equal(levels.ERROR, lines.length);
  for (const t of templates) assert.match(t, /^(open|connect)\(\) /, t);
});

test('Redis: pid and role are header, the mark after the time is the level', async () => {
  const { lines, levels, templates } = await patternsOf(fixture('logs-redis', 'redis.log'));
  for (const t of templates) assert.doesNotMatch(t, /^<num>:|Dec <num>/, t);
  const marks = (m: string) => lines.filter((l) => new RegExp(`^\\d+:[XCSM] .{24} \\${m} `).test(l)).length;
  assert.equal(levels.WARNING, marks('#'));
  assert.equal(levels.INFO, marks('*'));
  assert.equal(levels.DEBUG, marks('-') + marks('.'));
  assert.ok(templates.includes('Ready to accept connections'));
});

test("Ruby's Logger: the letter, time, pid and progname are header", async () => {
  const { lines, levels, templates } = await patternsOf(fixture('logs-ruby', 'logger.log'));
  for (const t of templates) assert.doesNotMatch(t, /-- |#<num>\]/, t);
  for (const [letter, level] of [['I', 'INFO'], ['W', 'WARNING'], ['E', 'ERROR'], ['F', 'FATAL'], ['D', 'DEBUG']] as const) {
    assert.equal(levels[level] ?? 0, lines.filter((l) => l.startsWith(`${letter}, [`)).length, level);
  }
  assert.ok(templates.includes('job <num> done in <duration>'));
});

test('Tornado: the level letter, time and module are header; an uncaught exception is one error event with its traceback', async () => {
  const file = fixture('logs-python', 'tornado.log');
  const { levels, templates } = await patternsOf(file);
  for (const t of templates) assert.doesNotMatch(t, /^\[/, t);
  assert.ok(templates.includes('Uncaught exception GET /checkout (<ip>)'));
  assert.ok((levels.WARNING ?? 0) >= 3 && (levels.ERROR ?? 0) >= 2);
  // The Errors view: the first line starts with `[` and the log is still read as text.
  const text = readFileSync(file, 'utf8');
  const { records, context } = readText(text, { source: 'tornado.log' });
  assert.deepEqual(context.skips.summaries(), []);
  const uncaught = records.filter((r) => r.exception);
  assert.equal(uncaught.length, (text.match(/Uncaught exception/g) ?? []).length);
  for (const r of uncaught) {
    assert.match(r.message, /^Uncaught exception GET \/checkout/);
    assert.equal(r.exception!.chain.at(-1)!.type, 'KeyError');
    assert.ok(r.exception!.chain.at(-1)!.frames.some((f) => f.file.endsWith('record_tornado.py') && f.line === 48));
  }
  // Jupyter writes the date in full.
  const h = parseTextHeader('[W 2026-12-06 16:00:00.123 ServerApp] Notebook server is not running with a password')!;
  assert.equal(h.level, 'WARNING');
  assert.equal(h.timestamp, Date.parse('2026-12-06T16:00:00.123Z'));
});

test("Python's basicConfig default (LEVEL:logger:message): level and logger are header, in both readers", async () => {
  const file = fixture('logs-python', 'basic.log');
  const { lines, levels, templates } = await patternsOf(file);
  for (const t of templates) assert.doesNotMatch(t, /^[A-Z]+:/, t);
  assert.equal(levels.WARNING, lines.filter((l) => l.startsWith('WARNING:')).length);
  assert.ok(templates.includes('connection to db:<num> refused, retry <num>/<num> in <duration>'));
  const { records } = readText(readFileSync(file, 'utf8'), { source: 'basic.log' });
  const errors = records.filter(isErrorRecord);
  assert.deepEqual(errors.filter((r) => r.exception).map((r) => r.exception!.chain.at(-1)!.type), ['ZeroDivisionError', 'ValueError']);
  assert.equal(errors.find((r) => r.level === 'CRITICAL')?.logger, 'app.db');
});

test('gunicorn, Airflow, Elasticsearch, Spring Boot, Django, Dagster, Prefect and MariaDB: the header ends where the message starts', () => {
  const cases: [string, string, string, number | undefined][] = [
    ['[2026-12-06 16:00:01 +0000] [1234] [ERROR] Exception in worker process', 'Exception in worker process', 'ERROR', Date.parse('2026-12-06T16:00:01Z')],
    ['[2026-12-06T16:00:00.123+0000] {taskinstance.py:1234} INFO - Marking task as SUCCESS. dag_id=etl, task_id=load', 'Marking task as SUCCESS. dag_id=etl, task_id=load', 'INFO', Date.parse('2026-12-06T16:00:00.123Z')],
    ['[2026-12-06T16:00:00,123][WARN ][o.e.c.r.a.DiskThresholdMonitor] [node-1] high disk watermark [90%] exceeded', 'high disk watermark [90%] exceeded', 'WARNING', Date.parse('2026-12-06T16:00:00.123Z')],
    ["2026-12-06T16:00:00.123Z  INFO 1234 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path ''", "Tomcat started on port 8080 (http) with context path ''", 'INFO', Date.parse('2026-12-06T16:00:00.123Z')],
    ['2026-12-06T16:00:00.123Z ERROR 1234 --- [myapp] [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() threw exception', 'Servlet.service() threw exception', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
    ['ERROR 2026-12-06 16:00:00,123 log 1234 140234 Internal Server Error: /checkout', 'Internal Server Error: /checkout', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
    ['2026-12-06 16:00:00 +0100 - dagster - DEBUG - my_job - RUN_START - Started execution', 'my_job - RUN_START - Started execution', 'DEBUG', Date.parse('2026-12-06T15:00:00Z')],
    ["16:00:00.123 | INFO    | prefect.engine - Created flow run 'amber-fox' for flow 'etl'", "Created flow run 'amber-fox' for flow 'etl'", 'INFO', undefined],
    // (MariaDB: `InnoDB:` names the component)
    ['2026-12-06 16:00:00 0 [Note] InnoDB: Buffer pool(s) load completed at 261206 16:00:00', 'Buffer pool(s) load completed at 261206 16:00:00', 'NOTICE', Date.parse('2026-12-06T16:00:00Z')],
  ];
  assertHeaders(cases);
  // The Errors reader reads a gunicorn log (first line in brackets) as text, with the traceback after an error.
  const gunicorn = [
    '[2026-12-06 16:00:00 +0000] [1234] [INFO] Booting worker with pid: 1235',
    '[2026-12-06 16:00:01 +0000] [1235] [ERROR] Exception in worker process',
    'Traceback (most recent call last):',
    '  File "/srv/app/wsgi.py", line 3, in <module>',
    "KeyError: 'DATABASE_URL'",
  ].join('\n');
  const { records, context } = readText(gunicorn, { source: 'gunicorn.log' });
  assert.deepEqual(context.skips.summaries(), []);
  assert.deepEqual(records.filter(isErrorRecord).map((r) => [r.message, r.exception?.chain.at(-1)?.type]), [['Exception in worker process', 'KeyError']]);
  // A log of JSON arrays is still read as JSON (its lines have none of the mapped fields).
  assert.deepEqual(readText('[1, 2]\n[3]\n', { source: 'a.jsonl' }).context.skips.summaries().map((s) => [s.reason, s.count]), [['noFields', 2]]);
});

test("MongoDB's JSON log and Serilog's compact JSON: their time, level and message fields are found", async () => {
  // MongoDB 4.4+ (not packaged for this machine: lines as its documentation gives them) and Serilog's CLEF.
  const mongo = [
    '{"t":{"$date":"2026-12-06T16:00:00.123+00:00"},"s":"I",  "c":"NETWORK",  "id":22943,   "ctx":"listener","msg":"Connection accepted","attr":{"remote":"127.0.0.1:51100"}}',
    '{"t":{"$date":"2026-12-06T16:00:01.123+00:00"},"s":"W",  "c":"CONTROL",  "id":22120,   "ctx":"initandlisten","msg":"Access control is not enabled for the database"}',
    '{"t":{"$date":"2026-12-06T16:00:02.123+00:00"},"s":"E",  "c":"STORAGE",  "id":22302,   "ctx":"initandlisten","msg":"WiredTiger error","attr":{"error":13}}',
    '{"t":{"$date":"2026-12-06T16:00:03.123+00:00"},"s":"D2", "c":"QUERY",    "id":20967,   "ctx":"conn12","msg":"Beginning planning"}',
  ].join('\n');
  const { records } = readText(mongo, { source: 'mongod.log', allRecords: true });
  assert.deepEqual(
    records.map((r) => [r.level, r.timestamp, r.message]),
    [
      ['INFO', Date.parse('2026-12-06T16:00:00.123Z'), 'Connection accepted'],
      ['WARNING', Date.parse('2026-12-06T16:00:01.123Z'), 'Access control is not enabled for the database'],
      ['ERROR', Date.parse('2026-12-06T16:00:02.123Z'), 'WiredTiger error'],
      ['DEBUG', Date.parse('2026-12-06T16:00:03.123Z'), 'Beginning planning'],
    ],
  );
  // A short key `s` that is not a MongoDB severity is not a level (here: seconds).
  assert.equal(readText('{"msg":"took a while","s":45}\n', { source: 'a.jsonl', allRecords: true }).records[0]!.level, undefined);
  const clef = '{"@t":"2026-12-06T16:00:01.1230000Z","@mt":"Order {OrderId} failed","@l":"Error","OrderId":18}\n';
  const [r] = readText(clef, { source: 'app.clef', allRecords: true }).records;
  assert.deepEqual([r!.level, r!.message, r!.timestamp], ['ERROR', 'Order {OrderId} failed', Date.parse('2026-12-06T16:00:01.123Z')]);
});

test('ML and data tools: Transformers, torch.distributed, TensorFlow, Ray, vLLM, Dask (the HOWTO format) and loguru', () => {
  // Their default formats (inline: these programs do not run here, but the formats are their documented defaults).
  const year = new Date().getUTCFullYear();
  const cases: [string, string, string, number | undefined][] = [
    ['[INFO|trainer.py:2345] 2026-12-06 16:00:00,123 >> ***** Running training *****', '***** Running training *****', 'INFO', Date.parse('2026-12-06T16:00:00.123Z')],
    ['[2026-12-06 16:00:00,123] torch.distributed.elastic.multiprocessing.api: [ERROR] failed (exitcode: 1) local_rank: 0 (pid: 1234) of binary: /usr/bin/python3', 'failed (exitcode: 1) local_rank: 0 (pid: 1234) of binary: /usr/bin/python3', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
    ['2026-12-06 16:00:00.123456: E external/local_xla/xla/stream_executor/cuda/cuda_dnn.cc:9261] Unable to register cuDNN factory', 'Unable to register cuDNN factory', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
    ['[2026-12-06 16:00:00,123 E 1234 1250] (raylet) node_manager.cc:1052: The node with node id abc has been marked dead', 'The node with node id abc has been marked dead', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
    ['2026-12-06 16:00:00,123\tINFO worker.py:1841 -- Started a local Ray instance.', 'Started a local Ray instance.', 'INFO', Date.parse('2026-12-06T16:00:00.123Z')],
    ["WARNING 12-06 16:00:01 [config.py:456] Casting torch.bfloat16 to torch.float16.", 'Casting torch.bfloat16 to torch.float16.', 'WARNING', Date.parse(`${year}-12-06T16:00:01Z`)],
    ['2026-12-06 16:00:00,123 - distributed.scheduler - INFO - Receive client connection: Client-5f0c', 'Receive client connection: Client-5f0c', 'INFO', Date.parse('2026-12-06T16:00:00.123Z')],
    ['2026-12-06 16:00:00.123 | ERROR    | app.main:run:42 - payment 17 failed', 'payment 17 failed', 'ERROR', Date.parse('2026-12-06T16:00:00.123Z')],
  ];
  // (vLLM's time has no year: this year's, or last year's when that would be in the future)
  const vllmThisYear = Date.parse(`${year}-12-06T16:00:01Z`) <= Date.now() + 86_400_000;
  assertHeaders(cases.map(([line, message, level, time]) => [line, message, level, line.startsWith('WARNING 12-06') && !vllmThisYear ? Date.parse(`${year - 1}-12-06T16:00:01Z`) : time]));
  // A level that begins the line is followed by the message, not a time, when no time follows.
  assert.equal('INFO 2 workers started'.slice(parseTextHeader('INFO 2 workers started')!.start), '2 workers started');
  // The Errors reader gets the level of the Transformers and Ray lines too.
  const { records } = readText('[ERROR|trainer.py:99] 2026-12-06 16:00:00,123 >> CUDA out of memory\n[2026-12-06 16:00:00,123 E 1 2] (gcs_server) gcs.cc:9: lost\n', { source: 'ml.log' });
  assert.deepEqual(records.filter(isErrorRecord).map((r) => r.message), ['CUDA out of memory', 'lost']);
});

test("a training cluster's own lines: c10's, NCCL's, Slurm's, wandb's and argparse's levels, in both readers", () => {
  // Their documented formats, inline: NCCL needs GPUs and Slurm a cluster, neither of which runs here.
  const cases: [line: string, message: string, level: string][] = [
    ['[E ProcessGroupNCCL.cpp:475] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1, OpType=ALLREDUCE) ran for 600123 milliseconds before timing out.', '[Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1, OpType=ALLREDUCE) ran for 600123 milliseconds before timing out.', 'ERROR'],
    ['[W socket.cpp:663] [c10d] The client socket has failed to connect to [localhost]:29500 (errno: 99 - Cannot assign requested address).', '[c10d] The client socket has failed to connect to [localhost]:29500 (errno: 99 - Cannot assign requested address).', 'WARNING'],
    ['node01:4242:4300 [1] NCCL INFO Channel 00/02 : 0 1', 'Channel 00/02 : 0 1', 'INFO'],
    ['node01:4242:4300 [1] include/socket.h:409 NCCL WARN Net : Connect to 10.0.0.2<34567> failed : Connection refused', 'Net : Connect to 10.0.0.2<34567> failed : Connection refused', 'WARNING'],
    ['srun: error: node01: task 1: Exited with exit code 1', 'node01: task 1: Exited with exit code 1', 'ERROR'],
    ['slurmstepd: error: *** JOB 1234 ON node01 CANCELLED AT 2026-12-06T16:00:00 DUE TO TIME LIMIT ***', '*** JOB 1234 ON node01 CANCELLED AT 2026-12-06T16:00:00 DUE TO TIME LIMIT ***', 'ERROR'],
    ['wandb: ERROR Run initialization has timed out after 90.0 sec.', 'Run initialization has timed out after 90.0 sec.', 'ERROR'],
    ['wandb: WARNING Serializing object of type dict that is 1234 bytes', 'Serializing object of type dict that is 1234 bytes', 'WARNING'],
    ['train.py: error: argument --lr: invalid float value: \'x\'', "argument --lr: invalid float value: 'x'", 'ERROR'],
  ];
  assertHeaders(cases.map(([line, message, level]) => [line, message, level, undefined]));
  const { records } = readText(cases.map(([line]) => line).join('\n') + '\n', { allRecords: true });
  assert.deepEqual(records.map((r) => [r.message, r.level]), cases.map(([, message, level]) => [message, level]));
  // Not headers: a Python exception's line (a capital), a program's words that are not a level.
  for (const line of ['RuntimeError: error: CUDA error: an illegal memory access was encountered', 'json.decoder.JSONDecodeError: ERROR x', 'make: *** [Makefile:3: all] Error 1']) {
    assert.equal(parseTextHeader(line), undefined, line);
  }
  // What the Errors reader's quick reading left out: a level after more than the time, a time after the level.
  const more = readText(
    [
      '2026-12-06 12:48:17.331 UTC [3279] LOG:  database system is ready to accept connections',
      '2026-12-06 16:00:00.123456: E external/local_xla/xla/stream_executor/cuda/cuda_driver.cc:282] failed call to cuInit: CUDA_ERROR_NO_DEVICE',
      'ERROR 12-06 16:00:00 [engine.py:123] Engine background task failed',
      '2026-12-06 16:00:00.123 | ERROR    | __main__:train:42 - loss is NaN at step 120',
    ].join('\n') + '\n',
    { allRecords: true },
  ).records;
  assert.deepEqual(
    more.map((r) => [r.level, r.message, r.timestamp !== undefined]),
    [
      ['INFO', 'database system is ready to accept connections', true],
      ['ERROR', 'failed call to cuInit: CUDA_ERROR_NO_DEVICE', true],
      ['ERROR', 'Engine background task failed', true],
      ['ERROR', 'loss is NaN at step 120', true],
    ],
  );
});

test("Python's warnings in a training log (FutureWarning, DeprecationWarning): a warning whose place is header, in both readers", async () => {
  const file = fixture('logs-python', 'warnings.log');
  const { levels, templates, report } = await patternsOf(file);
  assert.ok(templates.includes('DeprecationWarning: load_checkpoint(step) is deprecated; pass a path'), templates.join(' | '));
  assert.equal(report.patterns.find((p) => p.template.startsWith('DeprecationWarning'))?.count, 3);
  assert.ok(templates.some((t) => t.startsWith('FutureWarning: `resume_download` is deprecated')));
  assert.equal(levels.WARNING, 4);
  for (const t of templates) assert.doesNotMatch(t, /^(?:\/srv|<path>)|load_checkpoint\(step\)$/, t);
  const { records } = readText(readFileSync(file, 'utf8'), { allRecords: true });
  const warnings = records.filter((r) => r.level === 'WARNING');
  assert.equal(warnings.length, 4);
  assert.ok(warnings.every((r) => r.logger === 'record_warnings.py' && !isErrorRecord(r)));
});

test('torchrun: the [rankN]: prefixes are stripped, so each rank\'s traceback is one error with its frames', async () => {
  const file = fixture('logs-torch', 'torchrun.log');
  const text = readFileSync(file, 'utf8');
  const { records, context } = readText(text, { source: 'torchrun.log' });
  assert.deepEqual(context.skips.summaries(), []);
  const errors = records.filter(isErrorRecord);
  const types = errors.map((r) => r.exception?.chain.at(-1)?.type).sort();
  assert.deepEqual(types, ['RuntimeError', 'ValueError', 'torch.distributed.elastic.multiprocessing.errors.ChildFailedError']);
  const failed = errors.find((r) => r.exception?.chain.at(-1)?.type === 'ValueError')!;
  assert.deepEqual(
    failed.exception!.chain.at(-1)!.frames.map((f) => `${f.function}:${f.line}`),
    ['<module>:72', 'main:62', 'train_step:36', 'load_batch:27'],
  );
  const { templates, report } = await patternsOf(file);
  for (const t of templates) assert.doesNotMatch(t, /^\[(rank|default)/, t);
  // Both ranks' lines are one pattern.
  const loss = report.patterns.find((p) => p.template === 'step <num> loss=<num> mean_loss=<num>');
  assert.equal(loss?.count, (text.match(/ loss=/g) ?? []).length);
  assert.deepEqual(loss?.levels, { INFO: loss!.count });
});

test('worker prefixes of launchers are stripped, and only those', () => {
  for (const [line, rest] of [
    ['[rank1]:[rank1]: Traceback (most recent call last):', 'Traceback (most recent call last):'],
    ['[rank1]: [rank1]:   File "/srv/train.py", line 3, in <module>', '  File "/srv/train.py", line 3, in <module>'],
    ['[default0]:2026-12-06 16:20:11,323 - train - INFO - started', '2026-12-06 16:20:11,323 - train - INFO - started'],
    ['(RayTrainWorker pid=1234, ip=10.0.0.5) Traceback (most recent call last):', 'Traceback (most recent call last):'],
    ['(pid=77) INFO worker.py:12 -- ready', 'INFO worker.py:12 -- ready'],
    ['(raylet) [2026-12-06 16:00:00,123 E 1 2] (raylet) node_manager.cc:9: dead', '[2026-12-06 16:00:00,123 E 1 2] (raylet) node_manager.cc:9: dead'],
  ]) assert.equal(stripWorkerPrefix(line!), rest, line);
  for (const line of ['[main] INFO app - started', '[2026-12-06 16:00:00,123] INFO x', '[W1206 16:00:00.1 1 a.cc:1] x', '(venv) $ ls', '[worker-3] ready', '[1]:']) {
    assert.equal(stripWorkerPrefix(line), line, line);
  }
});

test('iwb patterns on the torchrun log: each pattern of the script opens the logging call that wrote it', async () => {
  const { code, out } = await runCli(['patterns', 'test/fixtures/logs-torch/torchrun.log', '--code', 'test/fixtures/logs-torch', '--json']);
  assert.equal(code, 0);
  const report = JSON.parse(out) as { patterns: { template: string; callSites: { file: string; line: number }[] }[] };
  const train = readFileSync(fixture('logs-torch', 'train.py'), 'utf8').split('\n');
  const sites = (template: string) => report.patterns.find((p) => p.template === template)?.callSites ?? [];
  for (const [template, call] of [
    ['step <num> loss=<num> mean_loss=<num>', 'loss='],
    ['step <num> loading batch', 'loading batch'],
    ['rank <num> of <num> started (pid <num>, backend gloo)', 'started'],
  ] as const) {
    const [site, ...more] = sites(template);
    assert.equal(more.length, 0, template);
    assert.equal(site?.file, 'test/fixtures/logs-torch/train.py', template);
    assert.match(train[site!.line - 1]!, new RegExp(`log(ger)?\\.\\w+\\(.*${call.replace(/[()]/g, '\\$&')}`), template);
  }
});
