/**
 * Suspect targets from a file of evidence: an error cluster saved to an incident
 * (`incident-workbench/error-cluster`), a trace export (OTLP, Jaeger, Zipkin: its spans with `code.*`), or a
 * profile (py-spy, speedscope, Chrome trace, memray's speedscope: its hot functions). Content decides, the
 * name only breaks ties; anything else gets a sentence saying what was found.
 */
import type { ClusterSummary } from '../errors/report';
import type { EvidenceKind } from '../incident/types';
import { parseProfile } from '../profile/parse';
import { importTraces } from '../traces/import';
import { errorMessage } from '../util/errors';
import { targetFromCluster, targetsFromProfile, targetsFromSpans } from './targets';
import type { SuspectTarget } from './types';

export type SourceKind = 'errors' | 'trace' | 'profile';

export interface SourceTargets {
  source: SourceKind;
  targets: SuspectTarget[];
}

export class SourceError extends Error {}

const TRACE_NAME = /\.(otlp|jaeger|zipkin)\.jsonl?$|(^|\/)traces\/[^/]+\.jsonl?$/i;

/**
 * `firstSeen` stands in for the time of a profile (profiles carry none): the incident's report time when the
 * profile is its evidence.
 */
export async function targetsFromFile(name: string, bytes: Uint8Array, context: { kind?: EvidenceKind; firstSeen?: string; release?: string } = {}): Promise<SourceTargets> {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^[\uFEFF\s]+/, '');
  if (head.startsWith('{') && /"incident-workbench\/error-cluster"/.test(head)) {
    let body: { cluster?: ClusterSummary };
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as typeof body;
    } catch (e) {
      throw new SourceError(`${name} is not a readable error cluster file (${errorMessage(e)})`);
    }
    if (!body.cluster || !Array.isArray(body.cluster.frames)) throw new SourceError(`${name} has no cluster with frames`);
    return { source: 'errors', targets: [targetFromCluster({ ...body.cluster, chain: body.cluster.chain ?? [] })] };
  }
  const profileKind = context.kind === 'profile' || context.kind === 'memory';
  if (!profileKind && (context.kind === 'trace' || TRACE_NAME.test(name) || /"resourceSpans"|"traceID"|"traceId"/.test(head))) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (text.includes('\u0000')) throw new SourceError(`${name} is binary data, not a trace export`);
    const result = importTraces(text);
    if (result.spans.length > 0) {
      const targets = targetsFromSpans(result.spans);
      if (targets.length === 0) throw new SourceError(`${name} has ${result.spans.length} spans but none with code.file.path/code.filepath attributes: instrument the code (OpenTelemetry code attributes) to link spans to lines`);
      return { source: 'trace', targets };
    }
    if (context.kind === 'trace' || TRACE_NAME.test(name)) throw new SourceError(`${name} holds no spans${result.problems[0] ? ` (${result.problems[0].message})` : ''}`);
  }
  let profile;
  try {
    profile = await parseProfile(bytes);
  } catch (e) {
    throw new SourceError(`${name} is neither an error cluster, a trace export nor a profile (${errorMessage(e)})`);
  }
  const targets = targetsFromProfile(profile, {
    kind: context.kind === 'memory' || profile.unit === 'bytes' ? 'leak' : 'function',
    ...(context.firstSeen ? { firstSeen: context.firstSeen } : {}),
    ...(context.release ? { release: context.release } : {}),
  });
  if (targets.length === 0) throw new SourceError(`${name} has no function with a source file (a native-only or idle profile?)`);
  return { source: 'profile', targets };
}
