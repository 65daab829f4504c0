// Records a real py-spy profile of the demo service under load and attaches it to the demo incident through
// the incident writer (the code the extension and `iwb` use): evidence/profiles/<time>-server.speedscope.json,
// recorded in incident.json with a timeline event, under the one naming rule.
//
//   node demo/scripts/record_profile.mjs [--seconds 10] [--incident INC-2026-001] [--at ISO-TIME]   (from the repository root)
//
// The service runs as deployed (scripts/deployed.py maps demo/ to /app), so the profile's frames name
// /app/service/*.py, which the demo's incidentWorkbench.pathMappings opens here, and no path of the machine
// that recorded it. Two clients send /recommend requests (scripts/busy_loop.py) while py-spy samples the
// server's process at 100 Hz. Needs python3 and py-spy on PATH (py-spy attaches to another process: root,
// or ptrace permission). `--at` sets the time recorded for the evidence (default: now).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const DEMO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(DEMO, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('seconds', '10'));
const incidentId = arg('incident', 'INC-2026-001');
const at = arg('at', new Date().toISOString());

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The incident writer and the Node file system the CLI uses, bundled from the TypeScript sources. */
async function loadWriter(dir) {
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    [
      `export { IncidentStore } from ${JSON.stringify(join(REPO, 'src/core/store/incidentStore.ts'))};`,
      `export { NodeFileSystem } from ${JSON.stringify(join(REPO, 'src/cli/nodeFileSystem.ts'))};`,
      `export { evidenceStamp } from ${JSON.stringify(join(REPO, 'src/core/incident/writer.ts'))};`,
    ].join('\n'),
  );
  const out = join(dir, 'writer.cjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error', mainFields: ['module', 'main'] });
  return createRequire(import.meta.url)(out);
}

const tmp = mkdtempSync(join(tmpdir(), 'iwb-demo-profile-'));
const children = [];
try {
  if (spawnSync('py-spy', ['--version']).status !== 0) throw new Error('py-spy is not on PATH: python3 -m pip install py-spy');
  const port = await freePort();
  // The launcher itself runs as a container's entrypoint would, from /usr/local/bin: its frames are at the
  // bottom of the main thread's stacks and must not carry this machine's path either.
  const launcher = `import sys; sys.argv = ['deployed.py'] + sys.argv[1:]; p = ${JSON.stringify(join(DEMO, 'scripts', 'deployed.py'))}; exec(compile(open(p).read(), '/usr/local/bin/deployed.py', 'exec'), {'__name__': '__main__', '__file__': p})`;
  // -S: no site packages (the service needs the standard library only), so nothing is imported before the
  // launcher maps the standard library.
  const server = spawn('python3', ['-S', '-c', launcher, '--map', `${DEMO}=/app`, '-m', 'service.server', '--port', String(port)], { cwd: DEMO, stdio: 'ignore' });
  children.push(server);
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 100) throw new Error('the demo service did not start');
    await sleep(100);
  }
  const load = spawn('python3', [join(DEMO, 'scripts', 'busy_loop.py'), '--url', `http://127.0.0.1:${port}`, '--seconds', String(seconds + 4), '--clients', '2'], { cwd: DEMO, stdio: ['ignore', 'inherit', 'ignore'] });
  children.push(load);
  await sleep(1500);
  const profile = join(tmp, 'server.speedscope.json');
  const recorded = spawnSync('py-spy', ['record', '--pid', String(server.pid), '--duration', String(seconds), '--rate', '100', '--format', 'speedscope', '--full-filenames', '--output', profile], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (recorded.status !== 0) throw new Error(`py-spy record exited with ${recorded.status}`);
  // Standard-library modules the interpreter loaded before the launcher could map them (enum, re, ...) keep
  // their real file names: give them the same /usr/local/lib/python3.X prefix as every other stdlib frame.
  const [stdlib, version] = spawnSync('python3', ['-S', '-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(f"{sys.version_info.major}.{sys.version_info.minor}")'], { encoding: 'utf8' }).stdout.trim().split('\n');
  const speedscope = JSON.parse(readFileSync(profile, 'utf8'));
  for (const f of speedscope.shared.frames) if (typeof f.file === 'string' && f.file.startsWith(`${stdlib}/`)) f.file = `/usr/local/lib/python${version}${f.file.slice(stdlib.length)}`;
  const machinePaths = speedscope.shared.frames.map((f) => f.file ?? '').filter((f) => f && !/^(\/app\/|\/usr\/local\/|<)/.test(f));
  if (machinePaths.length) throw new Error(`the profile names paths of this machine (${[...new Set(machinePaths)].slice(0, 3).join(', ')}); the service did not run as deployed`);
  const bytes = Buffer.from(JSON.stringify(speedscope));
  // What the note says is measured here: the share of the samples whose stack holds a frame.
  const share = (name) => {
    const ids = new Set(speedscope.shared.frames.flatMap((f, i) => (f.name === name ? [i] : [])));
    let hit = 0;
    let all = 0;
    for (const p of speedscope.profiles) p.samples.forEach((stack, i) => {
      const w = p.weights[i] ?? 0;
      all += w;
      if (stack.some((f) => ids.has(f))) hit += w;
    });
    return all ? hit / all : 0;
  };
  const requests = share('recommend');
  const pairwise = share('pairwise_diversity');
  const pct = (x) => `${(x * 100).toFixed(0)} %`;
  const note = `py-spy, ${seconds} s at 100 Hz, of the service under two clients of /recommend: pairwise_diversity (→ dot) is ${pct(pairwise / requests)} of the time spent in requests (${pct(pairwise)} of all samples)`;

  const { IncidentStore, NodeFileSystem, evidenceStamp } = await loadWriter(tmp);
  const store = new IncidentStore(new NodeFileSystem(DEMO));
  const written = await store.writer().addEvidence(
    incidentId,
    {
      name: `${evidenceStamp(new Date(at))}-server.speedscope.json`,
      bytes,
      kind: 'profile',
      note,
      allowBinary: true,
    },
    { now: at, actor: 'on-call' },
  );
  console.log(`attached ${written.path} to ${incidentId}`);
} finally {
  for (const c of children.reverse()) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
