/**
 * Stack dumps of a Python process: every thread's stack at one moment, several moments a second apart.
 * Whatever wrote them (py-spy dump as JSON or text, faulthandler, a sys._current_frames() recipe), they
 * become the same model, innermost frame first as all of those tools print it.
 */

export interface StackLocal {
  name: string;
  /** py-spy's repr of the value (`<locked _thread.lock object at 0x…>`); undefined when it gave none. */
  repr?: string;
  /** An argument of the function rather than a local variable. */
  arg: boolean;
}

export interface StackFrame {
  function: string;
  /** As the dump wrote it (absolute for py-spy JSON and faulthandler); '' when unknown. */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  /** The source text of the line, when the dump carried it (traceback.extract_stack recipes). */
  code?: string;
  locals?: StackLocal[];
  /** A C/C++/Rust frame (py-spy --native): no Python file. */
  native?: boolean;
}

export interface ThreadDump {
  /** The OS thread id where the tool gave one (py-spy on Linux), else Python's thread ident. */
  id: number;
  name: string;
  /** Running on a CPU (py-spy's OS thread state); undefined when the tool does not say. */
  active?: boolean;
  /** Holding the GIL; undefined when the tool does not say. */
  gil?: boolean;
  /** Innermost first. */
  frames: StackFrame[];
}

export type DumpSource = 'py-spy-json' | 'py-spy-text' | 'faulthandler' | 'current-frames';

export interface StackDump {
  source: DumpSource;
  pid?: number;
  /** The process's command line, when the tool printed it. */
  command?: string;
  threads: ThreadDump[];
}

export interface DumpSeries {
  dumps: StackDump[];
  /** Recoverable problems: skipped lines, a truncated tail. */
  warnings: string[];
}

/** Input that holds no stack dump this module can read; the message says what it is instead. */
export class StackParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackParseError';
  }
}
