/**
 * Blameless-language lint (PagerDuty's writing rules, Google SRE's blameless culture): every text field of a
 * post-mortem is checked for blame and counterfactual language. Each finding says why it matters and offers a
 * systems phrasing. Pure and position-aware: `path` is the JSON path of the string, `index` the offset of the
 * match inside it, so the host can put a Diagnostic exactly on the words.
 */
import type { PostMortem } from './types';

export type LintRule = 'human-error' | 'should-have' | 'blame-word' | 'counterfactual' | 'person-blamed' | 'outage-overstated';

export interface LintFinding {
  /** Display path, e.g. `summary`, `timeline[3].event`, `actionItems[0].description`. */
  field: string;
  /** The same as a JSON path, for positions. */
  path: (string | number)[];
  rule: LintRule;
  /** The words that matched. */
  text: string;
  index: number;
  explanation: string;
  suggestion: string;
}

/** Keys whose strings are identifiers, dates, names or links, not prose. */
const NOT_PROSE = new Set(['$schema', 'incidentId', 'date', 'severity', 'timestamp', 'owner', 'actor', 'dueDate', 'priority', 'status', 'link', 'path', 'kind', 'reviewedAt', 'followUpAt', 'reviewers', 'milestones', 'started', 'detected', 'acknowledged', 'mitigated', 'resolved', 'key']);

interface Rule {
  rule: LintRule;
  re: RegExp;
  explanation: string;
  suggestion: string;
}

const RULES: Rule[] = [
  {
    rule: 'human-error',
    re: /\b(human|operator|user|engineer|developer|manual)[ -]errors?\b/gi,
    explanation: '"Human error" ends the inquiry where it should start: people act sensibly on what the system shows them.',
    suggestion: 'Describe the condition that made the action possible or likely: which check, guard, default or signal was missing (e.g. "the deploy script accepted an empty config without validation").',
  },
  {
    rule: 'should-have',
    re: /\b(should|must) ?(have|'ve|of)\b|\bshould'?ve\b|\b(neglected|forgot) to\b/gi,
    explanation: 'Counterfactual hindsight ("should have") judges a decision by an outcome nobody knew at the time.',
    suggestion: 'State what happened and what the system did not provide: "the alert fired only after 20 min because the threshold was set for the old catalogue size".',
  },
  {
    rule: 'blame-word',
    re: /\b(careless(ly|ness)?|negligen(t|tly|ce)|sloppy|lazy|incompetent|reckless(ly)?|stupid|dumb|blame[ds]?|at fault|fault of|mistake by|screw(ed)? up|messed up|oversight by)\b/gi,
    explanation: 'Judgement words about people make the next responder hide information instead of sharing it.',
    suggestion: 'Replace the judgement with the mechanism: what was done, what the tooling allowed, and what feedback was missing.',
  },
  {
    rule: 'counterfactual',
    re: /\bif (only )?(\S+ ){0,5}?(had|hadn't|had not)\b|\bhad only\b|\b(would|could)(n't| not)? have\b/gi,
    explanation: '"If X had…" describes a world that did not happen; it hides the conditions that made the real choice reasonable.',
    suggestion: 'Turn it into an action item about the system: "add a pre-deploy check for X" rather than "if X had been checked".',
  },
  {
    rule: 'outage-overstated',
    re: /\boutages?\b/gi,
    explanation: '"Outage" says the service was unavailable; for a partial degradation it overstates the impact and misleads readers and metrics.',
    suggestion: 'Say what degraded and by how much: "p95 latency of /recommend rose to 5.2 s for 40% of requests for 2 h".',
  },
];

const FAILURE_VERBS = '(broke|breaks|caused|causes|forgot|missed|failed|neglected|ignored|misconfigured|messed|screwed|overlooked|deleted|dropped|pushed a bad|deployed a bad|made a mistake|did not (check|test|notice|review)|didn\'t (check|test|notice|review))';
/** Capitalised words that are not people: sentence starters and system nouns. */
const NOT_PEOPLE = new Set(
  'The This That These Those It Its We Our Us They Their Nobody Everyone A An And But Then When After Before During While Service System Server Servers Deploy Deployment Job Cron Pipeline Alert Alerts Monitoring Database Cache Model Code Config Change Import Script Test Tests Request Requests Traffic Load Catalogue Catalog Scoring Ranking Kubernetes Python Nginx Postgres Redis Prometheus Grafana Release Rollback Migration Update Upgrade Patch Fix Query Queue Worker Workers Process Network Disk Memory CPU Latency API Autoscaler Scheduler Nightly Retry Retries Clients Client Users User Feature Features Health Check Checks Replica Replicas Node Nodes Pod Pods'.split(
    ' ',
  ),
);

/** Cheap pre-check: without a failure verb the person rule cannot match. */
const FAILURE_VERB_RE = new RegExp(`\\b${FAILURE_VERBS}\\b`);

function personRule(names: readonly string[]): RegExp {
  const extra = names.filter((n) => n.trim().length >= 2).map((n) => n.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const subject = ['@[\\w.-]+', '\\b[A-Z][a-z]+(?: [A-Z][a-z]+)?', '\\b(?:[Hh]e|[Ss]he|[Ss]omeone)', ...extra.map((n) => `\\b${n}`)].join('|');
  return new RegExp(`(${subject})\\s+(?:(?:had|has|have|was|just|accidentally|then)\\s+)?${FAILURE_VERBS}\\b`, 'g');
}

/** The post-mortem says service was fully unavailable, so "outage" is the right word. */
function wasFullOutage(pm: PostMortem): boolean {
  const texts = [typeof pm.summary === 'string' ? pm.summary : '', ...arr<{ key?: unknown; value?: unknown }>(pm.impact).map((r) => `${String(r.key)} ${String(r.value)}`)];
  return texts.some((t) => /\b100\s?%|\b(all (users|requests|traffic)|complete(ly)? (down|unavailable)|full(y)? (outage|unavailable|down)|total outage|hard down)\b/i.test(t));
}

const arr = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]).filter((x) => x !== null && typeof x === 'object') : []);

function displayPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function* strings(value: unknown, path: (string | number)[]): Generator<[string, (string | number)[]]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], [...path, i]);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!NOT_PROSE.has(k)) yield* strings(v, [...path, k]);
  }
}

export interface LintTextOptions {
  /** Names (from timeline actors, owners, reviewers) that are people. */
  names?: readonly string[];
  /** The document says the service was fully down: "outage" is accurate. */
  allowOutage?: boolean;
  /** "Where we got lucky" is about what could have happened: counterfactuals are its point. */
  allowCounterfactual?: boolean;
  /** The person rule built once per document (it depends on `names`). */
  personRe?: RegExp;
}

export function lintText(text: string, options: LintTextOptions = {}): Omit<LintFinding, 'field' | 'path'>[] {
  const { names = [], allowOutage = false, allowCounterfactual = false } = options;
  const out: Omit<LintFinding, 'field' | 'path'>[] = [];
  for (const r of RULES) {
    if (r.rule === 'outage-overstated' && allowOutage) continue;
    if (r.rule === 'counterfactual' && allowCounterfactual) continue;
    r.re.lastIndex = 0;
    for (const m of text.matchAll(r.re)) out.push({ rule: r.rule, text: m[0], index: m.index ?? 0, explanation: r.explanation, suggestion: r.suggestion });
  }
  const person = options.personRe ?? personRule(names);
  person.lastIndex = 0;
  if (!FAILURE_VERB_RE.test(text)) return finish(out);
  for (const m of text.matchAll(person)) {
    const who = m[1] ?? '';
    if (NOT_PEOPLE.has(who.split(' ')[0]!) || /^[A-Z]{2,}$/.test(who)) continue;
    out.push({
      rule: 'person-blamed',
      text: m[0],
      index: m.index ?? 0,
      explanation: 'A person is the subject of the failure. Blameless post-mortems name roles and systems, so people keep reporting what really happened.',
      suggestion: `Make the system the subject: instead of "${m[0]}", write what the process allowed, e.g. "the release went out without the canary check because the pipeline made it optional".`,
    });
  }
  return finish(out);
}

/** Sorted by position; the same rule twice at one place is reported once. */
function finish(out: Omit<LintFinding, 'field' | 'path'>[]): Omit<LintFinding, 'field' | 'path'>[] {
  out.sort((a, b) => a.index - b.index);
  return out.filter((f, i) => i === 0 || !(f.index === out[i - 1]!.index && f.rule === out[i - 1]!.rule));
}

/**
 * What the lint of one field needs to know about the whole document: the names that are people (timeline
 * actors, owners, reviewers that look like a person's name) and whether the service was fully down. The form
 * lints a field while it is typed with these, as the whole-document lint would.
 */
export function lintContext(pm: PostMortem): { names: string[]; allowOutage: boolean } {
  const names = new Set<string>();
  for (const t of arr<{ actor?: unknown }>(pm.timeline)) if (typeof t.actor === 'string') names.add(t.actor);
  for (const a of arr<{ owner?: unknown }>(pm.actionItems)) if (typeof a.owner === 'string') names.add(a.owner);
  const reviewers = pm.review && typeof pm.review === 'object' ? (pm.review as { reviewers?: unknown }).reviewers : undefined;
  if (Array.isArray(reviewers)) for (const r of reviewers) if (typeof r === 'string') names.add(r);
  // Roles and systems are fine subjects; only names that look like a person's are used.
  const personNames = [...names].filter((n) => /^[A-Z][a-z]+(?: [A-Z][a-z]+)?$|^@[\w.-]+$/.test(n.trim()) && !NOT_PEOPLE.has(n.trim().split(' ')[0]!));
  return { names: personNames, allowOutage: wasFullOutage(pm) };
}

export function lintPostmortem(pm: PostMortem): LintFinding[] {
  const { names: personNames, allowOutage } = lintContext(pm);
  const personRe = personRule(personNames);
  const findings: LintFinding[] = [];
  for (const [text, path] of strings(pm, [])) {
    if (path.length === 0) continue;
    const options = { names: personNames, allowOutage, allowCounterfactual: path[0] === 'whereWeGotLucky', personRe };
    for (const f of lintText(text, options)) findings.push({ field: displayPath(path), path, ...f });
  }
  return findings;
}
