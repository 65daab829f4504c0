// Runs every level of tests in order and ends with one line that sums them: `total: N passed, N failed`.
// A level that fails still lets the later ones run, so one run shows everything that is broken.
import { spawn } from 'node:child_process';

const levels = [
  { name: 'build', cmd: ['npm', 'run', '--silent', 'build'] },
  { name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: ['npm', 'run', '--silent', 'lint'] },
  { name: 'unit', cmd: ['npm', 'run', '--silent', 'test:unit'], counts: true },
  { name: 'integration', cmd: ['npm', 'run', '--silent', 'test:integration'], counts: true },
  { name: 'e2e', cmd: ['npm', 'run', '--silent', 'test:e2e'], counts: true },
];

const only = process.argv.slice(2);

/** Counts from node's test runner (ℹ pass N / ℹ fail N) or a plain `N passed, N failed` line. */
function parseCounts(output) {
  // The last counts: a runner that retried prints the counts after its retry at the end.
  const last = (re) => [...output.matchAll(re)].pop();
  const node = { pass: last(/^ℹ pass (\d+)$/gm), fail: last(/^ℹ fail (\d+)$/gm) };
  if (node.pass && node.fail) return { passed: Number(node.pass[1]), failed: Number(node.fail[1]) };
  const plain = [...output.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  return plain ? { passed: Number(plain[1]), failed: Number(plain[2]) } : undefined;
}

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const forward = (stream) => (chunk) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

let passed = 0;
let failed = 0;
const lines = [];
for (const level of levels) {
  if (only.length > 0 && !only.includes(level.name)) continue;
  console.log(`\n=== ${level.name}: ${level.cmd.join(' ')}`);
  const started = Date.now();
  const { code, output } = await run(level.cmd);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (level.counts) {
    const counts = parseCounts(output) ?? { passed: 0, failed: 0 };
    // A runner that died before its summary is one failure, not silence.
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    passed += counts.passed;
    failed += counts.failed;
    const flaky = /^\[e2e\] after the retry: (\d+) test\(s\) failed once and passed on the retry \(flaky: (.*)\)$/m.exec(output);
    const retriedTests = [...output.matchAll(/^\[integration\] passed only on a retry: /gm)].length;
    const note = flaky && Number(flaky[1]) > 0 ? `; ${flaky[1]} passed only on a retry: ${flaky[2]}` : retriedTests ? `; ${retriedTests} passed only on a retry` : '';
    lines.push(`${level.name}: ${counts.passed} passed, ${counts.failed} failed (${seconds} s${note})`);
  } else {
    if (code !== 0) failed += 1;
    lines.push(`${level.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} (${seconds} s)`);
  }
}
console.log('\n=== summary');
for (const line of lines) console.log(line);
console.log(`total: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
