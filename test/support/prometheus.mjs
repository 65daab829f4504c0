// A real Prometheus for tests (Debian package `prometheus`, installed by scripts/install-deps.sh).
//
// API
//   import { startPrometheus, toOpenMetrics, prometheusAvailable } from '../support/prometheus.mjs';
//
//   prometheusAvailable(): { ok: boolean, reason?: string }
//       Whether `prometheus` and `promtool` are on PATH (reason says what to install when not).
//
//   toOpenMetrics(series): string
//       series: [{ name, help?, type?: 'gauge'|'counter'|'unknown', labels?: {k: v}, samples: [[unixSeconds, value], ...] }]
//       OpenMetrics text for backfilling: families grouped, samples sorted by time, "# EOF" at the end.
//       Counters need names ending in `_total` (OpenMetrics rule).
//
//   const prom = await startPrometheus({ openMetrics?, series?, readyTimeoutMs? = 60000 })
//       Backfills `openMetrics` text (or `toOpenMetrics(series)`) with
//       `promtool tsdb create-blocks-from openmetrics` into a fresh temp storage dir, starts
//       `prometheus` on a free 127.0.0.1 port with an empty scrape config, waits for /-/ready.
//       Returns { url: 'http://127.0.0.1:PORT', port, dataDir, pid, stop(): Promise<void>, log(): string }.
//       stop() sends SIGTERM (SIGKILL after 5 s), waits for exit and removes the temp dir; call it in
//       an after()/finally. log() is Prometheus' stderr so far, for failure messages.
//
// Backfilled data is queryable at its own timestamps (use timestamps within the last few days: blocks
// older than the retention are dropped; the default here is 30d).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, startDaemon } from './daemon.mjs';

const run = promisify(execFile);

export function prometheusAvailable() {
  for (const bin of ['prometheus', 'promtool']) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.error) return { ok: false, reason: `${bin} not found on PATH: apt-get install prometheus (scripts/install-deps.sh does it)` };
  }
  return { ok: true };
}

function escapeLabel(v) {
  return String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function toOpenMetrics(series) {
  const families = new Map();
  for (const s of series) {
    const type = s.type ?? 'gauge';
    const family = type === 'counter' ? s.name.replace(/_total$/, '') : s.name;
    if (!families.has(family)) families.set(family, { type, help: s.help ?? s.name, series: [] });
    families.get(family).series.push(s);
  }
  const lines = [];
  for (const [family, f] of families) {
    lines.push(`# HELP ${family} ${f.help}`, `# TYPE ${family} ${f.type}`);
    for (const s of f.series) {
      const labels = Object.entries(s.labels ?? {}).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
      const samples = [...s.samples].sort((a, b) => a[0] - b[0]);
      for (const [t, v] of samples) lines.push(`${s.name}${labels ? `{${labels}}` : ''} ${v} ${t}`);
    }
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export async function startPrometheus(options = {}) {
  const available = prometheusAvailable();
  if (!available.ok) throw new Error(available.reason);
  const dir = mkdtempSync(join(tmpdir(), 'iwb-prometheus-'));
  const dataDir = join(dir, 'data');
  const text = options.openMetrics ?? (options.series ? toOpenMetrics(options.series) : undefined);
  try {
    if (text) {
      const file = join(dir, 'backfill.om');
      writeFileSync(file, text);
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir], { timeout: 120000 });
    }
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 1m\nscrape_configs: []\n');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const daemon = await startDaemon({
      name: 'prometheus',
      bin: 'prometheus',
      args: [
        `--config.file=${config}`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=30d',
        '--log.level=warn',
      ],
      readyUrl: `${url}/-/ready`,
      readyTimeoutMs: options.readyTimeoutMs ?? 60000,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    });
    return { url, port, dataDir, ...daemon };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
