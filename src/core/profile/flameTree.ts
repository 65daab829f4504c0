/**
 * The merged call tree a flame graph draws, built from a profile's stack table: threads chosen or merged,
 * "only my code" (frames outside the workspace fold into their nearest kept caller), "hide idle" (samples
 * whose leaf waits are dropped), and for a diff a second profile's weights on the same tree. Pure and
 * DOM-free: the webview draws it, the unit tests check it. Boxes are laid out by a pure function too,
 * as in vscode-js-profile-visualizer's build-boxes.ts: only boxes at least `minWidth` wide are returned.
 */

export interface TreeFrame {
  name: string;
  file: string;
  line: number;
  mine?: boolean;
  idle?: boolean;
}

/** Plain arrays from a parser, or the typed columns the page receives (see src/protocol/flamegraph.ts). */
export interface TreeInput {
  frames: readonly TreeFrame[];
  stackParent: ArrayLike<number>;
  stackFrame: ArrayLike<number>;
  threads: readonly { stacks: ArrayLike<number>; weights: ArrayLike<number> }[];
}

export interface FlameTree {
  /** Node 0 is the root (all samples); every other node is one frame under its parent. */
  count: number;
  parent: Int32Array;
  /** Canonical frame id (see FrameKeys), -1 for the root. */
  key: Int32Array;
  depth: Int32Array;
  total: Float64Array;
  self: Float64Array;
  /** Diff: the other profile's total, scaled to this profile's root total. */
  base: Float64Array;
  baseSelf: Float64Array;
  /** Children of node n: childIndex[childStart[n] .. childStart[n+1]). */
  childStart: Int32Array;
  childIndex: Int32Array;
  maxDepth: number;
  /** Set by sortChildren: children are ordered on first access through `children`. */
  sortBy?: { frames: readonly TreeFrame[]; leftHeavy: boolean };
  sorted?: Uint8Array;
}

/** Interns frames by name+file+line across one or two profiles, and functions by name+file. */
export class FrameKeys {
  readonly frames: TreeFrame[] = [];
  readonly func: number[] = [];
  // name -> file -> line -> id. Nested maps look the frame's own strings up (their hashes are cached in
  // the strings) instead of building a key string per frame, which cost most of a 100k-frame intern.
  private readonly ids = new Map<string, Map<string, Map<number, number>>>();
  private readonly funcs = new Map<string, Map<string, number>>();
  private funcCount = 0;

  /** The canonical id of each frame of `frames`. */
  intern(frames: readonly TreeFrame[]): Int32Array {
    const out = new Int32Array(frames.length);
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!;
      let byFile = this.ids.get(f.name);
      if (byFile === undefined) this.ids.set(f.name, (byFile = new Map()));
      let byLine = byFile.get(f.file);
      if (byLine === undefined) byFile.set(f.file, (byLine = new Map()));
      let id = byLine.get(f.line);
      if (id === undefined) {
        id = this.frames.length;
        byLine.set(f.line, id);
        this.frames.push(f);
        let fnByFile = this.funcs.get(f.name);
        if (fnByFile === undefined) this.funcs.set(f.name, (fnByFile = new Map()));
        let fn = fnByFile.get(f.file);
        if (fn === undefined) fnByFile.set(f.file, (fn = this.funcCount++));
        this.func.push(fn);
      }
      out[i] = id;
    }
    return out;
  }
}

export interface TreeOptions {
  /** Thread indices to include; undefined or null: all, merged. */
  threads?: readonly number[] | null;
  onlyMine?: boolean;
  hideIdle?: boolean;
}

/**
 * A call tree being built: node columns in typed arrays, and (parent, key) -> node in an open-addressing
 * table of [parent, key, node, _] slots. A Map keyed by parent * 2^22 + key boxed every key past 2^31 and
 * made building a 200k-node tree several times slower.
 */
class Growing {
  count = 1;
  parent = new Int32Array(1024);
  key = new Int32Array(1024).fill(-1);
  depth = new Int32Array(1024);
  self = new Float64Array(1024);
  baseSelf = new Float64Array(1024);
  private slots = new Int32Array(4 << 11).fill(-1);
  private mask = (1 << 11) - 1;

  child(parent: number, key: number): number {
    const slots = this.slots;
    let i = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) & this.mask;
    for (;;) {
      const p = slots[i << 2]!;
      if (p === -1) break;
      if (p === parent && slots[(i << 2) + 1] === key) return slots[(i << 2) + 2]!;
      i = (i + 1) & this.mask;
    }
    const id = this.count++;
    if (id >= this.parent.length) this.growColumns();
    this.parent[id] = parent;
    this.key[id] = key;
    this.depth[id] = this.depth[parent]! + 1;
    slots[i << 2] = parent;
    slots[(i << 2) + 1] = key;
    slots[(i << 2) + 2] = id;
    if (this.count * 2 > this.mask) this.growSlots();
    return id;
  }

  private growColumns(): void {
    const size = this.parent.length * 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.parent = grow(this.parent, (n) => new Int32Array(n));
    this.key = grow(this.key, (n) => new Int32Array(n));
    this.depth = grow(this.depth, (n) => new Int32Array(n));
    this.self = grow(this.self, (n) => new Float64Array(n));
    this.baseSelf = grow(this.baseSelf, (n) => new Float64Array(n));
  }

  private growSlots(): void {
    const mask = (this.mask + 1) * 2 - 1;
    const slots = new Int32Array((mask + 1) << 2).fill(-1);
    for (let id = 1; id < this.count; id++) {
      const parent = this.parent[id]!;
      const key = this.key[id]!;
      let i = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) & mask;
      while (slots[i << 2] !== -1) i = (i + 1) & mask;
      slots[i << 2] = parent;
      slots[(i << 2) + 1] = key;
      slots[(i << 2) + 2] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function addProfile(g: Growing, input: TreeInput, canon: Int32Array, options: TreeOptions, into: 'self' | 'baseSelf', scale = 1): number {
  const n = input.stackParent.length;
  const threads = (options.threads ?? input.threads.map((_, i) => i)).map((t) => input.threads[t]).filter((t) => t !== undefined);
  // Which frames stay (all, or only the workspace's) and which leaves are idle, once per frame.
  const frameCount = input.frames.length;
  const keep = new Uint8Array(frameCount);
  const idle = new Uint8Array(frameCount);
  for (let f = 0; f < frameCount; f++) {
    const frame = input.frames[f]!;
    keep[f] = !options.onlyMine || frame.mine ? 1 : 0;
    idle[f] = options.hideIdle && frame.idle ? 1 : 0;
  }
  // The stacks sampled on the chosen threads and their callers: a stack's parent has a smaller index, so
  // one backward pass marks callers and one forward pass maps every needed stack to its tree node.
  const needed = new Uint8Array(n);
  for (const th of threads) {
    for (let k = 0; k < th.stacks.length; k++) {
      const s = th.stacks[k]!;
      if (s >= 0 && s < n) needed[s] = 1;
    }
  }
  for (let s = n - 1; s >= 0; s--) if (needed[s]) {
    const p = input.stackParent[s]!;
    if (p >= 0) needed[p] = 1;
  }
  const node = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    if (!needed[s]) continue;
    const p = input.stackParent[s]!;
    const up = p >= 0 ? node[p]! : 0;
    const f = input.stackFrame[s]!;
    node[s] = f >= 0 && f < frameCount && keep[f] ? g.child(up, canon[f]!) : up;
  }
  let total = 0;
  const weights = g[into];
  for (const th of threads) {
    for (let k = 0; k < th.stacks.length; k++) {
      const s = th.stacks[k]!;
      if (s >= n) continue;
      const w = th.weights[k]!;
      if (s >= 0 && idle[input.stackFrame[s]!]) continue;
      // An empty stack (-1) is a sample with no frames: it counts at the root.
      weights[s >= 0 ? node[s]! : 0] += w * scale;
      total += w;
    }
  }
  return total;
}

function finish(g: Growing): FlameTree {
  const n = g.count;
  const parent = g.parent.slice(0, n);
  const depth = g.depth.slice(0, n);
  const self = g.self.slice(0, n);
  const baseSelf = g.baseSelf.slice(0, n);
  const total = g.self.slice(0, n);
  const base = g.baseSelf.slice(0, n);
  let maxDepth = 0;
  // Children are created after their parents, so one backward pass sums subtrees.
  for (let i = n - 1; i > 0; i--) {
    total[parent[i]!] += total[i]!;
    base[parent[i]!] += base[i]!;
    if (depth[i]! > maxDepth) maxDepth = depth[i]!;
  }
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i]! + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childIndex = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) childIndex[fill[parent[i]!]!++] = i;
  return { count: n, parent, key: g.key.slice(0, n), depth, total, self, base, baseSelf, childStart, childIndex, maxDepth };
}

export function buildFlameTree(input: TreeInput, canon: Int32Array, options: TreeOptions = {}): FlameTree {
  const g = new Growing();
  addProfile(g, input, canon, options, 'self');
  return finish(g);
}

/**
 * One tree over `after` with `before`'s weights in `base`, scaled so both roots have the same total (CPU
 * profiles of runs of different length compare by share), or as they are with `scale: 'absolute'` (memory
 * compares in bytes).
 */
export function buildDiffTree(after: TreeInput, afterCanon: Int32Array, before: TreeInput, beforeCanon: Int32Array, options: TreeOptions = {}, scale: 'share' | 'absolute' = 'share'): FlameTree {
  const g = new Growing();
  const afterTotal = addProfile(g, after, afterCanon, { ...options, threads: null }, 'self');
  let factor = 1;
  if (scale === 'share') {
    const beforeTotal = addProfile(new Growing(), before, beforeCanon, { ...options, threads: null }, 'self');
    factor = beforeTotal > 0 ? afterTotal / beforeTotal : 0;
  }
  addProfile(g, before, beforeCanon, { ...options, threads: null }, 'baseSelf', factor);
  return finish(g);
}

/**
 * Orders children by weight, heaviest first ("left heavy"), or by name (classic flame graph). Lazily: a
 * node's children are sorted the first time they are asked for (see `children`), so a 200k-node tree only
 * pays for the nodes that are drawn or navigated.
 */
export function sortChildren(tree: FlameTree, frames: readonly TreeFrame[], leftHeavy: boolean): void {
  tree.sortBy = { frames, leftHeavy };
  tree.sorted = new Uint8Array(tree.count);
}

/** The children of `node`, in the order `sortChildren` asked for. */
export function children(tree: FlameTree, node: number): Int32Array {
  const a = tree.childStart[node]!;
  const b = tree.childStart[node + 1]!;
  if (tree.sortBy && tree.sorted && !tree.sorted[node] && b - a > 1) {
    const { frames, leftHeavy } = tree.sortBy;
    const kids = Array.from(tree.childIndex.subarray(a, b));
    kids.sort(
      leftHeavy
        ? (x, y) => tree.total[y]! - tree.total[x]!
        : (x, y) => {
            const fx = frames[tree.key[x]!]!;
            const fy = frames[tree.key[y]!]!;
            return fx.name < fy.name ? -1 : fx.name > fy.name ? 1 : fx.line - fy.line;
          },
    );
    tree.childIndex.set(kids, a);
  }
  if (tree.sorted) tree.sorted[node] = 1;
  return tree.childIndex.subarray(a, b);
}

export interface Box {
  node: number;
  /** 0..1 of the zoomed node's width. */
  x: number;
  width: number;
  /** Depth below the zoomed node. */
  row: number;
}

/**
 * Boxes of the subtree under `zoom` (its ancestors are drawn by the caller as full-width rows), skipping
 * any node narrower than `minFraction` of the view — and its whole subtree, which is narrower still.
 */
export function layoutBoxes(tree: FlameTree, zoom: number, minFraction: number, maxBoxes = 200_000): Box[] {
  const boxes: Box[] = [];
  const rootTotal = tree.total[zoom]!;
  if (!(rootTotal > 0)) return boxes;
  const stack: { node: number; x: number; row: number }[] = [{ node: zoom, x: 0, row: 0 }];
  while (stack.length > 0 && boxes.length < maxBoxes) {
    const { node, x, row } = stack.pop()!;
    const width = tree.total[node]! / rootTotal;
    boxes.push({ node, x, width, row });
    let cx = x;
    for (const c of children(tree, node)) {
      const w = tree.total[c]! / rootTotal;
      if (w >= minFraction) stack.push({ node: c, x: cx, row: row + 1 });
      cx += w;
    }
  }
  return boxes;
}

/** Nodes from the root (exclusive) to `node` (inclusive). */
export function pathTo(tree: FlameTree, node: number): number[] {
  const out: number[] = [];
  for (let n = node; n > 0; n = tree.parent[n]!) out.push(n);
  return out.reverse();
}

/** Share of the root's weight spent in nodes matching `matches` (a matched node inside another counts once). */
export function matchedShare(tree: FlameTree, matches: (key: number) => boolean): { share: number; nodes: Uint8Array } {
  const nodes = new Uint8Array(tree.count);
  let sum = 0;
  const covered = new Uint8Array(tree.count);
  for (let n = 1; n < tree.count; n++) {
    const m = matches(tree.key[n]!);
    if (m) nodes[n] = 1;
    const p = tree.parent[n]!;
    covered[n] = covered[p]! || nodes[p]! ? 1 : 0;
    if (m && !covered[n]) sum += tree.total[n]!;
  }
  return { share: tree.total[0]! > 0 ? sum / tree.total[0]! : 0, nodes };
}

/**
 * A function's weight in all its call paths (`total`: each sample once, a recursive call inside another
 * counts once) and where it runs itself (`self`). The one definition of "the function's share" that the
 * sandwich view and the page's status line both show.
 */
export function functionTotals(tree: FlameTree, keys: FrameKeys, func: number): { total: number; self: number } {
  const inside = new Uint8Array(tree.count);
  let total = 0;
  let self = 0;
  for (let n = 1; n < tree.count; n++) {
    const p = tree.parent[n]!;
    const isF = keys.func[tree.key[n]!] === func;
    if (isF) self += tree.self[n]!;
    if (inside[p]) inside[n] = 1;
    else if (isF) {
      inside[n] = 1;
      total += tree.total[n]!;
    }
  }
  return { total, self };
}

/**
 * The sandwich view of one function (speedscope's): `callers` is rooted at the function with its callers
 * as children (inverted), `callees` is rooted at the function with everything it called. Occurrences
 * inside an outer occurrence count once (recursion).
 */
export function sandwich(tree: FlameTree, keys: FrameKeys, func: number): { callers: FlameTree; callees: FlameTree; total: number; self: number } {
  const callers = new Growing();
  const callees = new Growing();
  const fnOf = (n: number) => keys.func[tree.key[n]!]!;
  const inside = new Uint8Array(tree.count);
  let total = 0;
  let self = 0;
  // Use a canonical key per function for the two roots: the first frame of that function.
  const rootKey = keys.func.indexOf(func);
  const calleeRootOf = new Int32Array(tree.count).fill(-1);
  for (let n = 1; n < tree.count; n++) {
    const p = tree.parent[n]!;
    const isF = fnOf(n) === func;
    if (isF) self += tree.self[n]!;
    if (isF && !inside[p]) {
      inside[n] = 1;
      total += tree.total[n]!;
      // callers: F, caller, caller's caller, ...
      let c = callers.child(0, rootKey);
      callers.self[c] += 0;
      for (let a = p; a > 0; a = tree.parent[a]!) c = callers.child(c, tree.key[a]!);
      callers.self[c] += tree.total[n]!;
      calleeRootOf[n] = callees.child(0, rootKey);
      callees.self[calleeRootOf[n]!] += tree.self[n]!;
    } else if (inside[p]) {
      inside[n] = 1;
      calleeRootOf[n] = callees.child(calleeRootOf[p]!, tree.key[n]!);
      callees.self[calleeRootOf[n]!] += tree.self[n]!;
    }
  }
  return { callers: finish(callers), callees: finish(callees), total, self };
}
