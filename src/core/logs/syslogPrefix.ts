/**
 * The prefix syslog and `journalctl`'s text output put before each line a program wrote: a time (RFC 3164's
 * `Dec  7 05:29:10`, or RFC 3339's, as `-o short-iso` and rsyslog write it), the host, and the program with its
 * pid: `Dec 07 05:29:10 vm checkout[9729]: `. A service's traceback printed to stderr is one such line a line;
 * the readers use this to join those lines to the record above, as they would join the bare traceback.
 */

const PREFIX = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,9})?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) \S+ ([^\s:[\]]+(?:\[\d+\])?): /;

export interface SyslogLine {
  /** The program and its pid, as the prefix names it (`checkout[9729]`). */
  program: string;
  /** What the program wrote. */
  rest: string;
}

/** The program and its text of a line with a syslog prefix, or undefined. */
export function syslogLine(text: string): SyslogLine | undefined {
  const c = text.charCodeAt(0);
  // (a month's capital or a year's digit first: most lines of other logs are ruled out by one comparison)
  if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return undefined;
  const m = PREFIX.exec(text);
  return m ? { program: m[1]!, rest: text.slice(m[0].length) } : undefined;
}
