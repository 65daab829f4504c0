/**
 * The seed's pressure tests as checks: pure functions that say what is missing before a step is taken.
 * A finding is a warning, never a hard stop — the engineer may override it, and the override is recorded
 * in the incident (see session.ts), so a reviewer sees which shortcut was taken and why.
 */
import type { PostMortem } from '../postmortem/types';
import type { Incident } from './types';

export type GuardrailRule =
  | 'root-cause-needs-evidence'
  | 'root-cause-needs-verified-hypothesis'
  | 'root-cause-is-symptom'
  | 'fix-needs-reproduction'
  | 'fix-needs-evidence'
  | 'fix-needs-confirmed-hypothesis'
  | 'fix-verification-needs-reproduction-or-method'
  | 'close-needs-postmortem'
  | 'close-needs-owned-action-item';

export interface GuardrailFinding {
  rule: GuardrailRule;
  /** What is missing, and what to do instead; shown as is to the user. */
  message: string;
}

/** Symptoms the seed names (Pressure Test 5): what users saw or what was done, not why it happened. */
const SYMPTOM_PATTERNS: { re: RegExp; what: string }[] = [
  { re: /\b(re-?start(ed|ing)?|re-?boot(ed|ing)?|re-?deploy(ed|ing)?|roll(ed)?[ -]?back)\b/i, what: 'an action taken (a restart, redeploy or rollback)' },
  { re: /\b[45]\d\d\s*(errors?|responses?|status(es)?|codes?)\b|\b(http|api)\s+[45]\d\d\b|\b[45]xx\b/i, what: 'an HTTP error status' },
  { re: /\b(time[ -]?outs?|timed out|timing out)\b/i, what: 'timeouts' },
  { re: /\b(high|higher|increased|elevated|spik(e|ed|ing)|slow)\s+(p\d+\s+)?(latency|cpu|memory|error rate|load|response times?)\b/i, what: 'a metric moving' },
  // The same with the metric first: "Latency spiked", "p99 went up", "CPU was high".
  {
    re: /\b(latenc(y|ies)|p\d{2,3}|cpu|memory|error rates?|load|response times?|throughput|traffic|queue depth|queue length)\s+(spiked|spikes|spiking|jumped|rose|went up|increased|grew|climbed|degraded|doubled|tripled|(was|were|is|are|got|became)\s+(very\s+|too\s+|really\s+)?(high|elevated|slow|bad|worse))\b/i,
    what: 'a metric moving',
  },
  // A component being slow or overloaded says where it hurt, not why: "Database was slow".
  {
    re: /\b(database|db|postgres(ql)?|mysql|redis|cache|queue|kafka|disk|network|api|service|server|backend|upstream|dependency|model|endpoint|quer(y|ies)|requests?|calls?|jobs?)\s+(was|were|is|are|got|became|went|ran|running|being)\s+(very\s+|too\s+|really\s+|extremely\s+)?(slow|slower|sluggish|overloaded|saturated|unresponsive|degraded|flaky|unstable|busy|struggling)\b/i,
    what: 'a component being slow or overloaded',
  },
  { re: /\b(service|server|api|site|app|pod|node|host)\s+(was\s+|went\s+|is\s+)?(down|unavailable|crash(ed|ing)?|unresponsive|hung)\b/i, what: 'a service being down' },
  { re: /\b(out of memory|OOM(-?killed)?)\b/i, what: 'memory running out' },
  { re: /\b(errors?|exceptions?|failures?)\s+(in|from|on)\s+(the\s+)?(logs?|service|api)\b/i, what: 'errors being logged' },
];

/** Words that explain a mechanism; a sentence with one of them is more than a symptom. */
const CAUSAL = /\b(because|due to|caused by|as a result of|which (caused|led|made)|led to|leads to|results? in|resulting in|since|so that)\b/i;

/** The symptom a root-cause text names without a mechanism, or undefined when it reads like a cause. */
export function symptomIn(text: string): string | undefined {
  if (CAUSAL.test(text)) return undefined;
  for (const p of SYMPTOM_PATTERNS) if (p.re.test(text)) return p.what;
  return undefined;
}

export function checkRootCause(incident: Incident, rootCause: string): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  if ((incident.evidence ?? []).length === 0) {
    findings.push({
      rule: 'root-cause-needs-evidence',
      message: 'No evidence is attached yet. Attach a profile, error cluster, trace, log or metric that shows the cause before naming it.',
    });
  }
  if (!(incident.hypotheses ?? []).some((h) => h.verification?.result === 'CONFIRMED')) {
    findings.push({
      rule: 'root-cause-needs-verified-hypothesis',
      message: 'No hypothesis has been confirmed by a test. Record a verification (the test you ran and its result) first.',
    });
  }
  const symptom = symptomIn(rootCause);
  if (symptom) {
    findings.push({
      rule: 'root-cause-is-symptom',
      message: `This reads like a symptom (${symptom}), not a cause. Say why it happened: e.g. "connection pool exhausted because a code path leaked connections", not "500 errors" or "restarted the service".`,
    });
  }
  return findings;
}

/**
 * Pressure Test 1 (random changes without investigation): a fix is recorded after the problem was reproduced,
 * evidence was collected and a hypothesis was confirmed by a test — otherwise it is a guess being shipped.
 */
export function checkFix(incident: Incident): GuardrailFinding[] {
  const findings: GuardrailFinding[] = [];
  if (!hasReproduction(incident)) {
    findings.push({ rule: 'fix-needs-reproduction', message: 'The problem has not been reproduced. Record a reproduction attempt that shows it, so the fix can be checked against it.' });
  }
  if ((incident.evidence ?? []).length === 0) {
    findings.push({ rule: 'fix-needs-evidence', message: 'No evidence is attached. Profile it or attach the metrics, logs or trace that show the problem before changing code.' });
  }
  if (!(incident.hypotheses ?? []).some((h) => h.verification?.result === 'CONFIRMED')) {
    findings.push({ rule: 'fix-needs-confirmed-hypothesis', message: 'No hypothesis has been confirmed by a test. A fix for an unconfirmed cause is a random change; verify the hypothesis first.' });
  }
  return findings;
}

/** Methods too vague to count as a way of verifying ("looks fine", "works"). */
const VAGUE_METHOD = /^\s*(ok(ay)?|fine|done|fixed|works?( now)?|working|tested|verified|checked|looks? (good|fine|ok)|seems? (fine|ok|good|to work)|lgtm|yes)\s*[.!]?\s*$/i;

export function isNamedMethod(method: string): boolean {
  const m = method.trim();
  return m.length >= 8 && m.split(/\s+/).length >= 2 && !VAGUE_METHOD.test(m);
}

export function hasReproduction(incident: Incident): boolean {
  return (incident.reproduction?.attempts ?? []).some((a) => a.reproduced);
}

/** Pressure Test 1/5: "fixed" needs a reproduction that no longer fails, or a named way of checking. */
export function checkFixVerification(incident: Incident, method: string, verified: boolean): GuardrailFinding[] {
  if (!verified) return [];
  if (hasReproduction(incident) || isNamedMethod(method)) return [];
  return [
    {
      rule: 'fix-verification-needs-reproduction-or-method',
      message:
        'The issue was never reproduced and the verification method is not named. Record a reproduction (so "fixed" means the reproduction no longer fails), or name the method: "p95 back under 200 ms on the dashboard for 1 h", "regression test test_x passes".',
    },
  ];
}

export function requiresPostmortem(incident: Incident): boolean {
  return incident.severity === 'CRITICAL' || incident.severity === 'HIGH';
}

/** Pressure Test 8: a CRITICAL/HIGH incident closes with a post-mortem that has an owned, dated action item. */
export function checkClose(incident: Incident, postmortem: PostMortem | undefined): GuardrailFinding[] {
  if (!requiresPostmortem(incident)) return [];
  if (!postmortem) {
    return [
      {
        rule: 'close-needs-postmortem',
        message: `${incident.severity} incidents need a post-mortem before they close. Open the post-mortem (it is pre-filled from this incident's timeline) and add at least one action item with an owner and a due date.`,
      },
    ];
  }
  const owned = (postmortem.actionItems ?? []).some((a) => (a.owner ?? '').trim() !== '' && (a.dueDate ?? '').trim() !== '');
  if (owned) return [];
  return [
    {
      rule: 'close-needs-owned-action-item',
      message: 'The post-mortem has no action item with both an owner and a due date. Without them nothing tracks the prevention work to completion.',
    },
  ];
}
