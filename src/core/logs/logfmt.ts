/**
 * logfmt lines, as Go kit, Prometheus, logrus, Loki and Heroku write them:
 *
 *   ts=2026-12-06T12:37:44.366Z caller=main.go:551 level=info msg="Starting Prometheus Server" mode=server
 *
 * A line is read as logfmt only when all of it is `key=value` pairs (a value bare or in double quotes with Go's
 * escapes), at least two, and one key names its message or its level; then the time, level, logger and
 * message come from their keys, as from a JSON line's fields. The message is the `msg` value: the other pairs
 * are the call's context, as the other fields of a JSON line are (a line without `msg` keeps its pairs as the
 * message, the time, level and caller left out).
 */

export interface LogfmtLine {
  message: string;
  time?: string;
  level?: string;
  logger?: string;
  /** The `err`/`error` value (Go loggers put the error there, the message says what failed). */
  error?: string;
}

const TIME_KEYS = new Set(['ts', 'time', 'timestamp', 't', '@timestamp']);
const LEVEL_KEYS = new Set(['level', 'lvl', 'severity', 'loglevel']);
const MESSAGE_KEYS = new Set(['msg', 'message']);
const LOGGER_KEYS = new Set(['logger', 'component', 'module']);
const CALLER_KEYS = new Set(['caller', 'source']);
const ERROR_KEYS = new Set(['err', 'error']);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f' };

/** Reads a logfmt line; undefined when the text is not one (see above). */
export function parseLogfmt(text: string): LogfmtLine | undefined {
  // Cheap refusals first: most plain-text lines have a space or no `=` in their first word.
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  const sp = text.search(/[ \t]/);
  if (sp !== -1 && sp < eq) return undefined;
  const n = text.length;
  let i = 0;
  let pairs = 0;
  let named = false;
  const out: LogfmtLine = { message: '' };
  let rest: string[] | undefined;
  while (i < n) {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text.charCodeAt(i) !== 61 /* = */ && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9 && text.charCodeAt(i) !== 34) i++;
    if (i === keyStart || i >= n || text.charCodeAt(i) !== 61) return undefined;
    const key = text.slice(keyStart, i);
    const pairStart = keyStart;
    i++;
    let value: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let s = '';
      let j = i + 1;
      let from = j;
      for (;;) {
        if (j >= n) return undefined;
        const c = text.charCodeAt(j);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          s += text.slice(from, j);
          const e = text[j + 1];
          if (e === undefined) return undefined;
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
            s += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
            j += 6;
          } else {
            s += ESCAPES[e] ?? e;
            j += 2;
          }
          from = j;
          continue;
        }
        j++;
      }
      value = s + text.slice(from, j);
      i = j + 1;
      if (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) return undefined;
    } else {
      const valueStart = i;
      while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
      value = text.slice(valueStart, i);
      if (value.includes('"')) return undefined;
    }
    pairs++;
    const k = key.toLowerCase();
    if (MESSAGE_KEYS.has(k) && out.message === '' && !named) {
      out.message = value;
      named = true;
    } else if (LEVEL_KEYS.has(k) && out.level === undefined) out.level = value;
    else if (TIME_KEYS.has(k) && out.time === undefined) out.time = value;
    else if (CALLER_KEYS.has(k)) {
      // the place in the code: not part of what the line says
    } else {
      if (LOGGER_KEYS.has(k) && out.logger === undefined) out.logger = value;
      if (ERROR_KEYS.has(k) && out.error === undefined) out.error = value;
      (rest ??= []).push(text.slice(pairStart, i));
    }
  }
  if (pairs < 2 || (!named && out.level === undefined)) return undefined;
  if (!named) out.message = rest ? rest.join(' ') : '';
  return out;
}
