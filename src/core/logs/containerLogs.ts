/**
 * Container runtimes' log files wrap each line a program wrote: Docker's json-file driver as
 * `{"log":"…\n","stream":"stderr","time":"2026-12-06T12:00:01.002234567Z"}`, containerd and CRI-O (Kubernetes'
 * /var/log/containers/*.log) as `2026-12-06T12:00:01.002234567Z stderr F …`. Both readers unwrap the line the
 * program wrote, so its own header, JSON and tracebacks are read as if from the program's output. A line the
 * runtime cut (over 16 KiB: Docker's line without its newline, CRI's `P` tag) continues in the next.
 */

export interface ContainerLine {
  /** The program's line, without its newline. */
  text: string;
  /** The runtime's time for it (RFC 3339 with nanoseconds). */
  time: string;
  /** The runtime cut the line here: it continues in the next one. */
  partial: boolean;
}

const CRI = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (stdout|stderr) ([FP]) ?/;
const DOCKER_KEYS = new Set(['log', 'stream', 'time', 'attrs']);

/**
 * Whether the line at `start` may be a runtime's line, from two characters (no copy, no parse): the readers ask
 * this of every line before `unwrapContainerLine`.
 */
export function mayBeContainerLine(text: string, start = 0): boolean {
  const c = text.charCodeAt(start);
  return c === 123 /* { */ ? text.startsWith('{"log":', start) : c >= 48 && c <= 57 && text.charCodeAt(start + 10) === 84 /* T */;
}

/** The program's line inside a container runtime's log line, or undefined when the line is not one. */
export function unwrapContainerLine(line: string): ContainerLine | undefined {
  const c = line.charCodeAt(0);
  if (c === 123 /* { */) {
    if (!line.startsWith('{"log":')) return undefined;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof o !== 'object' || o === null) return undefined;
    const r = o as Record<string, unknown>;
    if (typeof r.log !== 'string' || typeof r.time !== 'string' || (r.stream !== 'stdout' && r.stream !== 'stderr')) return undefined;
    if (!Object.keys(r).every((k) => DOCKER_KEYS.has(k))) return undefined;
    const log = r.log;
    const partial = !log.endsWith('\n');
    return { text: partial ? log : log.slice(0, log.endsWith('\r\n') ? -2 : -1), time: r.time, partial };
  }
  if (c < 48 || c > 57) return undefined;
  const m = CRI.exec(line);
  if (!m) return undefined;
  return { text: line.slice(m[0].length), time: m[1]!, partial: m[3] === 'P' };
}

/**
 * The program's line as a reader should see it: with the runtime's time in front when the line has no time of
 * its own and starts a record (a line of a traceback, an indented or a JSON line is left as it is).
 */
export function withRuntimeTime(text: string, time: string, startsRecordWithoutTime: (text: string) => boolean): string {
  if (text === '') return text;
  const c = text.charCodeAt(0);
  if (c === 32 || c === 9 || c === 123 || c === 91) return text;
  return startsRecordWithoutTime(text) ? `${time} ${text}` : text;
}
