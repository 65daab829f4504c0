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

/** A profile as the page needs it: the model's frame and stack tables, weights per thread. */
export interface FlameData {
  frames: FlameFrame[];
  stackParent: number[];
  stackFrame: number[];
  threads: { name: string; stacks: number[]; weights: number[]; samples: number }[];
  unit: string;
}

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
  | { type: 'openSource'; frame: number; base?: boolean }
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
    case 'openSource':
      return typeof x.frame === 'number' && Number.isInteger(x.frame) && x.frame >= 0;
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
