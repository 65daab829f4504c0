import type * as vscode from 'vscode';
import { registerCommands } from '../shared/command';
import type { Workbench } from '../shared/workbench';
import { addPatternToIncident } from './commands/addPatternToIncident';
import { clearPatternsFilter } from './commands/clearPatternsFilter';
import { copyPatternMatcher } from './commands/copyPatternMatcher';
import { filterPatterns } from './commands/filterPatterns';
import { findLogPatterns } from './commands/findLogPatterns';
import { findLoggingCall } from './commands/findLoggingCall';
import { openPatternCallSite } from './commands/openPatternCallSite';
import { openPatternSample } from './commands/openPatternSample';
import { reloadPatterns } from './commands/reloadPatterns';
import { revealLogPattern } from './commands/revealLogPattern';
import { showNewPatterns } from './commands/showNewPatterns';
import { sortPatterns } from './commands/sortPatterns';
import type { PatternsDeps } from './deps';
import { PatternsFeature } from './patternsFeature';

export const PATTERNS_COMMANDS = [
  findLogPatterns,
  reloadPatterns,
  filterPatterns,
  clearPatternsFilter,
  sortPatterns,
  showNewPatterns,
  openPatternCallSite,
  openPatternSample,
  revealLogPattern,
  copyPatternMatcher,
  addPatternToIncident,
  findLoggingCall,
];

/** Log patterns of any log: the Patterns view, what is new, the logging call behind each line, code lenses. */
export function registerPatterns(workbench: Workbench): vscode.Disposable[] {
  const patterns = new PatternsFeature(workbench.extensionUri, workbench.workspaceState, workbench.log);
  const deps: PatternsDeps = { ...workbench, patterns };
  return [patterns, ...registerCommands(PATTERNS_COMMANDS, deps)];
}
