import * as vscode from 'vscode';

/** What py-spy is recording now, shared by the task (which records) and the status bar item (which stops). */
export interface Recording {
  readonly what: string;
  stop(): void;
}

const active = new Set<Recording>();
const changed = new vscode.EventEmitter<string[]>();
/** Fires with what is being recorded now (empty when nothing). */
export const onDidChangeRecording = changed.event;

export function startedRecording(r: Recording): void {
  active.add(r);
  changed.fire([...active].map((x) => x.what));
}

export function endedRecording(r: Recording): void {
  if (active.delete(r)) changed.fire([...active].map((x) => x.what));
}

/** Stops every recording this window started; each writes what it sampled. Returns how many. */
export function stopRecordings(): number {
  const n = active.size;
  for (const r of active) r.stop();
  return n;
}
