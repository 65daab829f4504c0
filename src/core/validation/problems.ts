import type { Position } from '../json/positions';

export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong with a file, where it is, and what to do about it. */
export interface FileProblem extends Position {
  message: string;
  /** RFC 6901 pointer to the offending value; '' for the document or for syntax errors. */
  pointer: string;
  severity: ProblemSeverity;
  offset: number;
  length: number;
}

/** `file:line:column: message`, the shape compilers use, so terminals and problem matchers link it. */
export function formatProblem(file: string, p: FileProblem): string {
  return `${file}:${p.line}:${p.column}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}
