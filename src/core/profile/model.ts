/**
 * One profile model for every input format: a frames table, a stack table (a tree of interned stacks,
 * each `(parent, frame)`), and per thread the weight of each stack that was sampled. Time order is not
 * kept: flame graphs, summaries, heat and diffs only need how much weight each stack had.
 *
 * The stack table follows the Firefox profiler's processed format (stackTable.prefix / stackTable.frame):
 * a stack's parent always has a smaller index, so one backward pass sums subtree totals.
 */

export type ProfileFormat =
  | 'pyspy-raw'
  | 'collapsed'
  | 'speedscope-sampled'
  | 'speedscope-evented'
  | 'pyspy-chrometrace'
  | 'torch-chrometrace'
  | 'chrometrace'
  | 'pstats'
  | 'pyinstrument'
  | 'pyinstrument-session'
  | 'scalene'
  | 'austin';

/** What a weight means. Percentages are unit-free, so summaries and diffs mix units freely. */
export type WeightUnit = 'samples' | 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds' | 'bytes' | 'none';

/** `thread`/`process` are the synthetic root frames py-spy adds with --threads / --subprocesses. */
export type FrameKind = 'python' | 'native' | 'op' | 'other';

export interface Frame {
  name: string;
  /** As the profiler wrote it; '' when unknown. Resolve against the target's cwd and path mappings. */
  file: string;
  /** 1-based; 0 when unknown. */
  line: number;
  kind: FrameKind;
}

export interface ThreadProfile {
  name: string;
  /** Unique stack ids that were sampled on this thread (leaf node of each stack). */
  stacks: number[];
  /** Weight of each entry of `stacks` (same length). */
  weights: number[];
  /** Raw samples (or trace events) behind these weights. */
  samples: number;
  /** A GPU stream of a torch trace: device time, which summaries keep apart from CPU time. */
  device?: boolean;
}

export interface Profile {
  format: ProfileFormat;
  unit: WeightUnit;
  /** e.g. `py-spy@0.4.3` when the file says so. */
  exporter?: string;
  frames: Frame[];
  /** Parent stack of each stack, -1 for a root frame. */
  stackParent: number[];
  /** Frame of each stack. */
  stackFrame: number[];
  threads: ThreadProfile[];
  /** Recoverable problems met while reading (skipped lines, a truncated tail, ...). */
  warnings: string[];
  /** Deterministic profilers (cProfile): the exact per-function and per-call-pair times. */
  callGraph?: CallGraph;
  /** What the reader had to do to make stacks of this format (shown with the flame graph). */
  note?: string;
}

/** One function of a cProfile run, and who called it how often and for how long. */
export interface CallGraphFunction {
  file: string;
  line: number;
  name: string;
  cc: number;
  nc: number;
  tt: number;
  ct: number;
}

export interface CallEdge {
  caller: number;
  callee: number;
  cc: number;
  nc: number;
  tt: number;
  ct: number;
}

/** The exact statistics of a deterministic profiler, in seconds. */
export interface CallGraph {
  functions: CallGraphFunction[];
  edges: CallEdge[];
  /** Σ tt: the run's total time as pstats prints it. */
  totalTime: number;
}

/** A profile that could not be read at all; the message names the problem (the caller adds the file). */
export class ProfileParseError extends Error {
  constructor(
    message: string,
    /** Whatever was read before the problem, when it is enough to show. */
    readonly partial?: Profile,
  ) {
    super(message);
    this.name = 'ProfileParseError';
  }
}

/** Frames and stacks are interned with numeric keys; 2^21 distinct frames is far beyond real profiles. */
export const MAX_FRAMES = 1 << 21;

export function frameKind(_name: string, file: string): FrameKind {
  if (file === '') return 'other';
  if (/\.py[xiw]?$/i.test(file) || file.startsWith('<frozen ') || file === '<string>' || file === '<stdin>') return 'python';
  return 'native';
}

/** Incrementally builds a Profile; parsers feed it frames, stacks and weights. */
export class ProfileBuilder {
  readonly frames: Frame[] = [];
  readonly stackParent: number[] = [];
  readonly stackFrame: number[] = [];
  readonly warnings: string[] = [];
  private readonly frameIds = new Map<string, number>();
  // (parent, frame) -> stack: open addressing over one typed array of [parent, frame, stack, _] slots, so
  // a probe touches one cache line. A Map keyed by parent * 2^21 + frame boxed every key as a heap number
  // and made this the slowest part of reading big profiles.
  private slots = new Int32Array(4 << 12).fill(-2);
  private slotMask = (1 << 12) - 1;
  private readonly threadIds = new Map<string, number>();
  private readonly threadWeights: WeightTable[] = [];
  private readonly threadNames: string[] = [];
  private readonly threadSamples: number[] = [];

  frame(name: string, file = '', line = 0, kind: FrameKind = frameKind(name, file)): number {
    const key = `${name}\u0000${file}\u0000${line}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.rawFrame({ name, file, line: Number.isFinite(line) && line > 0 ? Math.floor(line) : 0, kind });
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** Adds a frame table entry without de-duplication (formats whose frames are already indexed). */
  rawFrame(frame: Frame): number {
    const id = this.frames.length;
    if (id >= MAX_FRAMES) throw new ProfileParseError(`more than ${MAX_FRAMES} distinct frames; this is not a profile Incident Workbench can show`);
    this.frames.push(frame);
    return id;
  }

  /** The stack `parent` + `frame` (parent -1 for a root). */
  stack(parent: number, frame: number): number {
    const mask = this.slotMask;
    const slots = this.slots;
    let i = (Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77)) & mask;
    for (;;) {
      const p = slots[i << 2]!;
      if (p === -2) break;
      if (p === parent && slots[(i << 2) + 1] === frame) return slots[(i << 2) + 2]!;
      i = (i + 1) & mask;
    }
    const id = this.stackParent.length;
    this.stackParent.push(parent);
    this.stackFrame.push(frame);
    slots[i << 2] = parent;
    slots[(i << 2) + 1] = frame;
    slots[(i << 2) + 2] = id;
    if (id * 2 > mask) this.grow();
    return id;
  }

  /**
   * Appends the stack `parent` + `frame` without looking for it: for parsers that already know it is new
   * (they index stacks themselves). `stack()` does not find stacks appended this way.
   */
  appendStack(parent: number, frame: number): number {
    this.stackParent.push(parent);
    this.stackFrame.push(frame);
    return this.stackParent.length - 1;
  }

  private grow(): void {
    const size = (this.slotMask + 1) * 2;
    const mask = size - 1;
    const slots = new Int32Array(size << 2).fill(-2);
    for (let id = 0; id < this.stackParent.length; id++) {
      const parent = this.stackParent[id]!;
      const frame = this.stackFrame[id]!;
      let i = (Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77)) & mask;
      while (slots[i << 2] !== -2) i = (i + 1) & mask;
      slots[i << 2] = parent;
      slots[(i << 2) + 1] = frame;
      slots[(i << 2) + 2] = id;
    }
    this.slots = slots;
    this.slotMask = mask;
  }

  thread(name: string): number {
    let id = this.threadIds.get(name);
    if (id === undefined) {
      id = this.threadNames.length;
      this.threadIds.set(name, id);
      this.threadNames.push(name);
      this.threadWeights.push(new WeightTable());
      this.threadSamples.push(0);
    }
    return id;
  }

  /** Adds weight to a stack; stack -1 (an empty sample) is counted but has nowhere to go. */
  add(thread: number, stack: number, weight: number, samples = 1): void {
    this.threadSamples[thread]! += samples;
    if (stack < 0 || !(weight > 0) || !Number.isFinite(weight)) return;
    this.threadWeights[thread]!.add(stack, weight);
  }

  warn(message: string): void {
    if (this.warnings.length < 20) this.warnings.push(message);
    else if (this.warnings.length === 20) this.warnings.push('… further warnings omitted');
  }

  get stackCount(): number {
    return this.stackParent.length;
  }

  build(format: ProfileFormat, unit: WeightUnit, exporter?: string): Profile {
    const threads: ThreadProfile[] = this.threadNames.map((name, i) => {
      const w = this.threadWeights[i]!;
      return { name, stacks: w.stacks, weights: w.weights, samples: this.threadSamples[i]! };
    });
    return {
      format,
      unit,
      ...(exporter ? { exporter } : {}),
      frames: this.frames,
      stackParent: this.stackParent,
      stackFrame: this.stackFrame,
      threads,
      warnings: this.warnings,
    };
  }
}

/** Weight per stack of one thread, in first-seen order; a typed open-addressing index finds a stack's entry. */
class WeightTable {
  readonly stacks: number[] = [];
  readonly weights: number[] = [];
  /** [stack, index] pairs; stack -1 marks an empty slot. */
  private slots = new Int32Array(2 << 8).fill(-1);
  private mask = (1 << 8) - 1;

  add(stack: number, weight: number): void {
    const slots = this.slots;
    let i = Math.imul(stack, 0x9e3779b1) & this.mask;
    for (;;) {
      const s = slots[i << 1]!;
      if (s === stack) {
        this.weights[slots[(i << 1) + 1]!]! += weight;
        return;
      }
      if (s === -1) break;
      i = (i + 1) & this.mask;
    }
    slots[i << 1] = stack;
    slots[(i << 1) + 1] = this.stacks.length;
    this.stacks.push(stack);
    this.weights.push(weight);
    if (this.stacks.length * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const mask = (this.mask + 1) * 2 - 1;
    const slots = new Int32Array((mask + 1) << 1).fill(-1);
    this.stacks.forEach((stack, index) => {
      let i = Math.imul(stack, 0x9e3779b1) & mask;
      while (slots[i << 1] !== -1) i = (i + 1) & mask;
      slots[i << 1] = stack;
      slots[(i << 1) + 1] = index;
    });
    this.slots = slots;
    this.mask = mask;
  }
}

/** The frames of a stack, root first. */
export function stackFrames(profile: Pick<Profile, 'stackParent' | 'stackFrame'>, stack: number): number[] {
  const out: number[] = [];
  for (let s = stack; s >= 0; s = profile.stackParent[s]!) out.push(profile.stackFrame[s]!);
  return out.reverse();
}

/**
 * The threads a summary takes when none are chosen: the CPU threads of a trace that also has GPU streams
 * (adding device time to CPU time would make one base of two clocks), else all of them.
 */
export function defaultThreads(profile: Pick<Profile, 'threads'>): number[] | undefined {
  const cpu = profile.threads.map((t, i) => (t.device ? -1 : i)).filter((i) => i >= 0);
  return cpu.length > 0 && cpu.length < profile.threads.length ? cpu : undefined;
}

export function totalWeight(profile: Profile, threads?: readonly number[]): number {
  let sum = 0;
  (threads ?? profile.threads.map((_, i) => i)).forEach((t) => {
    for (const w of profile.threads[t]?.weights ?? []) sum += w;
  });
  return sum;
}

export function sampleCount(profile: Profile): number {
  return profile.threads.reduce((n, t) => n + t.samples, 0);
}
