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

export interface TreeInput {
  frames: TreeFrame[];
  stackParent: number[];
  stackFrame: number[];
  threads: { stacks: number[]; weights: number[] }[];
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
  private readonly ids = new Map<string, number>();
  private readonly funcs = new Map<string, number>();

  /** The canonical id of each frame of `frames`. */
  intern(frames: readonly TreeFrame[]): Int32Array {
    const out = new Int32Array(frames.length);
    frames.forEach((f, i) => {
      const k = `${f.name}\u0000${f.file}\u0000${f.line}`;
      let id = this.ids.get(k);
      if (id === undefined) {
        id = this.frames.length;
        this.ids.set(k, id);
        this.frames.push(f);
        const fk = `${f.name}\u0000${f.file}`;
        let fn = this.funcs.get(fk);
        if (fn === undefined) this.funcs.set(fk, (fn = this.funcs.size));
        this.func.push(fn);
      }
      out[i] = id;
    });
    return out;
  }
}

export interface TreeOptions {
  /** Thread indices to include; undefined or null: all, merged. */
  threads?: readonly number[] | null;
  onlyMine?: boolean;
  hideIdle?: boolean;
}

class Growing {
  parent: number[] = [0];
  key: number[] = [-1];
  depth: number[] = [0];
  self: number[] = [0];
  baseSelf: number[] = [0];
  private readonly map = new Map<number, number>();
  child(parent: number, key: number): number {
    const k = parent * 4194304 + key;
    let id = this.map.get(k);
    if (id === undefined) {
      id = this.parent.length;
      this.map.set(k, id);
      this.parent.push(parent);
      this.key.push(key);
      this.depth.push(this.depth[parent]! + 1);
      this.self.push(0);
      this.baseSelf.push(0);
    }
    return id;
  }
}

function addProfile(g: Growing, input: TreeInput, canon: Int32Array, options: TreeOptions, into: 'self' | 'baseSelf', scale = 1): number {
  const memo = new Int32Array(input.stackParent.length).fill(-1);
  const nodeOf = (s: number): number => {
    // Iterative: deep recursion in real profiles (1000+ frames) must not overflow the JS stack.
    const chain: number[] = [];
    let cur = s;
    while (cur >= 0 && memo[cur] === -1) {
      chain.push(cur);
      cur = input.stackParent[cur]!;
    }
    let node = cur >= 0 ? memo[cur]! : 0;
    for (let i = chain.length - 1; i >= 0; i--) {
      const st = chain[i]!;
      const f = input.stackFrame[st]!;
      const frame = input.frames[f];
      if (frame && (!options.onlyMine || frame.mine)) node = g.child(node, canon[f]!);
      memo[st] = node;
    }
    return node;
  };
  let total = 0;
  const threads = options.threads ?? input.threads.map((_, i) => i);
  for (const t of threads) {
    const th = input.threads[t];
    if (!th) continue;
    for (let k = 0; k < th.stacks.length; k++) {
      const s = th.stacks[k]!;
      const w = th.weights[k]!;
      if (options.hideIdle && input.frames[input.stackFrame[s]!]?.idle) continue;
      g[into][nodeOf(s)] += w * scale;
      total += w;
    }
  }
  return total;
}

function finish(g: Growing): FlameTree {
  const n = g.parent.length;
  const parent = Int32Array.from(g.parent);
  const depth = Int32Array.from(g.depth);
  const self = Float64Array.from(g.self);
  const baseSelf = Float64Array.from(g.baseSelf);
  const total = Float64Array.from(g.self);
  const base = Float64Array.from(g.baseSelf);
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
  return { count: n, parent, key: Int32Array.from(g.key), depth, total, self, base, baseSelf, childStart, childIndex, maxDepth };
}

export function buildFlameTree(input: TreeInput, canon: Int32Array, options: TreeOptions = {}): FlameTree {
  const g = new Growing();
  addProfile(g, input, canon, options, 'self');
  return finish(g);
}

/** One tree over `after` with `before`'s weights in `base`, scaled so both roots have the same total. */
export function buildDiffTree(after: TreeInput, afterCanon: Int32Array, before: TreeInput, beforeCanon: Int32Array, options: TreeOptions = {}): FlameTree {
  const probe = new Growing();
  const beforeTotal = addProfile(probe, before, beforeCanon, { ...options, threads: null }, 'self');
  const g = new Growing();
  const afterTotal = addProfile(g, after, afterCanon, { ...options, threads: null }, 'self');
  addProfile(g, before, beforeCanon, { ...options, threads: null }, 'baseSelf', beforeTotal > 0 ? afterTotal / beforeTotal : 0);
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
