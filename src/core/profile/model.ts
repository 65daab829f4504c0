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
  | 'chrometrace';

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
  // (parent, frame) -> stack: open addressing over typed arrays; a Map with keys past 2^31 (parent * 2^21 +
  // frame) boxes every key as a heap number, which made this the slowest part of reading big profiles.
  private slotParent = new Int32Array(1 << 12).fill(-2);
  private slotFrame = new Int32Array(1 << 12);
  private slotStack = new Int32Array(1 << 12);
  private slotMask = (1 << 12) - 1;
  private readonly threadIds = new Map<string, number>();
  private readonly threadWeights: Map<number, number>[] = [];
  private readonly threadNames: string[] = [];
  private readonly threadSamples: number[] = [];

  frame(name: string, file = '', line = 0, kind: FrameKind = frameKind(name, file)): number {
    const key = `${name}\u0000${file}\u0000${line}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frames.length;
      if (id >= MAX_FRAMES) throw new ProfileParseError(`more than ${MAX_FRAMES} distinct frames; this is not a profile Incident Workbench can show`);
      this.frames.push({ name, file, line: Number.isFinite(line) && line > 0 ? Math.floor(line) : 0, kind });
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** Adds a frame table entry without de-duplication (formats whose frames are already indexed). */
  rawFrame(frame: Frame): number {
    this.frames.push(frame);
    return this.frames.length - 1;
  }

  /** The stack `parent` + `frame` (parent -1 for a root). */
  stack(parent: number, frame: number): number {
    const mask = this.slotMask;
    let i = (Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77)) & mask;
    for (;;) {
      const p = this.slotParent[i]!;
      if (p === -2) break;
      if (p === parent && this.slotFrame[i] === frame) return this.slotStack[i]!;
      i = (i + 1) & mask;
    }
    const id = this.stackParent.length;
    this.stackParent.push(parent);
    this.stackFrame.push(frame);
    this.slotParent[i] = parent;
    this.slotFrame[i] = frame;
    this.slotStack[i] = id;
    if (id * 2 > mask) this.grow();
    return id;
  }

  private grow(): void {
    const size = (this.slotMask + 1) * 2;
    const mask = size - 1;
    const parents = new Int32Array(size).fill(-2);
    const frames = new Int32Array(size);
    const stacks = new Int32Array(size);
    for (let id = 0; id < this.stackParent.length; id++) {
      const parent = this.stackParent[id]!;
      const frame = this.stackFrame[id]!;
      let i = (Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca77)) & mask;
      while (parents[i] !== -2) i = (i + 1) & mask;
      parents[i] = parent;
      frames[i] = frame;
      stacks[i] = id;
    }
    this.slotParent = parents;
    this.slotFrame = frames;
    this.slotStack = stacks;
    this.slotMask = mask;
  }

  thread(name: string): number {
    let id = this.threadIds.get(name);
    if (id === undefined) {
      id = this.threadNames.length;
      this.threadIds.set(name, id);
      this.threadNames.push(name);
      this.threadWeights.push(new Map());
      this.threadSamples.push(0);
    }
    return id;
  }

  /** Adds weight to a stack; stack -1 (an empty sample) is counted but has nowhere to go. */
  add(thread: number, stack: number, weight: number, samples = 1): void {
    this.threadSamples[thread]! += samples;
    if (stack < 0 || !(weight > 0) || !Number.isFinite(weight)) return;
    const m = this.threadWeights[thread]!;
    m.set(stack, (m.get(stack) ?? 0) + weight);
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
      const m = this.threadWeights[i]!;
      return { name, stacks: [...m.keys()], weights: [...m.values()], samples: this.threadSamples[i]! };
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

/** The frames of a stack, root first. */
export function stackFrames(profile: Pick<Profile, 'stackParent' | 'stackFrame'>, stack: number): number[] {
  const out: number[] = [];
  for (let s = stack; s >= 0; s = profile.stackParent[s]!) out.push(profile.stackFrame[s]!);
  return out.reverse();
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
