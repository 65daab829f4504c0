/** The stack dump view's snapshot from an analysis (pure: no VS Code). */
import { FINDING_KINDS, type FindingKind, type StackAnalysis } from '../core/stacks/analyze';
import type { DumpSource } from '../core/stacks/model';
import type { StacksSnapshot, StackThreadView } from '../protocol/stacks';

export const SOURCE_LABELS: Record<DumpSource, string> = {
  'py-spy-json': 'py-spy dump --json',
  'py-spy-text': 'py-spy dump',
  faulthandler: 'faulthandler',
  'current-frames': 'sys._current_frames() dump',
};

const LIBRARY = /(^<.*>$)|\/(site|dist)-packages\/|\/lib(64)?\/python\d+(\.\d+)?\//;

export function stacksSnapshot(a: StackAnalysis, o: { id: string; title: string; source?: DumpSource; where?: string }): StacksSnapshot {
  const findingsOf = new Map<number, FindingKind[]>();
  for (const f of a.findings) for (const id of f.threadIds) findingsOf.set(id, [...(findingsOf.get(id) ?? []), f.kind]);
  const rank = (t: StackThreadView): number => (t.findings.includes('deadlock') ? 0 : t.stuck ? 1 : t.findings.length ? 2 : t.active ? 3 : t.waitingForWork ? 5 : 4);
  const threads: StackThreadView[] = a.threads.map((t) => ({
    id: t.id,
    name: t.name,
    active: t.active,
    gil: t.gil,
    stuck: t.stuck,
    waitingForWork: t.waitingForWork,
    ...(t.wait ? { wait: { kind: t.wait.kind, what: t.wait.what } } : {}),
    findings: [...new Set(findingsOf.get(t.id) ?? [])].sort((x, y) => FINDING_KINDS.indexOf(x) - FINDING_KINDS.indexOf(y)),
    frames: t.frames.map((f, i) => ({
      function: f.function,
      file: f.file,
      line: f.line,
      still: a.dumps >= 2 && f.still,
      library: !!f.native || f.file === '' || LIBRARY.test(f.file.replace(/\\/g, '/')) || (!/[\\/]/.test(f.file) && i !== t.focus && /^(threading|queue|socket|ssl|subprocess|selectors|socketserver)\.py$/.test(f.file)),
      native: !!f.native,
      focus: i === t.focus,
      ...(f.code !== undefined ? { code: f.code } : {}),
      ...(f.locals?.length ? { locals: f.locals } : {}),
    })),
  }));
  const order = threads.map((t, i) => ({ t, i })).sort((x, y) => rank(x.t) - rank(y.t) || x.i - y.i).map((x) => x.t);
  const stuck = threads.filter((t) => t.stuck).length;
  const parts = [
    o.source ? SOURCE_LABELS[o.source] : undefined,
    a.pid !== undefined ? `process ${a.pid}` : undefined,
    `${a.dumps} dump${a.dumps === 1 ? '' : 's'}`,
    `${threads.length} thread${threads.length === 1 ? '' : 's'}`,
    a.dumps >= 2 ? `${stuck} stuck` : 'one dump: what is stuck needs two or more',
    o.where,
  ].filter((p): p is string => !!p);
  return {
    id: o.id,
    title: o.title,
    description: parts.join(' · '),
    dumps: a.dumps,
    threads: order,
    findings: a.findings.map((f) => ({ kind: f.kind, threadIds: f.threadIds, file: f.file, line: f.line, message: f.message })),
    warnings: a.warnings,
  };
}

export function stacksErrorSnapshot(id: string, title: string, error: string): StacksSnapshot {
  return { id, title, description: '', dumps: 0, threads: [], findings: [], warnings: [], error };
}
