import { FRAME_IDLE, FRAME_KINDS, FRAME_MINE, type FlameData, type FlameFrame } from '../../protocol/flamegraph';
import type { Profile } from './model';
import type { TreeInput } from './flameTree';

/** The page's columns for a profile; `mine` (asked per frame: make it a lookup) and `idle` decide the flags. */
export function encodeFlameData(profile: Profile, mine: (file: string) => boolean, idle: (frame: Profile['frames'][number]) => boolean): FlameData {
  const names: string[] = [];
  const files: string[] = [];
  const nameIds = new Map<string, number>();
  const fileIds = new Map<string, number>();
  const intern = (table: string[], ids: Map<string, number>, text: string): number => {
    let id = ids.get(text);
    if (id === undefined) {
      id = table.length;
      table.push(text);
      ids.set(text, id);
    }
    return id;
  };
  const n = profile.frames.length;
  const frameName = new Int32Array(n);
  const frameFile = new Int32Array(n);
  const frameLine = new Int32Array(n);
  const frameFlags = new Uint8Array(n);
  profile.frames.forEach((f, i) => {
    frameName[i] = intern(names, nameIds, f.name);
    frameFile[i] = intern(files, fileIds, f.file);
    frameLine[i] = f.line;
    const m = f.file !== '' && mine(f.file);
    const kind = Math.max(0, FRAME_KINDS.indexOf(f.kind as (typeof FRAME_KINDS)[number]));
    frameFlags[i] = (m ? FRAME_MINE : 0) | (idle(f) ? FRAME_IDLE : 0) | (kind << 2);
  });
  return {
    names,
    files,
    frameName,
    frameFile,
    frameLine,
    frameFlags,
    stackParent: Int32Array.from(profile.stackParent),
    stackFrame: Int32Array.from(profile.stackFrame),
    threads: profile.threads.map((t) => ({ name: t.name, stacks: Int32Array.from(t.stacks), weights: Float64Array.from(t.weights), samples: t.samples })),
    unit: profile.unit,
  };
}

/** The frames of the page's columns as objects (what the flame tree and the page's labels read). */
export function decodeFrames(data: FlameData): FlameFrame[] {
  const out: FlameFrame[] = new Array(data.frameName.length);
  for (let i = 0; i < out.length; i++) {
    const flags = data.frameFlags[i]!;
    out[i] = {
      name: data.names[data.frameName[i]!] ?? '',
      file: data.files[data.frameFile[i]!] ?? '',
      line: data.frameLine[i]!,
      kind: FRAME_KINDS[flags >> 2] ?? 'other',
      mine: (flags & FRAME_MINE) !== 0,
      idle: (flags & FRAME_IDLE) !== 0,
    };
  }
  return out;
}

/** What the flame tree reads, from the page's columns. */
export function treeInput(data: FlameData, frames: FlameFrame[] = decodeFrames(data)): TreeInput & { frames: FlameFrame[] } {
  return { frames, stackParent: data.stackParent, stackFrame: data.stackFrame, threads: data.threads };
}
