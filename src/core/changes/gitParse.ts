/**
 * Parsers of git's machine-readable output: `blame --line-porcelain`, `log` with a record-separated format
 * (and `-L` patches or `--name-status` after each record), `for-each-ref` over tags, `ls-tree -z`. Pure
 * functions over text; anything git printed that does not fit is skipped, never thrown on.
 */

export interface CommitMeta {
  commit: string;
  author: string;
  authorEmail?: string;
  /** ISO 8601 (UTC). */
  authorDate: string;
  committerDate: string;
  summary: string;
  parents?: string[];
}

export interface BlameLine {
  commit: string;
  /** Line number in the blamed revision (1-based). */
  line: number;
  /** Line number and file in the commit that last changed it. */
  origLine: number;
  origFile: string;
  /** The commit is the oldest one fetched (a shallow clone's edge or the root with --root off). */
  boundary: boolean;
}

export interface BlameResult {
  lines: BlameLine[];
  commits: Map<string, CommitMeta>;
}

const HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (\d+) (\d+)(?: \d+)?$/;

/** Git's C-style quoting of unusual paths ("a\tb", "\303\251"): back to the path. */
export function unquoteGitPath(s: string): string {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return s;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      for (const b of new TextEncoder().encode(ch)) bytes.push(b);
      continue;
    }
    const next = body[i + 1];
    if (next !== undefined && /[0-7]/.test(next) && /^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (next !== undefined && simple[next] !== undefined) {
      bytes.push(simple[next]!);
      i += 1;
    } else bytes.push(92);
  }
  return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
}

function isoFromEpoch(seconds: string | undefined): string {
  const n = Number(seconds);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString() : '';
}

/** `git blame --line-porcelain`: every line with its commit; commit details once per commit. */
export function parseBlamePorcelain(text: string): BlameResult {
  const lines: BlameLine[] = [];
  const commits = new Map<string, CommitMeta>();
  const rows = text.split('\n');
  let current: { commit: string; origLine: number; line: number; fields: Map<string, string>; boundary: boolean } | undefined;
  for (const row of rows) {
    if (current) {
      if (row.startsWith('\t')) {
        const f = current.fields;
        const origFile = unquoteGitPath(f.get('filename') ?? '');
        lines.push({ commit: current.commit, line: current.line, origLine: current.origLine, origFile, boundary: current.boundary });
        if (!commits.has(current.commit) && f.has('author')) {
          commits.set(current.commit, {
            commit: current.commit,
            author: f.get('author') ?? '',
            ...(f.get('author-mail') ? { authorEmail: f.get('author-mail')!.replace(/^<|>$/g, '') } : {}),
            authorDate: isoFromEpoch(f.get('author-time')),
            committerDate: isoFromEpoch(f.get('committer-time') ?? f.get('author-time')),
            summary: f.get('summary') ?? '',
          });
        }
        current = undefined;
        continue;
      }
      if (row === 'boundary') {
        current.boundary = true;
        continue;
      }
      const sp = row.indexOf(' ');
      if (sp > 0) current.fields.set(row.slice(0, sp), row.slice(sp + 1));
      continue;
    }
    const m = HEADER.exec(row);
    if (m) current = { commit: m[1]!, origLine: Number(m[2]), line: Number(m[3]), fields: new Map(), boundary: false };
  }
  return { lines, commits };
}

/** The `--format` that `parseLog` reads: fields split by US, each record opened by RS. */
export const LOG_FORMAT = '%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%P%x1f%s';

export interface LogRecord extends CommitMeta {
  /** What git printed after the header: a patch (`-L`, `-p`) or `--name-status` lines. */
  body: string;
}

function isoOrEmpty(s: string | undefined): string {
  if (!s) return '';
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : '';
}

/** `git log --format=LOG_FORMAT [...]`: one record per commit, newest first as git printed them. */
export function parseLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const record of text.split('\x1e')) {
    if (!record.trim()) continue;
    const nl = record.indexOf('\n');
    const head = nl === -1 ? record : record.slice(0, nl);
    const body = nl === -1 ? '' : record.slice(nl + 1);
    const f = head.split('\x1f');
    const commit = f[0]?.trim() ?? '';
    if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(commit)) continue;
    out.push({
      commit,
      author: f[1] ?? '',
      ...(f[2] ? { authorEmail: f[2] } : {}),
      authorDate: isoOrEmpty(f[3]),
      committerDate: isoOrEmpty(f[4]),
      parents: (f[5] ?? '').split(' ').filter((p) => p.length > 0),
      summary: f.slice(6).join('\x1f'),
      body,
    });
  }
  return out;
}

export interface PatchSummary {
  /** Files the patch names (new side; the old side for deletions). */
  files: string[];
  added: number;
  removed: number;
  /** A file or the range was created by this commit (`--- /dev/null`, or a hunk from `-0,0`). */
  created: boolean;
  /** Text of the added lines (for "added def rank"). */
  addedText: string[];
}

/** A unified diff as `git log -L`/`-p` prints it after a commit. */
export function summarizePatch(body: string): PatchSummary {
  const files = new Set<string>();
  let added = 0;
  let removed = 0;
  let created = false;
  const addedText: string[] = [];
  let inHunk = false;
  let oldNull = false;
  let oldName: string | undefined;
  for (const line of body.split('\n')) {
    if (line.startsWith('diff --git ')) {
      inHunk = false;
      continue;
    }
    if (!inHunk && line.startsWith('--- ')) {
      const name = line.slice(4);
      oldNull = name === '/dev/null';
      oldName = oldNull ? undefined : unquoteGitPath(name).replace(/^a\//, '');
      continue;
    }
    if (!inHunk && line.startsWith('+++ ')) {
      const name = line.slice(4);
      if (name === '/dev/null') {
        if (oldName) files.add(oldName);
      } else files.add(unquoteGitPath(name).replace(/^b\//, ''));
      if (oldNull) created = true;
      continue;
    }
    if (line.startsWith('@@')) {
      inHunk = true;
      if (/^@@ -0,0 /.test(line)) created = true;
      continue;
    }
    if (!inHunk) continue;
    if (line.startsWith('+')) {
      added++;
      if (addedText.length < 400) addedText.push(line.slice(1));
    } else if (line.startsWith('-')) removed++;
  }
  return { files: [...files], added, removed, created, addedText };
}

export interface NameStatus {
  status: string;
  path: string;
  /** For renames and copies: the path before. */
  from?: string;
}

/** `--name-status` lines after a log record: `M\tpath`, `R087\told\tnew`. */
export function parseNameStatus(body: string): NameStatus[] {
  const out: NameStatus[] = [];
  for (const line of body.split('\n')) {
    const parts = line.split('\t');
    if (parts.length < 2 || !/^[ACDMRTUXB]\d*$/.test(parts[0]!)) continue;
    const status = parts[0]!;
    if ((status.startsWith('R') || status.startsWith('C')) && parts.length >= 3) out.push({ status, from: unquoteGitPath(parts[1]!), path: unquoteGitPath(parts[2]!) });
    else out.push({ status, path: unquoteGitPath(parts[1]!) });
  }
  return out;
}

/** The `--format` that `parseTags` reads. */
export const TAG_FORMAT = '%(refname:strip=2)%1f%(objectname)%1f%(*objectname)%1f%(creatordate:iso-strict)';

export interface TagRef {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  commit: string;
  date: string;
}

/** `git for-each-ref --format=TAG_FORMAT refs/tags`. */
export function parseTags(text: string): TagRef[] {
  const out: TagRef[] = [];
  for (const line of text.split('\n')) {
    const f = line.split('\x1f');
    if (f.length < 3 || !f[0]) continue;
    const commit = f[2] && /^[0-9a-f]{40,64}$/.test(f[2]) ? f[2] : f[1]!;
    if (!/^[0-9a-f]{40,64}$/.test(commit)) continue;
    out.push({ name: f[0], commit, date: isoOrEmpty(f[3]) });
  }
  return out;
}

/** `git ls-tree -r -z --name-only REV`. */
export function parseNulList(text: string): string[] {
  return text.split('\0').filter((s) => s.length > 0);
}
