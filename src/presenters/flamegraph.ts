/**
 * The flamegraph page's snapshots from parsed profiles: the profile as typed columns, one profile, or two
 * profiles and the functions whose share moved (pure: no VS Code).
 */
import { diffProfiles } from '../core/profile/diff';
import { sampleCount, totalWeight, type Profile } from '../core/profile/model';
import { FORMAT_LABELS } from '../core/profile/parse';
import { formatWeight } from '../core/profile/summary';
import type { TorchOps } from '../core/profile/torchOps';
import { FRAME_IDLE, FRAME_KINDS, FRAME_MINE, type CallsTable, type FlameData, type FlamegraphSnapshot, type OpsView } from '../protocol/flamegraph';

/** The page's columns for a profile; `mine` (asked per frame: make it a lookup) and `idle` decide the flags. */
export function encodeFlameData(profile: Profile, mine: (file: string) => boolean, idle: (frame: Profile['frames'][number]) => boolean): FlameData {
  const names: string[] = [];
  const files: string[] = [];
  const nameIds = new Map<string, number>();
  const fileIds = new Map<string, number>();
  const intern = (table: string[], ids: Map<string, number>, text: string): number => {
    let id = ids.get(text);
    if (id === undefined) {
      id = table.length;
      table.push(text);
      ids.set(text, id);
    }
    return id;
  };
  const n = profile.frames.length;
  const frameName = new Int32Array(n);
  const frameFile = new Int32Array(n);
  const frameLine = new Int32Array(n);
  const frameFlags = new Uint8Array(n);
  profile.frames.forEach((f, i) => {
    frameName[i] = intern(names, nameIds, f.name);
    frameFile[i] = intern(files, fileIds, f.file);
    frameLine[i] = f.line;
    const m = f.file !== '' && mine(f.file);
    const kind = Math.max(0, FRAME_KINDS.indexOf(f.kind));
    frameFlags[i] = (m ? FRAME_MINE : 0) | (idle(f) ? FRAME_IDLE : 0) | (kind << 2);
  });
  return {
    names,
    files,
    frameName,
    frameFile,
    frameLine,
    frameFlags,
    stackParent: Int32Array.from(profile.stackParent),
    stackFrame: Int32Array.from(profile.stackFrame),
    threads: profile.threads.map((t) => ({ name: t.name, stacks: Int32Array.from(t.stacks), weights: Float64Array.from(t.weights), samples: t.samples, ...(t.device ? { device: true } : {}) })),
    unit: profile.unit,
  };
}

/** One line under the title: format, exporter, samples, total weight, threads, the target's cwd. */
export function describeProfile(profile: Profile, cwd?: string): string {
  // Counting, not summarize(): its function table costs half a second on a 200k-stack profile.
  const samples = sampleCount(profile);
  return `${FORMAT_LABELS[profile.format]}${profile.exporter ? ` from ${profile.exporter}` : ''} · ${samples.toLocaleString('en')} samples${profile.unit === 'samples' ? '' : ` · ${formatWeight(totalWeight(profile), profile.unit)}`} · ${profile.threads.length} thread${profile.threads.length === 1 ? '' : 's'}${cwd ? ` · cwd ${cwd}` : ''}`;
}

/** A profile file as read for the page: its model and columns when it could be read, else why not. */
export interface ReadProfile {
  /** Changes with every read, so the page knows new data from a re-send. */
  version: string;
  description: string;
  profile?: Profile;
  data?: FlameData;
  error?: string;
  /** torch.profiler traces: the op table, read on the host from the same file. */
  ops?: TorchOps;
}

/** cProfile's exact table as columns (functions, then caller → callee pairs). */
export function callsTable(profile: Profile): CallsTable | undefined {
  const g = profile.callGraph;
  if (!g) return undefined;
  return {
    totalTime: g.totalTime,
    name: g.functions.map((f) => f.name),
    file: g.functions.map((f) => (f.file === '~' ? '' : f.file)),
    line: Int32Array.from(g.functions, (f) => f.line),
    cc: Float64Array.from(g.functions, (f) => f.cc),
    nc: Float64Array.from(g.functions, (f) => f.nc),
    tt: Float64Array.from(g.functions, (f) => f.tt),
    ct: Float64Array.from(g.functions, (f) => f.ct),
    edgeCaller: Int32Array.from(g.edges, (e) => e.caller),
    edgeCallee: Int32Array.from(g.edges, (e) => e.callee),
    edgeNc: Float64Array.from(g.edges, (e) => e.nc),
    edgeTt: Float64Array.from(g.edges, (e) => e.tt),
    edgeCt: Float64Array.from(g.edges, (e) => e.ct),
  };
}

/** The page gets the busiest ops; a trace of a long training run names tens of thousands. */
export const OPS_ROWS = 2000;

export function opsView(t: TorchOps): OpsView {
  return {
    cpuTotalUs: t.cpuTotalUs,
    deviceTotalUs: t.deviceTotalUs,
    deviceIdlePct: t.deviceIdlePct,
    deviceIdleUs: t.deviceIdleUs,
    deviceWindowUs: t.deviceWindowUs,
    windowUs: t.windowUs,
    ops: t.ops.slice(0, OPS_ROWS),
    opCount: t.ops.length,
    kernels: t.kernels.slice(0, OPS_ROWS),
    copies: t.copies,
    longest: t.longest,
    streams: t.timeline.map((lane) => ({ ...lane, busyUs: t.streams.find((s) => s.device === lane.device && s.stream === lane.stream)?.busyUs ?? 0 })),
    names: t.names,
    warnings: t.warnings,
  };
}

export function profileSnapshot(doc: ReadProfile, title: string, heatOn: boolean): FlamegraphSnapshot {
  return {
    id: doc.version,
    mode: 'profile',
    title,
    description: doc.description,
    ...(doc.data ? { data: doc.data } : {}),
    warnings: doc.profile?.warnings ?? [],
    ...(doc.error ? { error: doc.error } : {}),
    heatOn,
    ...(doc.profile?.note ? { note: doc.profile.note } : {}),
    ...(doc.profile?.callGraph ? { calls: callsTable(doc.profile)! } : {}),
    ...(doc.ops ? { ops: opsView(doc.ops) } : {}),
  };
}

/** The diff table is cut to the biggest movers; the flame graph itself shows everything. */
export const DIFF_ROWS = 200;

/** `names` are how the user knows the two files (workspace-relative paths) and the panel's title. */
export function profileDiffSnapshot(before: ReadProfile, after: ReadProfile, names: { title: string; before: string; after: string }, heatOn: boolean): FlamegraphSnapshot {
  const error = before.error ?? after.error;
  const diff = before.profile && after.profile ? diffProfiles(before.profile, after.profile) : undefined;
  return {
    id: `${before.version}|${after.version}`,
    mode: 'diff',
    title: `Profile diff: ${names.title}`,
    description: `Colour: share of samples grew (red) or fell (blue) from ${names.before} to ${names.after}. Before: ${before.description}. After: ${after.description}.`,
    ...(after.data && !error ? { data: after.data } : {}),
    ...(before.data && !error ? { base: before.data } : {}),
    ...(diff ? { diffRows: diff.functions.slice(0, DIFF_ROWS).map(({ function: fn, file, line, beforePct, afterPct, deltaPct }) => ({ function: fn, file, line, beforePct, afterPct, deltaPct })) } : {}),
    warnings: [...(before.profile?.warnings ?? []).map((w) => `before: ${w}`), ...(after.profile?.warnings ?? []).map((w) => `after: ${w}`)],
    ...(error ? { error } : {}),
    heatOn,
  };
}
