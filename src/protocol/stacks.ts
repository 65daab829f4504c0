/** The stack dump view (custom editor for py-spy dumps, faulthandler logs and sys._current_frames dumps). */

import type { FindingKind } from '../core/stacks/analyze';
import type { StackLocal } from '../core/stacks/model';
import { arrayOf, fields, isIndex, isString, type Check } from './shape';

export const STACKS_VIEW_TYPE = 'incidentWorkbench.stacks';

export interface StackFrameView {
  function: string;
  file: string;
  line: number;
  /** The same in every dump: where the thread is stuck. */
  still: boolean;
  /** Standard library, installed package or native code (shown muted). */
  library: boolean;
  native: boolean;
  /** The frame worth opening: the innermost one in the program's own code. */
  focus: boolean;
  code?: string;
  locals?: StackLocal[];
}

export interface StackThreadView {
  id: number;
  name: string;
  active: boolean | null;
  gil: boolean | null;
  stuck: boolean;
  waitingForWork: boolean;
  /** What it waits for, in words, with the kind of wait. */
  wait?: { kind: FindingKind; what: string };
  /** Kinds of the findings that name this thread (deadlock first). */
  findings: FindingKind[];
  frames: StackFrameView[];
}

export interface StackFindingView {
  kind: FindingKind;
  threadIds: number[];
  file: string;
  line: number;
  message: string;
}

export interface StacksSnapshot {
  /** Changes when the data changes; the page keeps its filter otherwise. */
  id: string;
  title: string;
  /** One line: where the dumps came from, how many, how many threads, how many stuck. */
  description: string;
  dumps: number;
  threads: StackThreadView[];
  findings: StackFindingView[];
  warnings: string[];
  /** Why nothing can be shown. */
  error?: string;
}

export type StacksIntent = { type: 'openSource'; file: string; line: number } | { type: 'openAsText' };

/** View settings kept through hide/show. */
export interface StacksViewState {
  onlyStuck?: boolean;
  showLibrary?: boolean;
}

const INTENTS: Record<StacksIntent['type'], Check> = {
  openSource: fields({ file: isString, line: isIndex }),
  openAsText: () => true,
};

export function isStacksIntent(m: { type: string }): m is StacksIntent {
  const check = (INTENTS as Record<string, Check | undefined>)[m.type];
  return check !== undefined && check(m);
}

export const isFindingList: Check = arrayOf(fields({ kind: isString, message: isString }));
