/** The flamegraph webview (custom editor for profile files, and the profile diff panel). */

export const FLAMEGRAPH_VIEW_TYPE = 'incidentWorkbench.flamegraph';
export const PROFILE_DIFF_VIEW_TYPE = 'incidentWorkbench.profileDiff';

export interface FlameFrame {
  name: string;
  file: string;
  line: number;
  kind: string;
  /** Resolved to a file under a workspace folder, not a library ("only my code"). */
  mine: boolean;
  /** A frame where a thread waits rather than works (hide idle). */
  idle: boolean;
}

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
  threads: { name: string; stacks: Int32Array; weights: Float64Array; samples: number }[];
  unit: string;
}

/** Frame flags: resolved to workspace code ("only my code"), an idle frame; the kind in the bits above. */
export const FRAME_MINE = 1;
export const FRAME_IDLE = 2;
export const FRAME_KINDS = ['python', 'native', 'op', 'other'] as const;

export interface FlameDiffRow {
  function: string;
  file: string;
  line: number;
  beforePct: number;
  afterPct: number;
  deltaPct: number;
}

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
}

export type FlamegraphIntent =
  | { type: 'openSourceFor'; file: string; line: number }
  | { type: 'setHeat'; on: boolean }
  | { type: 'threads'; threads: number[] | null }
  | { type: 'openAsText' };

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
      return true;
    default:
      return false;
  }
}
