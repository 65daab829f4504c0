import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { compareDetailed } from '../../core/traces/compare';
import { BackendError, fetchTrace } from '../../core/traces/jaeger';
import { buildTrace, type TraceModel } from '../../core/traces/model';
import { pickTrace, readTraceFile, spansOfTrace, TraceFileError } from '../../core/traces/nodeFile';
import { rejectUnknown, UsageError, type ParsedArgs } from '../args';
import { EXIT, type CliIO } from '../output';
import { endpointFrom } from './traces';

export const COMPARE_USAGE = `iwb trace compare A B [--jaeger URL] [--json]
  Compares two traces (a slow request against a normal one of the same endpoint). A and B are trace files
  (the slowest trace in each; FILE#TRACEID picks one) or trace ids fetched from Jaeger (--jaeger URL or
  $IWB_JAEGER_URL, headers as for iwb traces). Spans are matched by their path of operation names from the
  root; the human output adds each trace's critical path, the N+1 patterns whose count changed and the
  spans whose own time grew faster than the N+1's count (quadratic).
  --json: {a: {traceId, durationMs}, b: {traceId, durationMs}, onlyInA: [{path, count, durationMs}],
  onlyInB: [{path, count, durationMs}], changed: [{path, aMs, bMs, deltaMs}]}, changed biggest |delta|
  first, path the operation names from the root joined by " > ".
  Exit 0: compared. 2: a file unreadable, a trace not found, Jaeger unreachable.`;

const HEX_ID = /^[0-9a-fA-F]{8,32}$/;

async function isFile(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** A trace from `FILE`, `FILE#ID` or a trace id in Jaeger. */
async function load(spec: string, args: ParsedArgs, io: CliIO): Promise<TraceModel> {
  const hash = spec.lastIndexOf('#');
  const filePart = hash > 0 ? spec.slice(0, hash) : spec;
  const full = nodePath.resolve(io.cwd, filePart);
  if (await isFile(full)) {
    const id = hash > 0 ? spec.slice(hash + 1) : undefined;
    const r = await readTraceFile(full, id ? { traceId: id } : {});
    const picked = pickTrace(r, id);
    if ('error' in picked) throw new TraceFileError(`${filePart}: ${picked.error}`);
    return picked.trace;
  }
  if (HEX_ID.test(spec)) {
    const endpoint = endpointFrom(args);
    if (!endpoint) throw new UsageError(`${spec} is not a file; to fetch trace ${spec} from Jaeger give --jaeger URL (or set $IWB_JAEGER_URL)`);
    const r = await fetchTrace(endpoint, spec);
    const id = r.traces[0]!.traceId;
    return buildTrace(r.traces.length === 1 ? r.spans : spansOfTrace(r.spans, id), id);
  }
  throw new TraceFileError(`${spec}: no such file, and not a trace id (8 to 32 hex digits)`);
}

export async function traceCompareCommand(args: ParsedArgs, io: CliIO): Promise<number> {
  rejectUnknown(args, ['json', 'jaeger', 'api', 'timeout', 'header']);
  const json = args.flags.has('json');
  const [, aSpec, bSpec] = args.positionals;
  const fail = (message: string): number => {
    if (json) io.out(JSON.stringify({ error: message }));
    io.err(`iwb trace compare: ${message}`);
    return EXIT.usage;
  };
  let a: TraceModel;
  let b: TraceModel;
  try {
    a = await load(aSpec!, args, io);
    b = await load(bSpec!, args, io);
  } catch (e) {
    if (e instanceof BackendError || e instanceof TraceFileError) return fail(e.message.replace(io.cwd + nodePath.sep, ''));
    throw e;
  }
  const d = compareDetailed(a, b);
  if (json) {
    io.out(JSON.stringify(d.comparison, null, 2));
    return EXIT.ok;
  }
  const c = d.comparison;
  io.out(`A ${c.a.traceId}: ${c.a.durationMs} ms   B ${c.b.traceId}: ${c.b.durationMs} ms   (B − A: ${Math.round((c.b.durationMs - c.a.durationMs) * 1000) / 1000} ms)`);
  for (const q of d.superlinear) io.out(`${q.kind === 'quadratic' ? 'Quadratic' : 'Superlinear'}: ${q.path} — own time ${q.aSelfMs} → ${q.bSelfMs} ms while ${q.drivenBy}: grows as count^${q.exponent}`);
  for (const n of d.nPlusOneChanges) io.out(`N+1 changed: ${n.aCount} → ${n.bCount} × "${n.statement}" under ${n.path} (${n.aMs} → ${n.bMs} ms)`);
  io.out('Changed (biggest difference first):');
  for (const x of c.changed.slice(0, 15)) io.out(`  ${x.deltaMs >= 0 ? '+' : ''}${x.deltaMs} ms  (${x.aMs} → ${x.bMs})  ${x.path}`);
  if (c.onlyInA.length) io.out('Only in A:');
  for (const x of c.onlyInA.slice(0, 10)) io.out(`  ${x.count}× ${x.durationMs} ms  ${x.path}`);
  if (c.onlyInB.length) io.out('Only in B:');
  for (const x of c.onlyInB.slice(0, 10)) io.out(`  ${x.count}× ${x.durationMs} ms  ${x.path}`);
  io.out('Critical path of A:');
  for (const s of d.criticalA.slice(0, 6)) io.out(`  ${s.criticalMs} ms  ${s.path}`);
  io.out('Critical path of B:');
  for (const s of d.criticalB.slice(0, 6)) io.out(`  ${s.criticalMs} ms  ${s.path}`);
  return EXIT.ok;
}
