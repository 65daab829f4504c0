import { isLibraryPath } from '../paths/pathMappings';
import type { DumpSeries, StackFrame, ThreadDump } from './model';

/**
 * What several dumps of one process say: which threads did not move between dumps (stuck), where each
 * waits and on what, and lock-order deadlocks. Pure: the caller hands in the source lines of the files it
 * could read (`SourceLines`), which is how a `with lock:` line is told from any other line — a thread
 * blocked in `with lock:` shows only that line as its innermost frame (the acquire runs in C).
 *
 * Stuck: the thread is in every dump and its stack is the same in all of them, frame by frame (function,
 * file, line), except that a thread running on a CPU in every dump may change lines inside its innermost
 * function (a loop that spins). A thread parked where programs wait for new work (a server's
 * serve_forever select, a pool worker's queue get, an asyncio loop's select) is idle, not stuck.
 */

export type FindingKind = 'deadlock' | 'lock-wait' | 'io-wait' | 'sleep' | 'busy-loop';
export const FINDING_KINDS: readonly FindingKind[] = ['deadlock', 'lock-wait', 'io-wait', 'sleep', 'busy-loop'];

/** The lines of a source file (index 0 is line 1), or undefined when it could not be read. */
export type SourceLines = (file: string) => readonly string[] | undefined;

export interface Wait {
  kind: Exclude<FindingKind, 'deadlock'>;
  /** What the thread waits for, in words: "to acquire audit_lock", "for an item (queue.Queue.get)". */
  what: string;
  /** The expression of the lock it waits to acquire (`self._lock`), when it is a plain lock. */
  lock?: string;
}

export interface HeldLock {
  lock: string;
  file: string;
  line: number;
}

export interface AnalyzedFrame extends StackFrame {
  /** The same in every dump (only meaningful with two or more dumps). */
  still: boolean;
}

export interface AnalyzedThread {
  id: number;
  name: string;
  /** In the last dump; null when the tool does not say. */
  active: boolean | null;
  gil: boolean | null;
  stuck: boolean;
  /** Parked where programs wait for new work (serve_forever, a pool worker's queue get). */
  waitingForWork: boolean;
  /** The last dump's stack, innermost first. */
  frames: AnalyzedFrame[];
  wait?: Wait;
  /** The frame a user should open: the innermost frame outside the standard library and native code. */
  focus?: number;
  held: HeldLock[];
  /** Dumps this thread appears in. */
  seen: number;
}

export interface Finding {
  kind: FindingKind;
  threadIds: number[];
  file: string;
  line: number;
  message: string;
}

export interface StackAnalysis {
  pid?: number;
  dumps: number;
  threads: AnalyzedThread[];
  findings: Finding[];
  warnings: string[];
}

const STDLIB_FILES = new Set([
  'threading.py', 'queue.py', 'socket.py', 'ssl.py', 'subprocess.py', 'selectors.py', 'socketserver.py', 'select.py',
  'client.py', 'request.py', 'connection.py', 'queues.py', 'pool.py', 'thread.py', '_base.py', 'base_events.py', 'events.py',
  'tasks.py', 'runners.py', 'futures.py', 'synchronize.py', 'popen_fork.py', 'server.py',
]);

const base = (file: string): string => file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
const shortName = (fn: string): string => fn.slice(fn.lastIndexOf('.') + 1);

/** Standard library or installed packages: paths that say so, or py-spy's short names of stdlib modules. */
function isLibrary(f: StackFrame): boolean {
  if (f.native) return true;
  if (f.file === '' || isLibraryPath(f.file)) return true;
  return !/[\\/]/.test(f.file) && STDLIB_FILES.has(f.file) && /^[A-Z_]?[\w.]*$/.test(f.function) && f.function !== '<module>' && isStdlibFunction(f);
}

/** A short name like `threading.py` is the standard library's only when the function is one of its own. */
function isStdlibFunction(f: StackFrame): boolean {
  return /^(Thread|Condition|Event|Semaphore|BoundedSemaphore|Barrier|Queue|LifoQueue|PriorityQueue|SimpleQueue|socket|SocketIO|SSLSocket|SSLObject|Popen|BaseServer|TCPServer|ThreadingMixIn|HTTPConnection|HTTPResponse|Connection|BaseSelector|SelectSelector|PollSelector|EpollSelector|DefaultSelector|BaseEventLoop|_WorkItem|ThreadPoolExecutor|Pool|ApplyResult|Future)\./.test(f.function) ||
    /^(_bootstrap|_bootstrap_inner|run|wait|join|_wait_for_tstate_lock|get|put|acquire|_try_wait|_wait|communicate|_communicate|readinto|recv_into|recv|accept|select|serve_forever|create_connection|_worker|worker|urlopen|_read_status|begin|getresponse|_recv|_recv_bytes|recv_bytes|poll|_poll|run_forever|_run_once|run_until_complete|check_call|check_output|call|sleep)$/.test(f.function);
}

function inFile(f: StackFrame, ...names: string[]): boolean {
  const b = base(f.file);
  return names.some((n) => (n.includes('/') ? f.file.replace(/\\/g, '/').endsWith(n) : b === n));
}

// ---------------------------------------------------------------------------------- waiting for work

/** Frames where a healthy program sits between pieces of work. */
function waitingForWork(frames: readonly StackFrame[]): boolean {
  return frames.some(
    (f) =>
      (shortName(f.function) === 'serve_forever' && inFile(f, 'socketserver.py')) ||
      (shortName(f.function) === '_worker' && inFile(f, 'concurrent/futures/thread.py', 'thread.py')) ||
      (shortName(f.function) === 'worker' && inFile(f, 'multiprocessing/pool.py', 'pool.py')) ||
      (/^(run_forever|_run_once)$/.test(shortName(f.function)) && inFile(f, 'asyncio/base_events.py', 'base_events.py')),
  );
}

// ---------------------------------------------------------------------------------- classification

const NATIVE_LOCK = /PyThread_acquire_lock|lock_PyThread_acquire_lock|rlock_acquire|pthread_mutex_(timed)?lock|sem_(timed|clock)?wait|pthread_cond_(timed|clock)?wait|PyCOND_/;
const NATIVE_SLEEP = /^(time_sleep|pysleep|nanosleep|clock_nanosleep|__nanosleep|usleep)$/;
const NATIVE_CHILD = /waitpid|wait4|waitid|os_waitpid/;
const NATIVE_IO = /recv|read|poll|select|epoll_wait|accept|connect|SSL_read|SSL_do_handshake|kevent/;

/** The expressions a `with` statement enters, when the line is one: `with a, self._b:` → [a, self._b]. */
function withItems(code: string): string[] | undefined {
  const m = /^\s*(?:async\s+)?with\s+(.+?)\s*:\s*(?:#.*)?$/.exec(code);
  if (!m) return undefined;
  return splitTopLevel(m[1]!).map((item) => item.replace(/\s+as\s+\w+\s*$/, '').trim());
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** A with-item that is a lock: a plain name or attribute (`lock`, `self._lock`), or a call that says so. */
function lockLike(item: string): boolean {
  if (/^[A-Za-z_][\w.]*(\[[^\]]*\])?$/.test(item)) return !/^(open|os|sys|self|ctx|conn|connection|session|db|cursor|f|fh|file)$/.test(item);
  return /lock|mutex|sem(aphore)?\b|cond(ition)?\b/i.test(item) && !/\bopen\(/.test(item);
}

const lockName = (expr: string): string => expr.replace(/\s+/g, '').replace(/\.acquire\(.*\)$/, '');

function codeOf(f: StackFrame, sources?: SourceLines): string | undefined {
  if (f.line > 0 && sources && f.file) {
    const lines = sources(f.file);
    const text = lines?.[f.line - 1];
    if (text !== undefined) return text;
  }
  return f.code;
}

/** Where and on what a thread waits, from its innermost frames; undefined when they show no known wait. */
export function classifyWait(frames: readonly StackFrame[], active: boolean | undefined, sources?: SourceLines): Wait | undefined {
  const py = frames.findIndex((f) => !f.native);
  // Native frames above the innermost Python frame (py-spy --native) name the blocking call exactly.
  for (const f of frames.slice(0, py === -1 ? frames.length : py)) {
    const n = f.function;
    if (NATIVE_LOCK.test(n)) return { kind: 'lock-wait', what: 'to acquire a lock (blocked in the C lock acquire)', ...lockFromCode(frames[py], sources) };
    if (NATIVE_SLEEP.test(n)) return { kind: 'sleep', what: 'in time.sleep' };
    if (NATIVE_CHILD.test(n)) return { kind: 'io-wait', what: 'for a child process to exit (waitpid)' };
    if (NATIVE_IO.test(n) && active !== true) return { kind: 'io-wait', what: `in a system call (${n})` };
  }
  if (py === -1) return undefined;
  // The standard library's waiting functions, innermost first.
  for (let i = py; i < Math.min(frames.length, py + 8); i++) {
    const f = frames[i]!;
    if (f.native) continue;
    const fn = shortName(f.function);
    const outer = frames.slice(i + 1, i + 4);
    if (inFile(f, 'threading.py')) {
      if (fn === '_wait_for_tstate_lock' || fn === 'join') return { kind: 'lock-wait', what: 'for another thread to finish (Thread.join)' };
      if (fn === 'wait' || fn === '_wait' || fn === 'acquire') {
        if (outer.some((o) => inFile(o, 'queue.py') && /^(get|put)$/.test(shortName(o.function)))) return { kind: 'lock-wait', what: `for an item (queue.Queue.${shortName(outer.find((o) => inFile(o, 'queue.py'))!.function)})` };
        if (/Event\.wait/.test(f.function) || outer.some((o) => /Event\.wait/.test(o.function))) return { kind: 'lock-wait', what: 'for an Event to be set (Event.wait)' };
        if (/Barrier/.test(f.function) || outer.some((o) => /Barrier\./.test(o.function))) return { kind: 'lock-wait', what: 'at a Barrier (Barrier.wait)' };
        if (fn === 'acquire') return { kind: 'lock-wait', what: `to acquire a semaphore (${f.function})` };
        return { kind: 'lock-wait', what: 'on a Condition (Condition.wait)' };
      }
      continue;
    }
    if (inFile(f, 'queue.py') && /^(get|put)$/.test(fn)) return { kind: 'lock-wait', what: `for an item (queue.Queue.${fn})` };
    if (inFile(f, 'subprocess.py') && /^(_try_wait|_wait|wait|communicate|_communicate|run|call|check_call|check_output)$/.test(fn)) return { kind: 'io-wait', what: `for a child process (subprocess ${f.function})` };
    if (inFile(f, 'socket.py') && /^(accept|readinto|recv\w*|create_connection|connect|sendall|makefile)$/.test(fn)) return { kind: 'io-wait', what: `on a socket (socket ${f.function})` };
    if (inFile(f, 'ssl.py')) return { kind: 'io-wait', what: `for TLS data (ssl ${f.function})` };
    if (inFile(f, 'selectors.py') && fn === 'select') return { kind: 'io-wait', what: 'in select() for sockets to become ready' };
    if (inFile(f, 'http/client.py') || (inFile(f, 'client.py') && /^HTTP/.test(f.function))) return { kind: 'io-wait', what: `for an HTTP response (http.client ${f.function})` };
    if (inFile(f, 'urllib/request.py')) return { kind: 'io-wait', what: `for an HTTP response (urllib ${f.function})` };
    if (inFile(f, 'multiprocessing/connection.py', 'multiprocessing/queues.py', 'connection.py', 'queues.py') && /^(_recv\w*|recv\w*|poll|_poll|wait|get)$/.test(fn)) return { kind: 'io-wait', what: `for another process (multiprocessing ${f.function})` };
    if (!isLibrary(f)) break;
  }
  // The innermost Python line itself: blocking calls into C leave no frame of their own.
  const code = codeOf(frames[py]!, sources);
  if (code !== undefined && active !== true) {
    const items = withItems(code);
    const lock = items?.find(lockLike);
    if (lock) return { kind: 'lock-wait', what: `to acquire ${lockName(lock)}`, lock: lockName(lock) };
    const acquire = /([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.acquire\(/.exec(code);
    if (acquire) return { kind: 'lock-wait', what: `to acquire ${acquire[1]}`, lock: acquire[1]! };
    if (/\bsleep\(/.test(code)) return { kind: 'sleep', what: `in ${/[\w.]*sleep\(/.exec(code)![0]})` };
    if (/\.communicate\(|\bsubprocess\.(run|call|check_call|check_output)\(|\b(proc|process|popen|child|p)\.wait\(/.test(code)) return { kind: 'io-wait', what: 'for a child process' };
    const io = /\.(recv|recv_into|recvfrom|accept|readline|readinto|read|connect|getresponse|select|poll)\(|\burlopen\(|\brequests\.(get|post|put|patch|delete|request)\(/.exec(code);
    if (io) return { kind: 'io-wait', what: `on I/O (${io[0].replace(/^\./, '').replace(/\($/, '')})` };
    const q = /([A-Za-z_][\w.]*)\.get\(/.exec(code);
    if (q && /queue|(^|\.)q$|jobs|tasks|inbox|work/i.test(q[1]!)) return { kind: 'lock-wait', what: `for an item (${q[1]}.get)` };
    if (/\.wait\(|\.join\(\s*\)/.test(code)) return { kind: 'lock-wait', what: `in ${/[\w.]*\.(wait|join)\(/.exec(code)![0]})` };
  }
  return undefined;
}

function lockFromCode(f: StackFrame | undefined, sources?: SourceLines): { lock?: string; what?: string } {
  if (!f) return {};
  const code = codeOf(f, sources);
  if (code === undefined) return {};
  const lock = withItems(code)?.find(lockLike) ?? /([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.acquire\(/.exec(code)?.[1];
  return lock ? { lock: lockName(lock), what: `to acquire ${lockName(lock)}` } : {};
}

/**
 * The locks a thread holds: in each of its own frames, the `with` statements that enclose the current
 * line (walking up by indentation to the function's `def`), and `x.acquire()` statements above it in the
 * same function with no `x.release()` between.
 */
export function heldLocks(frames: readonly StackFrame[], sources: SourceLines | undefined): HeldLock[] {
  const held: HeldLock[] = [];
  if (!sources) return held;
  frames.forEach((f) => {
    if (f.native || f.line <= 0 || !f.file || isLibrary(f)) return;
    const lines = sources(f.file);
    if (!lines || f.line > lines.length) return;
    const current = lines[f.line - 1]!;
    // Starts above the current line: a frame's own `with lock:` line is what it waits for, not what it holds.
    let indent = indentOf(current);
    const released = new Set<string>();
    for (let n = f.line - 2; n >= 0; n--) {
      const text = lines[n]!;
      if (text.trim() === '' || text.trim().startsWith('#')) continue;
      const ind = indentOf(text);
      const rel = /^\s*([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.release\(\s*\)/.exec(text);
      if (rel) released.add(lockName(rel[1]!));
      const acq = /^\s*([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.acquire\(/.exec(text);
      if (acq && ind <= indent && !released.has(lockName(acq[1]!))) held.push({ lock: lockName(acq[1]!), file: f.file, line: n + 1 });
      if (ind >= indent) continue;
      indent = ind;
      if (/^\s*(async\s+def|def|class)\s/.test(text)) break;
      for (const item of withItems(text) ?? []) if (lockLike(item)) held.push({ lock: lockName(item), file: f.file, line: n + 1 });
      if (indent === 0) break;
    }
  });
  return held;
}

function indentOf(text: string): number {
  let n = 0;
  for (const c of text) {
    if (c === ' ') n++;
    else if (c === '\t') n += 8;
    else break;
  }
  return n;
}

// ---------------------------------------------------------------------------------- stuck

const sameFrame = (a: StackFrame, b: StackFrame): boolean => a.function === b.function && a.file === b.file && a.line === b.line;

export function analyzeStacks(series: DumpSeries, sources?: SourceLines): StackAnalysis {
  const dumps = series.dumps;
  const n = dumps.length;
  const last = dumps[n - 1];
  const byId = new Map<number, ThreadDump[]>();
  for (const d of dumps) for (const t of d.threads) {
    const list = byId.get(t.id) ?? [];
    list.push(t);
    byId.set(t.id, list);
  }
  const threads: AnalyzedThread[] = (last?.threads ?? []).map((t) => {
    const all = byId.get(t.id) ?? [t];
    const alwaysActive = all.every((x) => x.active === true);
    // Root-aligned comparison: frame k from the root is still when it is the same in every dump.
    const rootFirst = all.map((x) => [...x.frames].reverse());
    const depth = t.frames.length;
    const still = new Array<boolean>(depth).fill(n >= 2 && all.length === n);
    for (let k = 0; k < depth; k++) {
      const mine = rootFirst[rootFirst.length - 1]![k]!;
      for (const other of rootFirst) {
        const o = other[k];
        const innermost = k === depth - 1;
        if (!o || !(sameFrame(o, mine) || (innermost && alwaysActive && o.function === mine.function && o.file === mine.file))) {
          for (let j = k; j < depth; j++) still[j] = false;
          break;
        }
      }
      if (!still[k]) break;
    }
    const sameDepth = all.every((x) => x.frames.length === depth);
    const parked = waitingForWork(t.frames);
    const stuck = n >= 2 && all.length === n && sameDepth && depth > 0 && still.every(Boolean) && !parked;
    const frames: AnalyzedFrame[] = t.frames.map((f, i) => ({ ...f, still: still[depth - 1 - i]! }));
    const focus = t.frames.findIndex((f) => !isLibrary(f));
    return {
      id: t.id,
      name: t.name,
      active: t.active ?? null,
      gil: t.gil ?? null,
      stuck,
      waitingForWork: parked,
      frames,
      ...(focus >= 0 ? { focus } : {}),
      held: [],
      seen: all.length,
    };
  });
  // Waits and held locks, for the threads that matter: stuck ones, or every non-parked thread of a single dump.
  const judged = threads.filter((t) => (n >= 2 ? t.stuck : !t.waitingForWork && t.frames.length > 0));
  for (const t of judged) {
    const wait = classifyWait(t.frames, t.active ?? undefined, sources);
    if (wait) t.wait = wait;
    else if (t.active === true && n >= 2) t.wait = { kind: 'busy-loop', what: 'running without leaving its loop' };
    t.held = heldLocks(t.frames, sources);
  }
  const findings = buildFindings(judged, n);
  const pid = dumps.find((d) => d.pid !== undefined)?.pid;
  return { ...(pid !== undefined ? { pid } : {}), dumps: n, threads, findings, warnings: series.warnings };
}

// ---------------------------------------------------------------------------------- findings

const label = (t: AnalyzedThread): string => (t.name ? `"${t.name}"` : `thread ${t.id}`);
const at = (f: StackFrame | undefined): string => (f ? `${f.function} (${base(f.file)}${f.line ? `:${f.line}` : ''})` : 'an unknown frame');
const focusFrame = (t: AnalyzedThread): StackFrame | undefined => (t.focus !== undefined ? t.frames[t.focus] : t.frames[0]);

function buildFindings(judged: AnalyzedThread[], dumps: number): Finding[] {
  const findings: Finding[] = [];
  const inDeadlock = new Set<number>();
  const lockWaiters = judged.filter((t) => t.wait?.kind === 'lock-wait' && t.wait.lock !== undefined);
  // Wait-for graph: T → U when T waits for a lock U holds.
  const edges = new Map<number, { to: AnalyzedThread; lock: string; held: HeldLock }[]>();
  for (const t of lockWaiters) {
    for (const u of judged) {
      if (u === t) continue;
      const h = u.held.find((x) => x.lock === t.wait!.lock);
      if (h) (edges.get(t.id) ?? edges.set(t.id, []).get(t.id)!).push({ to: u, lock: t.wait!.lock!, held: h });
    }
  }
  const byId = new Map(judged.map((t) => [t.id, t]));
  for (const start of lockWaiters) {
    if (inDeadlock.has(start.id)) continue;
    const cycle = findCycle(start.id, edges);
    if (!cycle) continue;
    cycle.forEach((id) => inDeadlock.add(id));
    const members = cycle.map((id) => byId.get(id)!);
    const parts = members.map((t) => {
      const holds = t.held.find((h) => members.some((m) => m !== t && m.wait?.lock === h.lock));
      return `${label(t)} holds ${holds?.lock ?? 'a lock'}${holds ? ` (${base(holds.file)}:${holds.line})` : ''} and waits for ${t.wait!.lock} at ${at(focusFrame(t))}`;
    });
    const f = focusFrame(members[0]!);
    findings.push({
      kind: 'deadlock',
      threadIds: cycle,
      file: f?.file ?? '',
      line: f?.line ?? 0,
      message: `Lock-order deadlock: ${parts.join('; ')}. Each waits for a lock the other holds${dumps >= 2 ? `, unchanged in ${dumps} dumps` : ''}; take the locks in one order everywhere.`,
    });
  }
  // Without the source of who holds what, two or more threads stuck in a lock acquisition are a suspect.
  const plainLockWaiters = judged.filter((t) => !inDeadlock.has(t.id) && t.wait?.kind === 'lock-wait' && (t.wait.lock !== undefined || /C lock acquire/.test(t.wait.what)));
  const unknownHolders = plainLockWaiters.filter((t) => !edges.has(t.id) && t.held.length === 0);
  if (plainLockWaiters.length >= 2 && unknownHolders.length >= 2 && dumps >= 2) {
    const f = focusFrame(unknownHolders[0]!);
    unknownHolders.forEach((t) => inDeadlock.add(t.id));
    findings.push({
      kind: 'deadlock',
      threadIds: unknownHolders.map((t) => t.id),
      file: f?.file ?? '',
      line: f?.line ?? 0,
      message: `Suspected lock-order deadlock: ${unknownHolders.map((t) => `${label(t)} waits ${t.wait!.what} at ${at(focusFrame(t))}`).join('; ')}, none moved in ${dumps} dumps. Which locks each holds is not in the dump; open each line and check the order the locks are taken in.`,
    });
  }
  // Every other stuck thread with a known wait; threads waiting at the same line share one finding.
  const groups = new Map<string, AnalyzedThread[]>();
  for (const t of judged) {
    if (inDeadlock.has(t.id) || !t.wait) continue;
    const f = focusFrame(t);
    const key = `${t.wait.kind}\u0000${t.wait.what}\u0000${f?.file}\u0000${f?.line}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  for (const ts of groups.values()) {
    const t = ts[0]!;
    const w = t.wait!;
    const f = focusFrame(t);
    const who = ts.length === 1 ? label(t) : `${ts.length} threads (${ts.slice(0, 4).map(label).join(', ')}${ts.length > 4 ? ', …' : ''})`;
    const holder = w.lock ? judged.find((u) => u !== t && u.held.some((h) => h.lock === w.lock)) : undefined;
    const holderText = holder ? `, held by ${label(holder)} (${at(focusFrame(holder))})` : '';
    const since = dumps >= 2 ? ` and did not move in ${dumps} dumps` : ' (one dump: whether it moves is unknown)';
    const verb = w.kind === 'busy-loop' ? `${ts.length === 1 ? 'keeps' : 'keep'} running at ${at(f)} without leaving it` : `${ts.length === 1 ? 'waits' : 'wait'} ${w.what}${holderText} at ${at(f)}`;
    findings.push({ kind: w.kind, threadIds: ts.map((x) => x.id), file: f?.file ?? '', line: f?.line ?? 0, message: `${who} ${verb}${since}.` });
  }
  const order = (k: FindingKind) => FINDING_KINDS.indexOf(k);
  return findings.sort((a, b) => order(a.kind) - order(b.kind));
}

function findCycle(start: number, edges: Map<number, { to: AnalyzedThread }[]>): number[] | undefined {
  const path: number[] = [];
  const onPath = new Set<number>();
  const visit = (id: number): number[] | undefined => {
    if (onPath.has(id)) return id === start ? [...path] : undefined;
    if (path.length > 32) return undefined;
    path.push(id);
    onPath.add(id);
    for (const e of edges.get(id) ?? []) {
      const c = visit(e.to.id);
      if (c) return c;
    }
    path.pop();
    onPath.delete(id);
    return undefined;
  };
  return visit(start);
}

/** Whether the run found something stuck: the CLI's exit 1. */
export function somethingStuck(a: StackAnalysis): boolean {
  return a.threads.some((t) => t.stuck) || a.findings.some((f) => f.kind === 'deadlock');
}

/** The `iwb stacks --json` document (issue #13's contract; frames innermost first). */
export interface StacksReport {
  pid?: number;
  dumps: number;
  threads: { id: number; name: string; active: boolean | null; gil: boolean | null; stuck: boolean; frames: { function: string; file: string; line: number }[] }[];
  findings: Finding[];
}

export function stacksReport(a: StackAnalysis): StacksReport {
  return {
    ...(a.pid !== undefined ? { pid: a.pid } : {}),
    dumps: a.dumps,
    threads: a.threads.map((t) => ({ id: t.id, name: t.name, active: t.active, gil: t.gil, stuck: t.stuck, frames: t.frames.map((f) => ({ function: f.function, file: f.file, line: f.line })) })),
    findings: a.findings.map((f) => ({ kind: f.kind, threadIds: f.threadIds, file: f.file, line: f.line, message: f.message })),
  };
}
