/**
 * Path mappings from production paths (a container's `/app`, a CI checkout) to the workspace, shared by
 * every feature that jumps from recorded paths to code: error-cluster frames, profile frames, spans.
 *
 * Setting shape (`incidentWorkbench.pathMappings`): `{"/app": "${workspaceFolder}"}`; the longest matching
 * prefix wins; `${workspaceFolder}` (first folder) and `${workspaceFolder:name}` are substituted. The CLI's
 * `--map FROM=TO` builds the same list.
 */

export interface PathMapping {
  from: string;
  to: string;
}

export interface MappingVariables {
  /** Absolute paths of the workspace folders, by name; the first is `${workspaceFolder}`. */
  workspaceFolders: { name: string; path: string }[];
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/[\\/]+$/, '') : p;
}

/** Reads the setting value; entries that are not string → string are reported, not silently dropped. */
export function parsePathMappings(value: unknown): { mappings: PathMapping[]; problems: string[] } {
  const mappings: PathMapping[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { mappings, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('incidentWorkbench.pathMappings must be an object such as {"/app": "${workspaceFolder}"}');
    return { mappings, problems };
  }
  for (const [from, to] of Object.entries(value as Record<string, unknown>)) {
    if (typeof to !== 'string' || from.trim() === '' || to.trim() === '') {
      problems.push(`pathMappings entry "${from}" needs a non-empty target path`);
      continue;
    }
    mappings.push({ from: trimSlash(from.trim()), to: trimSlash(to.trim()) });
  }
  return { mappings, problems };
}

/** `FROM=TO` strings (the CLI's `--map`). */
export function parseMapArguments(args: string[]): { mappings: PathMapping[]; problems: string[] } {
  const mappings: PathMapping[] = [];
  const problems: string[] = [];
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0 || eq === a.length - 1) problems.push(`--map needs FROM=TO, got "${a}"`);
    else mappings.push({ from: trimSlash(a.slice(0, eq)), to: trimSlash(a.slice(eq + 1)) });
  }
  return { mappings, problems };
}

export function substituteVariables(to: string, vars: MappingVariables): string | undefined {
  let missing = false;
  const out = to.replace(/\$\{workspaceFolder(?::([^}]+))?\}/g, (_m, name: string | undefined) => {
    const folder = name ? vars.workspaceFolders.find((f) => f.name === name) : vars.workspaceFolders[0];
    if (!folder) {
      missing = true;
      return '';
    }
    return folder.path;
  });
  return missing ? undefined : out;
}

function normalise(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * The local path for a recorded one via the longest matching mapping, or undefined when none matches.
 * Matching is on whole path segments: `/app` maps `/app/x.py`, not `/application/x.py`.
 */
export function applyPathMappings(file: string, mappings: readonly PathMapping[], vars: MappingVariables = { workspaceFolders: [] }): string | undefined {
  const f = normalise(file);
  let best: PathMapping | undefined;
  for (const m of mappings) {
    const from = normalise(m.from);
    if ((f === from || f.startsWith(from.endsWith('/') ? from : `${from}/`)) && (!best || from.length > normalise(best.from).length)) best = m;
  }
  if (!best) return undefined;
  const to = substituteVariables(best.to, vars);
  if (to === undefined) return undefined;
  const rest = f.slice(normalise(best.from).length).replace(/^\/+/, '');
  return rest ? `${to.replace(/[\\/]+$/, '')}/${rest}` : to;
}

/**
 * Library code rather than the application's: the standard library, installed packages, frozen and
 * synthetic modules (`<frozen runpy>`, `<string>`). Decided from the path alone, so a fingerprint is the
 * same in the editor and the CLI whatever the local checkout looks like.
 */
const libraryCache = new Map<string, boolean>();

export function isLibraryPath(file: string): boolean {
  let hit = libraryCache.get(file);
  if (hit === undefined) {
    const f = normalise(file);
    // (and the other runtimes' own: the JVM's packages, as a JVM frame's file is its package path —
    // `java/util/concurrent/FutureTask.java` —, Node.js's `node:internal/…` and node_modules, Rust's standard
    // library and crates, Go's runtime, Ruby's standard library and gems)
    hit =
      (f.startsWith('<') && f.endsWith('>')) ||
      f.startsWith('node:') ||
      /^(?:java|javax|jdk|sun|com\/sun|scala|kotlin)\/[\w/$]+\.(?:java|scala|kt)$/.test(f) ||
      /\/node_modules\/|^\/rustc\/|\/\.cargo\/registry\/|\/src\/runtime\/\w+\.go$|\/gems\/|\/lib\/ruby\/\d/.test(f) ||
      /\/(?:site|dist)-packages\/|\/lib(?:64)?\/python\d+(?:\.\d+)?\/|\/Lib\/|\/lib\/pypy\d|\/\.pyenv\/versions\/[^/]+\/lib\/|\/python\d+(?:\.\d+)?\/lib\//.test(f);
    if (libraryCache.size > 10_000) libraryCache.clear();
    libraryCache.set(file, hit);
  }
  return hit;
}

/**
 * Candidate workspace-relative paths for a recorded path when no mapping applies: its trailing segments,
 * longest first (`/srv/x/service/model.py` → `srv/x/service/model.py`, `x/service/model.py`, …,
 * `model.py`). The editor tries them against the workspace.
 */
export function suffixCandidates(file: string, maxSegments = 6): string[] {
  const parts = normalise(file).split('/').filter((p) => p !== '' && p !== '.');
  const out: string[] = [];
  for (let k = Math.min(parts.length, maxSegments); k >= 1; k--) out.push(parts.slice(parts.length - k).join('/'));
  return out;
}
