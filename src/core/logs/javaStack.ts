/**
 * A JVM exception as `Throwable.printStackTrace` writes it (Java, Scala, Kotlin; Spark's and Hadoop's logs,
 * logback's and log4j's `stack_trace` fields, PySpark's Py4JJavaError):
 *
 *   org.apache.spark.SparkException: Job aborted
 *   	at org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2672)
 *   	at java.base/java.lang.Thread.run(Thread.java:833)
 *   Caused by: java.lang.ArithmeticException: / by zero
 *   	at Main$.$anonfun$main$1(Main.scala:10)
 *   	... 12 more
 *
 * read into the chain Python's tracebacks give (root cause first, the thrown exception last, each frame list
 * outermost first), so clusters, fingerprints and "open the frame" work the same. A frame's file is its
 * package as a path and its source file (`org/apache/spark/scheduler/DAGScheduler.scala`): the workspace is
 * searched by that path's trailing segments.
 */
import type { ExceptionInfo, ParsedException, StackFrame } from './types';

/** `Exception in thread "main" pkg.Type: message`, `pkg.Type: message`, `pkg.Type` (a qualified class name). */
const EXCEPTION_LINE = /^(?:Exception in thread "[^"]*" )?((?:[A-Za-z_$][\w$]*\.)+[A-Za-z_$][\w$]*)(?::\s?(.*))?$/;
const FRAME_LINE = /^\s+at ([^\s(]+)\((.*)\)\s*$/;
const MORE_LINE = /^\s+\.\.\. (\d+) more\s*$/;
const CAUSED_BY = /^\s*Caused by: (.*)$/;
const SUPPRESSED = /^(\s*)Suppressed: /;

/** Whether `line` can be the first line of a JVM exception (its frames, on the next lines, decide). */
export function isJavaExceptionLine(line: string): boolean {
  return EXCEPTION_LINE.test(line);
}

/** Whether `line` is a JVM stack frame (`\tat pkg.Class.method(File.java:12)`). */
export function isJavaFrame(line: string): boolean {
  return FRAME_LINE.test(line);
}

/**
 * The exception starting at `lines[from]` (its line must be followed by a frame), or undefined. Lines after
 * the exception's last frame, `... N more` and causes are not part of it.
 */
export function parseJavaStack(lines: string[], from = 0): ExceptionInfo | undefined {
  if (from + 1 >= lines.length || !FRAME_LINE.test(lines[from + 1]!)) return undefined;
  const first = EXCEPTION_LINE.exec(lines[from]!.trimEnd());
  if (!first) return undefined;
  // In print order: the thrown exception, then each cause.
  const printed: { type: string; message: string; frames: StackFrame[] }[] = [{ type: first[1]!, message: first[2] ?? '', frames: [] }];
  let suppressed = -1;
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.trimStart().length;
    if (suppressed !== -1) {
      // A suppressed exception and its frames are indented under the frame list they belong to.
      if (indent > suppressed) continue;
      suppressed = -1;
    }
    const s = SUPPRESSED.exec(line);
    if (s) {
      suppressed = s[1]!.length;
      continue;
    }
    const current = printed[printed.length - 1]!;
    const frame = FRAME_LINE.exec(line);
    if (frame) {
      current.frames.push(javaFrame(frame[1]!, frame[2]!));
      continue;
    }
    const more = MORE_LINE.exec(line);
    if (more) {
      // The frames this cause has in common with the exception above it (its outermost ones).
      const above = printed[printed.length - 2];
      const n = Number(more[1]);
      if (above && n > 0) current.frames.push(...above.frames.slice(-n));
      continue;
    }
    const cause = CAUSED_BY.exec(line);
    const e = cause ? EXCEPTION_LINE.exec(cause[1]!.trimEnd()) : undefined;
    if (e) {
      printed.push({ type: e[1]!, message: e[2] ?? '', frames: [] });
      continue;
    }
    break;
  }
  const chain: ParsedException[] = printed.reverse().map((p, k, all) => ({
    type: p.type,
    message: p.message,
    frames: p.frames.reverse(),
    ...(k < all.length - 1 ? { linkToNext: 'cause' as const } : {}),
  }));
  return { chain, truncated: false };
}

/**
 * A JVM exception printed without frames (HotSpot's fast throw of a hot exception, log4j's `%ex{0}`):
 * `pkg.SomethingException: message`, when the class name says it is one.
 */
export function javaExceptionWithoutFrames(line: string): ExceptionInfo | undefined {
  const m = EXCEPTION_LINE.exec(line.trimEnd());
  if (!m || !/(?:Exception|Error|Throwable)$/.test(m[1]!)) return undefined;
  return { chain: [{ type: m[1]!, message: m[2] ?? '', frames: [] }], truncated: false };
}

/** Where in `lines` (from `from`) a JVM exception with frames starts, or -1. */
export function javaStackStart(lines: string[], from = 0): number {
  for (let i = from; i + 1 < lines.length; i++) if (FRAME_LINE.test(lines[i + 1]!) && EXCEPTION_LINE.test(lines[i]!.trimEnd())) return i;
  return -1;
}

/**
 * `java.base/java.util.concurrent.FutureTask.run(FutureTask.java:264)`: the module (`java.base/`, a class
 * loader's `app//`) is dropped; `Native Method` and `Unknown Source` have no file or line.
 */
function javaFrame(qualified: string, where: string): StackFrame {
  const name = qualified.slice(qualified.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const cls = dot === -1 ? '' : name.slice(0, dot);
  const method = name.slice(dot + 1);
  const pkgDot = cls.lastIndexOf('.');
  const pkg = pkgDot === -1 ? '' : cls.slice(0, pkgDot);
  const simple = cls.slice(pkgDot + 1);
  const loc = /^([^:]+\.\w+)(?::(\d+))?$/.exec(where);
  const file = loc ? `${pkg ? `${pkg.replace(/\./g, '/')}/` : ''}${loc[1]}` : `<${where || 'unknown'}>`;
  const frame: StackFrame = { file, function: simple ? `${simple}.${method}` : method };
  if (loc?.[2]) frame.line = Number(loc[2]);
  if (pkg) frame.module = pkg;
  return frame;
}
