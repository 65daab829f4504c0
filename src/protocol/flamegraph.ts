/** The flamegraph webview (custom editor for profile files, and the profile diff panel). */

import type { FunctionDelta } from '../core/profile/diff';
import type { FocusFrame } from '../core/profile/focus';
import type { TreeInput } from '../core/profile/flameTree';
import type { Frame, FrameKind, ThreadProfile, WeightUnit } from '../core/profile/model';
import type { CopyRow, KernelRow, LongKernel, OpRow } from '../core/profile/torchOps';

export const FLAMEGRAPH_VIEW_TYPE = 'incidentWorkbench.flamegraph';
export const PROFILE_DIFF_VIEW_TYPE = 'incidentWorkbench.profileDiff';

/** A frame as the page reads it: the model's frame, resolved to workspace code or not, idle or not. */
export type FlameFrame = Frame & {
  /** Resolved to a file under a workspace folder, not a library ("only my code"). */
  mine: boolean;
  /** A frame where a thread waits rather than works (hide idle). */
  idle: boolean;
};

/**
 * A profile as the page needs it: the model's frame and stack tables and the weights per thread, in
 * columns of typed arrays. VS Code passes typed arrays in a webview message as binary buffers, where
 * arrays of numbers and objects become JSON: a 200k-stack profile was a 20 MB string to write, send and
 * parse. Names and files are stored once and frames point at them.
 */
export interface FlameData {
  names: string[];
  files: string[];
  /** Per frame: index into `names`, index into `files`, line (0: unknown), FRAME_* flags. */
  frameName: Int32Array;
  frameFile: Int32Array;
  frameLine: Int32Array;
  frameFlags: Uint8Array;
  stackParent: Int32Array;
  stackFrame: Int32Array;
  threads: (Pick<ThreadProfile, 'name' | 'samples' | 'device'> & { stacks: Int32Array; weights: Float64Array })[];
  unit: WeightUnit;
}

/**
 * A deterministic profiler's exact table (cProfile): per function and per caller → callee pair, calls and
 * seconds, in columns. `file` '' for built-ins.
 */
export interface CallsTable {
  totalTime: number;
  name: string[];
  file: string[];
  line: Int32Array;
  /** Primitive calls, all calls, time in the function itself, time with callees (seconds). */
  cc: Float64Array;
  nc: Float64Array;
  tt: Float64Array;
  ct: Float64Array;
  edgeCaller: Int32Array;
  edgeCallee: Int32Array;
  edgeNc: Float64Array;
  edgeTt: Float64Array;
  edgeCt: Float64Array;
}

/** CPU versus device time of a torch.profiler trace (src/core/profile/torchOps.ts), for the Ops section. */
export interface OpsView {
  cpuTotalUs: number;
  deviceTotalUs: number;
  deviceIdlePct: number | null;
  deviceIdleUs: number;
  deviceWindowUs: number;
  windowUs: number;
  ops: OpRow[];
  /** How many ops the trace has (the list is cut to the busiest). */
  opCount: number;
  kernels: KernelRow[];
  copies: CopyRow[];
  longest: LongKernel[];
  /** Device events per stream for the timeline: µs from the trace's start, kind 0 kernel, 1 copy, 2 memset. */
  streams: { device: number; stream: number; busyUs: number; start: Float64Array; dur: Float64Array; kind: Uint8Array; name: Int32Array }[];
  names: string[];
  warnings: string[];
}

/** Frame flags: resolved to workspace code ("only my code"), an idle frame; the kind in the bits above. */
export const FRAME_MINE = 1;
export const FRAME_IDLE = 2;
export const FRAME_KINDS = ['python', 'native', 'op', 'other'] as const satisfies readonly FrameKind[];

/** The frames of the page's columns as objects (what the flame tree and the page's labels read). */
export function decodeFrames(data: FlameData): FlameFrame[] {
  const out: FlameFrame[] = new Array(data.frameName.length);
  for (let i = 0; i < out.length; i++) {
    const flags = data.frameFlags[i]!;
    out[i] = {
      name: data.names[data.frameName[i]!] ?? '',
      file: data.files[data.frameFile[i]!] ?? '',
      line: data.frameLine[i]!,
      kind: FRAME_KINDS[flags >> 2] ?? 'other',
      mine: (flags & FRAME_MINE) !== 0,
      idle: (flags & FRAME_IDLE) !== 0,
    };
  }
  return out;
}

/** What the flame tree reads, from the page's columns. */
export function treeInput(data: FlameData, frames: FlameFrame[] = decodeFrames(data)): TreeInput & { frames: FlameFrame[] } {
  return { frames, stackParent: data.stackParent, stackFrame: data.stackFrame, threads: data.threads };
}

/** One row of the diff table: how a function's share of self time moved. */
export type FlameDiffRow = Pick<FunctionDelta, 'function' | 'file' | 'line' | 'beforePct' | 'afterPct' | 'deltaPct'>;

export interface FlamegraphSnapshot {
  /** Changes when the data changes (a new file, a reload); the page keeps its zoom otherwise. */
  id: string;
  mode: 'profile' | 'diff';
  title: string;
  /** One line: format, samples, duration, threads. */
  description: string;
  /** The profile (in diff mode: "after"). Absent when the file could not be read. */
  data?: FlameData;
  /** Diff mode: "before". */
  base?: FlameData;
  diffRows?: FlameDiffRow[];
  warnings: string[];
  /** Why nothing can be shown. */
  error?: string;
  heatOn: boolean;
  /** The source heat follows a zoomed subtree or a thread of this chart: what it is limited to. */
  heatFilter?: string;
  /** What the reader had to do to draw this format (cProfile: the graph is approximated from the call graph). */
  note?: string;
  /** cProfile/pstats: the exact callers/callees table. */
  calls?: CallsTable;
  /** torch.profiler: CPU versus device time per op, kernels, streams. */
  ops?: OpsView;
}

export type FlamegraphIntent =
  | { type: 'openSourceFor'; file: string; line: number }
  | { type: 'setHeat'; on: boolean }
  | { type: 'threads'; threads: number[] | null }
  | { type: 'openAsText' }
  /**
   * The chart's zoom and thread changed: the source heat follows the subtree under `path` (frames from the
   * root as the chart merges them; [] for all), with the chart's "only my code" and "hide idle".
   */
  | { type: 'focus'; path: FocusFrame[]; threads: number[] | null; onlyMine: boolean; hideIdle: boolean }
  /** The "filtered" note's reset: heat for the whole profile again. */
  | { type: 'resetHeatFilter' };

const isFocusFrame = (f: unknown): boolean => {
  const x = f as Record<string, unknown> | null;
  return typeof x === 'object' && x !== null && typeof x.name === 'string' && typeof x.file === 'string' && typeof x.line === 'number';
};

/** What the profile diff panel needs to open again after a window reload (the host's `reopen`). */
export interface ProfileDiffReopen {
  before: string;
  after: string;
}

export function isProfileDiffReopen(v: unknown): v is ProfileDiffReopen {
  const o = v as Partial<ProfileDiffReopen> | null;
  return typeof o === 'object' && o !== null && typeof o.before === 'string' && typeof o.after === 'string';
}

/** View settings kept through hide/show (webview getState/setState). */
export interface FlamegraphViewState {
  icicle?: boolean;
  leftHeavy?: boolean;
  onlyMine?: boolean;
  hideIdle?: boolean;
  thread?: number;
  search?: string;
}

export function isFlamegraphIntent(m: { type: string }): m is FlamegraphIntent {
  const x = m as Record<string, unknown>;
  switch (m.type) {
    case 'openSourceFor':
      return typeof x.file === 'string' && typeof x.line === 'number';
    case 'setHeat':
      return typeof x.on === 'boolean';
    case 'threads':
      return x.threads === null || (Array.isArray(x.threads) && x.threads.every((t) => typeof t === 'number'));
    case 'openAsText':
    case 'resetHeatFilter':
      return true;
    case 'focus':
      return (
        Array.isArray(x.path) &&
        x.path.length <= 4096 &&
        x.path.every(isFocusFrame) &&
        (x.threads === null || (Array.isArray(x.threads) && x.threads.every((t) => typeof t === 'number'))) &&
        typeof x.onlyMine === 'boolean' &&
        typeof x.hideIdle === 'boolean'
      );
    default:
      return false;
  }
}
