/**
 * The message of anything a `catch` can receive (a SyntaxError's on one line, control characters escaped):
 * JavaScript throws any value, and a cast to Error gives
 * `undefined` for a thrown string and throws for a thrown `null`. This never throws: an Error's message
 * (from any realm); a thrown string as it is; an object's `message` when that is a string; otherwise the
 * value's string form, or its type tag when even that throws.
 */
export function errorMessage(e: unknown): string {
  try {
    // JSON.parse quotes the input it choked on, raw line breaks and terminal escapes included: shown as
    // escapes, the message stays one line and cannot drive the terminal.
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
    if (e instanceof SyntaxError) return e.message.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
    if (e instanceof Error) return e.message;
    if (typeof e === 'string') return e;
    if (typeof e === 'object' && e !== null) {
      const message = (e as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
    return String(e);
  } catch {
    try {
      return Object.prototype.toString.call(e);
    } catch {
      return `unprintable ${typeof e}`; // a Proxy whose every trap throws
    }
  }
}
