/** The memory webview: the custom editor for memory captures, and the memory diff panel. */

import type { LeakSuspect, Measure } from '../core/memory/analysis';
import type { MemoryDiffRow } from '../core/memory/diff';
import type { MemoryTimeline, MemoryView } from '../core/memory/model';
import type { FlameData } from './flamegraph';
import { arrayOf, fields, isBoolean, isIndex, isNumber, isString, oneOf, optional } from './shape';

export const MEMORY_VIEW_TYPE = 'incidentWorkbench.memory';
export const MEMORY_DIFF_VIEW_TYPE = 'incidentWorkbench.memoryDiff';

/** A flame view of the page: one of the capture's views, or what was allocated in the selected time range. */
export type MemoryPageView = MemoryView | 'range';
export type MemoryMeasure = Measure;

/**
 * memray's allocation lifetimes as columns (see core Lifetimes): stack, snapshot allocated before, freed
 * before (-1: never), count, bytes. Typed arrays travel as binary buffers in webview messages.
 */
export interface LifetimeColumns {
  stack: Int32Array;
  allocatedBefore: Int32Array;
  deallocatedBefore: Int32Array;
  count: Float64Array;
  bytes: Float64Array;
}

export interface MemoryFact {
  label: string;
  value: string;
  /** The exact figure, for the tooltip. */
  title?: string;
}

export interface MemorySnapshot {
  /** Changes when the data changes; the page keeps its view otherwise. */
  id: string;
  mode: 'capture' | 'diff';
  title: string;
  description: string;
  facts: MemoryFact[];
  /**
   * The capture's frames and stacks with one thread per view and measure, in the order of core's
   * VIEW_THREADS: peak, leaks, temporary, each by bytes then by allocations. Diff mode: "after".
   */
  data?: FlameData;
  /** Diff mode: "before". */
  base?: FlameData;
  /** The views the format can tell. */
  available: Record<MemoryView, boolean>;
  /** What the views mean for this format. */
  notes: string[];
  timeline?: MemoryTimeline;
  lifetimes?: LifetimeColumns;
  suspects: LeakSuspect[];
  /** Why the list is empty, or how it is ranked. */
  suspectsNote: string;
  /** Diff mode: per view, locations by change in bytes, biggest first. */
  diffRows?: Record<MemoryView, MemoryDiffRow[]>;
  warnings: string[];
  error?: string;
  /** Memory heat is on, and it is what the editors show (not CPU heat). */
  heatOn: boolean;
  heatShown: boolean;
}

export type MemoryIntent =
  | { type: 'openSourceFor'; file: string; line: number }
  | { type: 'setHeat'; on: boolean }
  /** Which weights the editor heat shows: the page's view and measure (and range, in snapshot indices). */
  | { type: 'heatView'; view: MemoryPageView; measure: MemoryMeasure; range?: [number, number] }
  /** Give the editors back to CPU heat. */
  | { type: 'showCpuHeat' };

/** View settings kept through hide/show (getState/setState): plain values only. */
export interface MemoryViewState {
  view?: MemoryPageView;
  measure?: MemoryMeasure;
  icicle?: boolean;
  range?: [number, number];
}

const VIEWS = ['peak', 'leaks', 'temporary', 'range'] as const;

export function isMemoryIntent(m: { type: string }): m is MemoryIntent {
  const x = m as Record<string, unknown>;
  switch (m.type) {
    case 'openSourceFor':
      return isString(x.file) && isNumber(x.line);
    case 'setHeat':
      return isBoolean(x.on);
    case 'heatView':
      return oneOf(...VIEWS)(x.view) && oneOf('bytes', 'allocations')(x.measure) && optional((v) => Array.isArray(v) && v.length === 2 && arrayOf(isNumber)(v))(x.range);
    case 'showCpuHeat':
      return true;
    default:
      return false;
  }
}

/** The page's guard for its saved state (it may come from an older version of the page). */
export const isMemoryViewState = fields({ view: optional(oneOf(...VIEWS)), measure: optional(oneOf('bytes', 'allocations')), icicle: optional(isBoolean), range: optional((v) => Array.isArray(v) && v.length === 2 && arrayOf(isIndex)(v)) });
