/** The A/B test webview (custom editor for *.abtest.json, and a panel for CSV files). */

import type { AbTestReport, PowerReport } from '../core/abtest/analyze';
import type { ValidationIssue } from '../core/abtest/types';

export const ABTEST_VIEW_TYPE = 'incidentWorkbench.abtest';

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

export type AbIntent = { type: 'openAsText' } | { type: 'attachToIncident' };

export function isAbIntent(m: { type: string }): m is AbIntent {
  return m.type === 'openAsText' || m.type === 'attachToIncident';
}

export interface AbState {
  /** The calculator's last inputs, kept across hide/show. */
  calculator?: { baseline: number; mde: number; alpha: number; power: number };
}
