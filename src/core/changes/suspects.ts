/**
 * Ranks the commits that most plausibly introduced a problem (an error cluster, a hot function, a slow span,
 * a leak), each with its reasons. For every frame the problem goes through (an error's in-app frames, raising
 * frame first; a hot function and its callers; a span's code), a commit collects points:
 *
 *   4   it last changed the frame's line at the deployed revision (`git blame`)
 *   ½–2 it changed the frame's function (`git log -L` over the function's lines): ½, plus 1½ × the share
 *       of the function's current lines it wrote; +½ when it added the function (a definition line, such as
 *       a span's code.line.number, gets no line points of its own)
 *   ¾   it changed the frame's file in the release where the problem started (and not the above)
 *
 * each times the frame's weight (an error's top frame 1, the next 0.4, then 0.16, …; a hot path's callers
 * 0.8, 0.64, …). A commit's evidence is its best frame plus a quarter of the rest, then:
 *
 *   × 1.5        it is in the release where the problem started (after the previous release tag)
 *   × 0.5 – 1    how close it landed before the problem was first seen: 1 just before, falling linearly
 *                to 0.5 at `windowDays` (14) and beyond; old code rarely starts a new problem
 *   × 0.25       it landed after the first sighting, so it cannot have started it
 *   × 0.5        it is the oldest commit of a shallow clone (the line may be older than it)
 *
 * The deployed revision is the release's tag (or a deploy marker's ref), else HEAD. README and
 * docs/guide.md explain the same table to users.
 */
import { functionRange, languageOf, simpleFunctionName } from './functions';
import { parseNameStatus, summarizePatch, type BlameResult, type CommitMeta } from './gitParse';
import { commitInRelease, markerFor, tagForRelease } from './releases';
import type { GitRepo } from './repo';
import { GitError, type DeployMarker, type RevisionChoice, type Suspect, type SuspectFrame, type SuspectReport, type SuspectTarget } from './types';

export interface SuspectOptions {
  /** Blame at this revision instead of the release's (a commit, tag or branch). */
  revision?: string;
  /** From the incident timeline (see `deployMarkers`). */
  deployMarkers?: readonly DeployMarker[];
  /** Frames looked at (most telling first). Default 6. */
  maxFrames?: number;
  /** Suspects returned. Default 5. */
  maxSuspects?: number;
  /** How far before the first sighting a commit's time factor falls to its floor. Default 14 days. */
  windowDays?: number;
  /** Commits read per function (`git log -L -n`). Default 30. */
  maxFunctionCommits?: number;
}

export const SCORE = {
  line: 4,
  function: 2,
  addedFunction: 0.5,
  fileInRelease: 0.75,
  /** Share of the evidence of frames other than a commit's best one. */
  otherFrames: 0.25,
  inRelease: 1.5,
  /** The time factor of a commit that landed `windowDays` or more before the first sighting. */
  oldCommit: 0.5,
  afterFirstSeen: 0.25,
  shallowBoundary: 0.5,
} as const;

const DAY = 86_400_000;
/** Each frame further from the problem counts this much less than the one before. */
export const FRAME_DECAY = 0.4;

/** "35 min", "2 h", "3 days": how long before (or after) the first event. */
export function formatGap(ms: number): string {
  const m = Math.abs(ms) / 60_000;
  if (m < 90) return `${Math.max(1, Math.round(m))} min`;
  const h = m / 60;
  if (h < 48) return `${Math.round(h)} h`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}

interface Candidate {
  commit: string;
  meta?: CommitMeta;
  /** Evidence points per frame index. */
  frames: Map<number, number>;
  /** Why, with the points each reason brought (reasons are listed strongest first). */
  structural: { text: string; points: number }[];
  files: Map<string, Set<number>>;
  boundary: boolean;
}

function roleOf(kind: SuspectTarget['kind'], index: number, fn: string | undefined): string {
  if (index > 0) return `frame ${index + 1} of the stack${fn ? ` (${fn})` : ''}`;
  switch (kind) {
    case 'error':
      return 'the top in-app frame';
    case 'function':
      return "the hot function's hottest line";
    case 'span':
      return "the span's code line";
    case 'leak':
      return 'the allocation line';
  }
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

/** Picks the revision to blame at: given, the release's tag or commit, a deploy marker, else HEAD. */
export async function chooseRevision(repo: GitRepo, target: SuspectTarget, options: SuspectOptions, notes: string[]): Promise<RevisionChoice> {
  if (options.revision) {
    const commit = await repo.resolve(options.revision);
    if (!commit) throw new GitError('BAD_REVISION', `The revision "${options.revision}" is not in this repository (a shallow clone or a missing fetch?).`);
    return { ref: options.revision, commit, source: 'given' };
  }
  const release = target.release;
  if (release) {
    const tag = tagForRelease(release, await repo.tags());
    if (tag) return { ref: tag.name, commit: tag.commit, source: 'release-tag', release };
    const sha = commitInRelease(release);
    const commit = sha ? await repo.resolve(sha) : undefined;
    if (commit) return { ref: release, commit, source: 'release-tag', release };
  }
  const marker = markerFor(options.deployMarkers ?? [], release, target.firstSeen);
  if (marker) {
    for (const ref of [marker.ref, marker.release]) {
      if (!ref) continue;
      const tag = tagForRelease(ref, await repo.tags());
      const commit = tag?.commit ?? (await repo.resolve(ref));
      if (commit) return { ref: tag?.name ?? ref, commit, source: 'deploy-marker', release: marker.release ?? ref };
    }
  }
  const head = await repo.head();
  if (release) notes.push(`No tag or commit found for release ${release} (tried ${release}, v${release.replace(/^v/, '')} and tags ending in it); blamed at HEAD, which may have moved on since the deploy.`);
  return { ref: 'HEAD', commit: head, source: 'head' };
}

/** Ranks suspect commits for `target` in `repo`. Throws GitError for what makes an answer impossible. */
export async function rankSuspects(repo: GitRepo, target: SuspectTarget, options: SuspectOptions = {}): Promise<SuspectReport> {
  const notes: string[] = [];
  await repo.head();
  const shallow = await repo.isShallow();
  if (shallow) notes.push('This repository is a shallow clone: lines older than its oldest fetched commit are blamed on that commit. Run `git fetch --unshallow` for the whole history.');
  const revision = await chooseRevision(repo, target, options, notes);
  const D = revision.commit;
  const candidates = new Map<string, Candidate>();
  const cand = (commit: string): Candidate => {
    let c = candidates.get(commit);
    if (!c) candidates.set(commit, (c = { commit, frames: new Map(), structural: [], files: new Map(), boundary: false }));
    return c;
  };
  const credit = (c: Candidate, frame: number, points: number, text: string) => {
    c.frames.set(frame, (c.frames.get(frame) ?? 0) + points);
    c.structural.push({ text, points });
  };
  const addLines = (c: Candidate, path: string, lines: number[]) => {
    let set = c.files.get(path);
    if (!set) c.files.set(path, (set = new Set()));
    for (const l of lines) set.add(l);
  };

  // The release it started in: the commits after the previous tag, up to the deployed revision.
  let releaseCommits: { commit: string; meta: CommitMeta; files: Set<string> }[] | undefined;
  let releaseRange: SuspectReport['releaseRange'];
  const releaseName = target.release ?? revision.release;
  if (releaseName && revision.source !== 'head' && revision.source !== 'given') {
    const previous = await repo.previousTag(D);
    if (previous) {
      const records = await repo.logRange(previous.commit, D, 500);
      releaseCommits = records.map((r) => ({ commit: r.commit, meta: r, files: new Set(parseNameStatus(r.body).flatMap((n) => (n.from ? [n.path, n.from] : [n.path]))) }));
      releaseRange = { release: releaseName, from: previous.name, to: revision.ref, commits: records.length };
    } else notes.push(`No release tag before ${revision.ref}: every commit up to it could belong to release ${releaseName}, so none gets the "in release" points.`);
  }

  const maxFrames = options.maxFrames ?? 6;
  const paths = await repo.files(D);
  const frames: SuspectReport['frames'] = [];
  const mapped: (SuspectFrame & { path: string })[] = [];
  for (const f of target.frames) {
    if (mapped.length >= maxFrames) break;
    const path = paths.match(f.file);
    if (!path) {
      frames.push({ ...f, problem: `not a file of the repository at ${revision.ref === 'HEAD' ? 'HEAD' : revision.ref}` });
      continue;
    }
    frames.push({ ...f, path });
    mapped.push({ ...f, path });
  }
  if (mapped.length === 0) {
    notes.push(
      target.frames.length === 0
        ? 'The problem names no code location (no in-app frame, no code.* attributes, no file).'
        : `None of its code locations is a file of this repository at ${short(D)} (${target.frames.map((f) => f.file).slice(0, 3).join(', ')}).`,
    );
    return { target, revision, ...(releaseRange ? { releaseRange } : {}), frames, suspects: [], notes };
  }

  const fileCredited = new Set<string>();
  for (const [i, f] of mapped.entries()) {
    const w = f.weight ?? FRAME_DECAY ** i;
    const fn = f.function ? simpleFunctionName(f.function) : undefined;
    const role = roleOf(target.kind, i, fn);
    let blame: BlameResult;
    try {
      blame = await repo.blame(D, f.path);
    } catch (e) {
      if (e instanceof GitError && (e.code === 'NO_PATH' || e.code === 'FAILED')) {
        notes.push(`${f.path} cannot be blamed at ${short(D)}: ${e.message}`);
        continue;
      }
      throw e;
    }
    for (const [sha, meta] of blame.commits) if (!candidates.get(sha)?.meta) cand(sha).meta = meta;
    const touchedHere = new Set<string>();
    const range = fn ? functionRange(await repo.show(D, f.path), fn, f.line, languageOf(f.path)) : undefined;
    // A recorded line outside the function it names was recorded at another revision: its blame means nothing.
    const stale = range !== undefined && f.line !== undefined && (f.line < range.start || f.line > range.end);
    if (stale) notes.push(`${f.path}:${f.line} is not inside ${fn} at ${short(D)} (lines ${range.start}–${range.end}): the event was recorded by other code than the deployed revision; only the function is followed.`);
    // A definition line (a span's code.line.number) only says where the function is: its lines count below.
    const defLine = fn ? new RegExp(`^\\s*(?:async\\s+)?(?:def|class|function|func|fn)\\s+${fn.replace(/[$]/g, '\\$')}\\b|^\\s*@`) : undefined;
    const sourceLine = range && f.line !== undefined ? (await repo.show(D, f.path)).split(/\r?\n/)[f.line - 1] : undefined;
    const isDefinition = defLine !== undefined && sourceLine !== undefined && defLine.test(sourceLine);
    if (f.line !== undefined && !stale && !isDefinition) {
      const bl = blame.lines[f.line - 1];
      if (bl) {
        const c = cand(bl.commit);
        const renamed = bl.origFile && bl.origFile !== f.path ? ` (then ${bl.origFile}:${bl.origLine})` : '';
        credit(c, i, SCORE.line * w, `changed ${f.path}:${f.line}, ${role}${renamed}`);
        c.boundary ||= bl.boundary;
        addLines(c, f.path, [f.line]);
        touchedHere.add(bl.commit);
      } else notes.push(`${f.path} has ${blame.lines.length} lines at ${short(D)}; line ${f.line} of the recorded frame is past its end (recorded at another revision?).`);
    }
    if (fn && range) {
      const total = range.end - range.start + 1;
      const owned = new Map<string, number[]>();
      for (const bl of blame.lines.slice(range.start - 1, range.end)) {
        const list = owned.get(bl.commit);
        if (list) list.push(bl.line);
        else owned.set(bl.commit, [bl.line]);
      }
      const records = await repo.logLines(D, f.path, range.start, range.end, options.maxFunctionCommits ?? 30);
      const adds = new RegExp(`^\\s*(?:async\\s+)?(?:def|class|function|func|fn)\\s+${fn.replace(/[$]/g, '\\$')}\\b`);
      // The commit that added the function: the oldest whose patch adds its definition line.
      const adder = [...records].reverse().find((r) => summarizePatch(r.body).addedText.some((t) => adds.test(t)));
      for (const r of records) {
        const c = cand(r.commit);
        c.meta ??= r;
        const lines = owned.get(r.commit) ?? [];
        const share = lines.length / total;
        const added = r === adder;
        const where = `${f.path}:${range.start}–${range.end}`;
        credit(
          c,
          i,
          SCORE.function * w * (0.25 + 0.75 * share) + (added ? SCORE.addedFunction * w : 0),
          added ? `added ${fn} (${where})${lines.length && lines.length < total ? `, ${lines.length} of its ${total} lines still as written` : ''}` : lines.length ? `wrote ${lines.length} of the ${total} lines of ${fn} (${where})` : `changed ${fn} (${where}); none of its lines are as written then`,
        );
        addLines(c, f.path, lines);
        touchedHere.add(r.commit);
        for (const bl of blame.lines) if (bl.commit === r.commit && bl.boundary) c.boundary = true;
      }
    } else if (f.line !== undefined) {
      // No function to follow: the lines around the frame's line stand in for it.
      const lo = Math.max(1, f.line - 3);
      const hi = Math.min(blame.lines.length, f.line + 3);
      const near = new Map<string, number[]>();
      for (const bl of blame.lines.slice(lo - 1, hi)) if (bl.line !== f.line) (near.get(bl.commit) ?? near.set(bl.commit, []).get(bl.commit)!).push(bl.line);
      for (const [sha, lines] of near) {
        const c = cand(sha);
        credit(c, i, SCORE.function * 0.5 * w * (lines.length / Math.max(1, hi - lo)), `changed ${lines.length === 1 ? 'a line' : `${lines.length} lines`} next to ${f.path}:${f.line}`);
        addLines(c, f.path, lines);
        touchedHere.add(sha);
      }
    }
    if (releaseCommits) {
      for (const rc of releaseCommits) {
        if (touchedHere.has(rc.commit) || !rc.files.has(f.path)) continue;
        // A file counts once per commit, through its most telling frame.
        const credited = `${rc.commit}\0${f.path}`;
        if (fileCredited.has(credited)) continue;
        fileCredited.add(credited);
        const c = cand(rc.commit);
        c.meta ??= rc.meta;
        credit(c, i, SCORE.fileInRelease * w, `changed ${f.path}, the file of ${role}, in release ${releaseName}`);
        addLines(c, f.path, []);
      }
    }
  }

  const inRelease = new Set(releaseCommits?.map((c) => c.commit) ?? []);
  const firstSeen = target.firstSeen ? Date.parse(target.firstSeen) : NaN;
  const windowMs = (options.windowDays ?? 14) * DAY;
  const suspects: Suspect[] = [];
  for (const c of candidates.values()) {
    if (c.structural.length === 0) continue;
    const meta = c.meta ?? (await repo.commit(c.commit));
    const reasons = [...new Set([...c.structural].sort((a, b) => b.points - a.points).map((r) => r.text))];
    const points = [...c.frames.values()];
    const best = Math.max(0, ...points);
    let score = best + SCORE.otherFrames * (points.reduce((a, b) => a + b, 0) - best);
    const landed = meta ? Date.parse(meta.committerDate) : NaN;
    if (Number.isFinite(firstSeen) && Number.isFinite(landed)) {
      const gap = firstSeen - landed;
      if (gap < 0) {
        score *= SCORE.afterFirstSeen;
        reasons.push(`landed ${formatGap(gap)} after the first event, so it cannot have started it`);
      } else {
        reasons.push(`${formatGap(gap)} before the first event`);
        score *= SCORE.oldCommit + (1 - SCORE.oldCommit) * Math.max(0, 1 - gap / windowMs);
      }
    }
    if (inRelease.has(c.commit)) {
      score *= SCORE.inRelease;
      reasons.push(`in release ${releaseName}`);
    }
    if (c.boundary && shallow) {
      score *= SCORE.shallowBoundary;
      reasons.push('the oldest commit of this shallow clone: the change may be older');
    }
    if ((meta?.parents?.length ?? 0) > 1) reasons.push('a merge commit');
    suspects.push({
      commit: c.commit,
      author: meta?.author ?? '',
      date: meta?.committerDate ?? '',
      summary: meta?.summary ?? '',
      files: [...c.files].map(([file, lines]) => ({ file, lines: [...lines].sort((a, b) => a - b) })),
      score: Math.round(score * 100) / 100,
      reasons,
    });
  }
  suspects.sort((a, b) => b.score - a.score || b.date.localeCompare(a.date) || a.commit.localeCompare(b.commit));
  return { target, revision, ...(releaseRange ? { releaseRange } : {}), frames, suspects: suspects.slice(0, options.maxSuspects ?? 5), notes: [...new Set(notes)] };
}
