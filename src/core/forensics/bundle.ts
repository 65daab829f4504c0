/**
 * An evidence bundle is a folder of traces, logs and metrics exported from production. Each file is
 * classified from its name and the first few kilobytes of its content, and placed under the incident's
 * `evidence/traces|logs|metrics/`. Files over `linkAboveBytes` are linked rather than copied.
 */
export type BundleKind = 'trace' | 'logs' | 'metrics' | 'file';

export function classifyEvidence(name: string, head: string): BundleKind {
  const n = name.toLowerCase();
  const h = head.slice(0, 8192);
  if (/"resourceSpans"|"scopeSpans"/.test(h)) return 'trace';
  if (/"resourceLogs"/.test(h)) return 'logs';
  if (/"resourceMetrics"/.test(h) || (/"resultType"\s*:\s*"(matrix|vector)"/.test(h) && /"status"/.test(h))) return 'metrics';
  if (/^\s*\{\s*"data"\s*:\s*\[\s*\{\s*"traceID"/.test(h) || /"traceID"[\s\S]*"spanID"[\s\S]*"operationName"/.test(h)) return 'trace';
  if (/^\s*\[\s*\{[\s\S]*"traceId"[\s\S]*"id"[\s\S]*"(timestamp|localEndpoint)"/.test(h)) return 'trace';
  if (/^\s*(timestamp|time|ts)\s*,/i.test(h) && /,\s*value\b/i.test(h.split('\n')[0] ?? '')) return 'metrics';
  if (/\.(log|jsonl|ndjson)(\.gz)?$/.test(n) || /^\s*\{.*("level"|"levelname"|"severity"|"msg"|"message")/m.test(h)) return 'logs';
  if (/trace|otlp|span/.test(n)) return 'trace';
  if (/metric|prom/.test(n) || n.endsWith('.csv')) return 'metrics';
  return 'file';
}

