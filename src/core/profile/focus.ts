/**
 * The part of a profile the flame graph shows when zoomed: the samples under one node of the merged call
 * tree, re-rooted at that node, so that source heat and code lenses computed from it follow the chart
 * (vscode-flamegraph does the same for its inline annotations). A node is named by its path of frames
 * from the root, as the chart merges them (name, file and line); frames the chart folds away ("only my
 * code") are skipped while matching, and samples it drops ("hide idle") are dropped here too.
 */

import { defaultThreads, type Frame, type Profile } from './model';

export interface FocusFrame {
  name: string;
  file: string;
  line: number;
}

export interface FocusOptions {
  /** Thread indices the chart shows; null/undefined: the profile's default threads. */
  threads?: readonly number[] | null;
  /** Frames the chart folds into their caller (only my code): passed over when matching the path. */
  skip?: (frame: Frame, index: number) => boolean;
  /** Samples whose leaf frame the chart drops (hide idle). */
  dropLeaf?: (frame: Frame, index: number) => boolean;
}

const sameFrame = (f: Frame, p: FocusFrame): boolean => f.name === p.name && f.file === p.file && f.line === p.line;

/**
 * A profile holding only the samples under `path`, with the frames above the last path frame removed:
 * its totals are the subtree's. Threads outside `options.threads` keep no samples. An empty path keeps
 * every stack (only threads and dropped leaves filter).
 */
export function focusProfile(profile: Profile, path: readonly FocusFrame[], options: FocusOptions = {}): Profile {
  const n = profile.stackParent.length;
  // matched[s]: how many path frames the stack's visible frames matched from the root; -1 once one differs.
  const matched = new Int32Array(n);
  // anchor[s]: the stack of the last path frame on the way to s (the new root), -1 before it.
  const anchor = new Int32Array(n).fill(-1);
  const len = path.length;
  for (let s = 0; s < n; s++) {
    const p = profile.stackParent[s]!;
    const m = p < 0 ? 0 : matched[p]!;
    anchor[s] = p < 0 ? -1 : anchor[p]!;
    if (m < 0 || m === len) {
      matched[s] = m;
      continue;
    }
    const fi = profile.stackFrame[s]!;
    const f = profile.frames[fi]!;
    if (options.skip?.(f, fi)) matched[s] = m;
    else if (sameFrame(f, path[m]!)) {
      matched[s] = m + 1;
      if (m + 1 === len) anchor[s] = s;
    } else matched[s] = -1;
  }
  // Re-root: the anchor becomes a root, its descendants keep their order (parents still come first).
  const remap = new Int32Array(n).fill(-1);
  const stackParent: number[] = [];
  const stackFrame: number[] = [];
  for (let s = 0; s < n; s++) {
    if (matched[s] !== len) continue;
    if (len > 0 && anchor[s]! < 0) continue;
    const p = profile.stackParent[s]!;
    remap[s] = stackParent.length;
    stackParent.push(len === 0 ? (p < 0 ? -1 : remap[p]!) : s === anchor[s] ? -1 : remap[p]!);
    stackFrame.push(profile.stackFrame[s]!);
  }
  const chosen = options.threads ?? defaultThreads(profile);
  const keep = chosen ? new Set(chosen) : undefined;
  const threads = profile.threads.map((t, i) => {
    const stacks: number[] = [];
    const weights: number[] = [];
    if (!keep || keep.has(i)) {
      t.stacks.forEach((s, j) => {
        const to = remap[s]!;
        if (to < 0) return;
        if (options.dropLeaf?.(profile.frames[profile.stackFrame[s]!]!, profile.stackFrame[s]!)) return;
        stacks.push(to);
        weights.push(t.weights[j]!);
      });
    }
    return { ...t, stacks, weights };
  });
  const { callGraph: _exact, ...rest } = profile;
  return { ...rest, stackParent, stackFrame, threads };
}

/** One line for the note under a filtered heat: what the heat is limited to. */
export function focusLabel(path: readonly FocusFrame[], threadName?: string): string {
  const last = path[path.length - 1];
  const parts: string[] = [];
  if (last) parts.push(`${last.name}${last.file ? ` (${last.file.split(/[\\/]/).pop()}${last.line ? `:${last.line}` : ''})` : ''}`);
  if (threadName) parts.push(`thread ${threadName}`);
  return parts.join(' · ');
}

/**
 * Equal for two heat requests whose per-line shares are equal: threads, and the zoom only when it narrows
 * (a path or hidden idle frames; "only my code" alone changes nothing), plus how paths resolve (`generation`).
 */
export function sharesKey(threads: readonly number[] | null, focus: { path: readonly FocusFrame[]; onlyMine: boolean; hideIdle: boolean } | undefined, generation: number): string {
  const narrowed = !!focus && (focus.path.length > 0 || focus.hideIdle);
  return JSON.stringify([threads, narrowed ? focus : null, generation]);
}
