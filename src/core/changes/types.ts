/**
 * Suspect commits: which commits most plausibly introduced an error cluster, a hot function, a slow span or
 * a leak. Core ranks over parsed git output; running git is the caller's (src/node/git.ts), through `GitRun`.
 */

/** Runs `git` with these arguments in the repository and resolves with its stdout (rejects with GitError). */
export type GitRun = (args: readonly string[]) => Promise<string>;

export type GitErrorCode = 'NOT_INSTALLED' | 'NOT_A_REPOSITORY' | 'NO_HISTORY' | 'BAD_REVISION' | 'NO_PATH' | 'TIMEOUT' | 'CANCELLED' | 'TOO_LARGE' | 'FAILED';

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    readonly stderr?: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** One place in the code the problem goes through: a stack frame, a profile's function, a span's code.* location. */
export interface SuspectFrame {
  /** As recorded (a production path such as /app/service/model.py, or relative). */
  file: string;
  line?: number;
  /** The function's name (a qualified name such as `service.model.rank` is fine: its last part is used). */
  function?: string;
  /**
   * How much this frame's evidence counts (0–1). Default: the top frame 1, then 0.4, 0.16, … (a stack's
   * callers say less about an error than where it was raised); a profile's hot path sets its own.
   */
  weight?: number;
}

export type SuspectTargetKind = 'error' | 'function' | 'span' | 'leak';

/** What suspects are ranked for. */
export interface SuspectTarget {
  kind: SuspectTargetKind;
  /** One line for people: `ValueError: Invalid input shape…`, `pairwise_diversity (63% self)`. */
  label: string;
  /** Most telling first: the raising in-app frame of an error, the hot function, the span's code. */
  frames: SuspectFrame[];
  /** When the problem was first seen (ISO 8601), or when its regression started. */
  firstSeen?: string;
  /** The release (version) it started in, as the events name it. */
  release?: string;
  /** The cluster id, span id or function key it came from, for people and links. */
  id?: string;
}

/** A release name and the revision it ran, from a deploy marker of the incident timeline. */
export interface DeployMarker {
  release?: string;
  /** A commit, tag or other revision git understands. */
  ref?: string;
  at: string;
  text: string;
}

export interface SuspectFile {
  /** Repository-relative path at the deployed revision. */
  file: string;
  /** Lines (at the deployed revision) that the commit last changed, within what the problem goes through. */
  lines: number[];
}

/** One suspect commit; the CLI's JSON has exactly these fields, in this order. */
export interface Suspect {
  commit: string;
  author: string;
  /** Committer date, ISO 8601: when the change landed. */
  date: string;
  summary: string;
  files: SuspectFile[];
  score: number;
  reasons: string[];
}

export interface RevisionChoice {
  /** What the user or the events named (a release, `HEAD`). */
  ref: string;
  commit: string;
  /** How it was found: a tag named like the release, a deploy marker, HEAD (nothing better), or given. */
  source: 'release-tag' | 'deploy-marker' | 'head' | 'given';
  /** The release it is, as the events or the deploy marker name it. */
  release?: string;
}

export interface SuspectReport {
  target: SuspectTarget;
  revision: RevisionChoice;
  /** The commits of the release it started in: after the previous release tag, up to the deployed revision. */
  releaseRange?: { release: string; from?: string; to: string; commits: number };
  /** Frames mapped to repository files (file as recorded → path in the repository), or why not. */
  frames: { file: string; line?: number; function?: string; path?: string; problem?: string }[];
  suspects: Suspect[];
  /** What limited the answer: a shallow clone, a release without a tag, frames outside the repository. */
  notes: string[];
}
