/**
 * From a release name (what the events' `release`/`version`/`service.version` say) to the revision that ran
 * it: a tag named like it (`1.8.0`, `v1.8.0`, `deploy/1.8.0`, `recommend@1.8.0`, `recommend-1.8.0`), a commit
 * the name carries (`1.8.0+3f2c1ab`, a bare SHA as Sentry releases often are), or a deploy marker of the
 * incident timeline ("Deployed 1.8.0 (3f2c1ab)").
 */
import type { TagRef } from './gitParse';
import type { DeployMarker } from './types';

const SHA = /^[0-9a-f]{7,64}$/i;

/** A commit id the release name itself carries, if any. */
export function commitInRelease(release: string): string | undefined {
  const r = release.trim();
  if (SHA.test(r) && /[a-f]/i.test(r) && /\d/.test(r)) return r.toLowerCase();
  const build = /\+(?:g|sha\.?)?([0-9a-f]{7,40})$/i.exec(r);
  if (build) return build[1]!.toLowerCase();
  return undefined;
}

/** The tag of a release, preferring the exact name, then `v`-prefixed, then a prefixed form (`x/`, `x@`, `x-`). */
export function tagForRelease(release: string, tags: readonly TagRef[]): TagRef | undefined {
  const r = release.trim();
  if (!r) return undefined;
  const bare = r.includes('@') ? r.slice(r.lastIndexOf('@') + 1) : r;
  const names = [r, bare, `v${bare}`, bare.replace(/^v(?=\d)/, '')];
  for (const n of names) {
    const t = tags.find((x) => x.name === n);
    if (t) return t;
  }
  const suffixed = tags.filter((t) => [bare, `v${bare}`].some((n) => t.name.endsWith(`/${n}`) || t.name.endsWith(`@${n}`) || t.name.endsWith(`-${n}`) || t.name.endsWith(`_${n}`)));
  if (suffixed.length === 0) return undefined;
  // Several services tagging the same version: the newest tag is the likeliest deploy.
  return [...suffixed].sort((a, b) => b.date.localeCompare(a.date) || a.name.localeCompare(b.name))[0];
}

const DEPLOY_WORDS = /\b(deploy(?:ed|ment|s|ing)?|released?|rolled out|rollout|shipped|went live)\b/i;
const DEPLOY_KINDS = /^(deploy|deployment|release|rollout)$/i;

/**
 * Deploy markers of an incident timeline: events of kind `deploy`/`release`/`rollout`, or whose text says
 * something was deployed or released. The release is the first version-like word (`1.8.0`, `v2.3`,
 * `2026.11.20`) or the word after "release"/"version"; the ref is a commit id or the word after "tag"/"commit".
 */
export function deployMarkers(events: readonly { at?: unknown; kind?: unknown; text?: unknown }[]): DeployMarker[] {
  const out: DeployMarker[] = [];
  for (const e of events) {
    if (typeof e.text !== 'string' || typeof e.at !== 'string') continue;
    const kind = typeof e.kind === 'string' ? e.kind : '';
    if (!DEPLOY_KINDS.test(kind) && !DEPLOY_WORDS.test(e.text)) continue;
    const text = e.text;
    const named = /\b(?:release|version)\s+([\w.+@/-]*\d[\w.+@/-]*)/i.exec(text)?.[1];
    const versionLike = /(?:^|[\s(@/])(v?\d+(?:\.\d+)+(?:[-+][\w.]+)?)\b/.exec(text)?.[1];
    const ref = /\b(?:tag|commit|sha|rev(?:ision)?)\s+([\w./@+-]+)/i.exec(text)?.[1] ?? /\b([0-9a-f]{7,40})\b/.exec(text.replace(/\d+(?:\.\d+)+/g, ' '))?.[1];
    const release = (named ?? versionLike)?.replace(/[.,;:)]+$/, '');
    if (!release && !ref) continue;
    out.push({ ...(release ? { release } : {}), ...(ref ? { ref: ref.replace(/[.,;:)]+$/, '') } : {}), at: e.at, text });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}

/** The marker that describes what ran when the problem started: the release's own, else the last before it. */
export function markerFor(markers: readonly DeployMarker[], release: string | undefined, firstSeen: string | undefined): DeployMarker | undefined {
  if (release) {
    const own = markers.filter((m) => m.release === release || m.ref === release);
    if (own.length) return own[own.length - 1];
  }
  if (!firstSeen) return release ? undefined : markers[markers.length - 1];
  const t = Date.parse(firstSeen);
  const before = markers.filter((m) => Date.parse(m.at) <= t);
  return before[before.length - 1];
}

/**
 * Order of two release names when the logs cannot tell (one of them never appears): numeric parts compared
 * as numbers (`1.10.0` after `1.9.2`, `2026.11.20` after `2026.11.6`), other parts as text.
 */
export function compareReleaseNames(a: string, b: string): number {
  const pa = a.replace(/^v(?=\d)/, '').split(/[^A-Za-z0-9]+/);
  const pb = b.replace(/^v(?=\d)/, '').split(/[^A-Za-z0-9]+/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) {
      if (nx !== ny) return nx - ny;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
