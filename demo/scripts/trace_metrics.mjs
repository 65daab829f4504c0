// Turns the demo incident's traced requests into Prometheus metrics and saves a real Prometheus answer:
// each server span's duration becomes a `recommend_request_duration_seconds` sample at the time the request
// ended, each failed request increments `recommend_requests_failed_total`; the samples are backfilled with
// promtool into a real Prometheus (Debian's `prometheus` package), which is then asked `query_range` for
// the minutes around the requests; its JSON answer is written as the incident's metrics evidence.
//
//   node demo/scripts/trace_metrics.mjs TRACE.otlp.jsonl OUT.prom.json      (from the repository root)
import { readFileSync, writeFileSync } from 'node:fs';
import { startPrometheus } from '../../test/support/prometheus.mjs';

const [traceFile, outFile] = process.argv.slice(2);
if (!traceFile || !outFile) {
  console.error('usage: node demo/scripts/trace_metrics.mjs TRACE.otlp.jsonl OUT.prom.json');
  process.exit(2);
}
const requests = [];
for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  for (const rs of JSON.parse(line).resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        if (s.kind !== 2) continue; // SERVER spans: one per request the service handled
        const end = Number(BigInt(s.endTimeUnixNano) / 1_000_000n) / 1000;
        const start = Number(BigInt(s.startTimeUnixNano) / 1_000_000n) / 1000;
        requests.push({ end, duration: end - start, failed: s.status?.code === 2 });
      }
    }
  }
}
requests.sort((a, b) => a.end - b.end);
if (requests.length === 0) throw new Error(`${traceFile} has no SERVER spans`);
let failed = 0;
const series = [
  { name: 'recommend_request_duration_seconds', labels: { endpoint: '/recommend' }, samples: requests.map((r) => [r.end, r.duration]) },
  { name: 'recommend_requests_failed_total', type: 'counter', labels: { endpoint: '/recommend' }, samples: requests.map((r) => [r.end, (failed += r.failed ? 1 : 0)]) },
];
// Timestamps in OpenMetrics are seconds; keep millisecond precision.
const prom = await startPrometheus({ series });
try {
  const start = Math.floor(requests[0].end) - 60;
  const end = Math.ceil(requests.at(-1).end) + 60;
  const url = new URL('/api/v1/query_range', prom.url);
  url.searchParams.set('query', '{__name__=~"recommend_.*"}');
  url.searchParams.set('start', String(start));
  url.searchParams.set('end', String(end));
  url.searchParams.set('step', '1');
  const answer = await (await fetch(url)).json();
  if (answer.status !== 'success') throw new Error(JSON.stringify(answer));
  writeFileSync(outFile, `${JSON.stringify(answer)}\n`);
  console.log(`wrote ${outFile}: ${answer.data.result.length} series from ${requests.length} requests`);
} finally {
  await prom.stop();
}
