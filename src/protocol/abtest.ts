/** The A/B test webview (custom editor for *.abtest.json, and a panel for CSV files). */

import type { AbTestReport, PowerReport } from '../core/abtest/analyze';
import type { ValidationIssue } from '../core/abtest/types';

export const ABTEST_VIEW_TYPE = 'incidentWorkbench.abtest';
/** The panel for A/B files that are not `*.abtest.json` (CSV); restored after a reload by its own serializer. */
export const ABTEST_PANEL_VIEW_TYPE = 'incidentWorkbench.abtestPanel';

/**
 * What the page shows of an analysis: the report's own rows as they are (arms, the test, the forest plot),
 * the parts of the rest the page draws, and the file it came from.
 */
export interface AbSnapshot extends Pick<AbTestReport, 'name' | 'alpha' | 'verdict' | 'interpretation' | 'arms' | 'test' | 'forest'> {
  /** File name shown in the title. */
  file: string;
  /** Set when the file itself could not be read. */
  error?: string;
  issues: ValidationIssue[];
  srm: Omit<NonNullable<AbTestReport['srm']>, 'pValue'> | null;
  power: Omit<PowerReport, 'requiredTotal'> | null;
  simpson: Pick<AbTestReport['simpson'], 'detected' | 'overallDirection' | 'segmentDirections'>;
  /** Whether the source is a text document that can be opened as text. */
  canOpenAsText: boolean;
}

/** `openSource`: the file beside the page, at the variant named (the Arms table's selected row). */
export type AbIntent = { type: 'openAsText' } | { type: 'attachToIncident' } | { type: 'openSource'; variant: string };

export function isAbIntent(m: { type: string }): m is AbIntent {
  if (m.type === 'openSource') return typeof (m as { variant?: unknown }).variant === 'string';
  return m.type === 'openAsText' || m.type === 'attachToIncident';
}

/** What the CSV panel needs to open again after a window reload (the host's `reopen`): the file. */
export interface AbReopen {
  uri: string;
}

export function isAbReopen(v: unknown): v is AbReopen {
  return typeof v === 'object' && v !== null && typeof (v as { uri?: unknown }).uri === 'string';
}

/** What the page keeps through hide/show, reloads and moves (JSON only). */
export interface AbState {
  /** The calculator's last inputs, kept across hide/show. */
  calculator?: { baseline: number; mde: number; alpha: number; power: number };
  /** The selected row of the Arms table (a variant name). */
  selected?: string;
}
