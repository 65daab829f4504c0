/** The A/B test page's snapshot from an analysis report (pure: tests build it without VS Code). */
import type { AbTestReport } from '../core/abtest/analyze';
import type { AbSnapshot } from '../protocol/abtest';

/** `file` is the name shown in the title; `error` says why the file itself could not be read. */
export function toAbSnapshot(report: AbTestReport, file: string, canOpenAsText: boolean, error?: string): AbSnapshot {
  return {
    file,
    ...(error !== undefined ? { error } : {}),
    name: report.name,
    alpha: report.alpha,
    verdict: report.verdict,
    // What the Issues list explains (Simpson's paradox, a sample-ratio mismatch) is said there once.
    interpretation: report.interpretation.filter((line) => !report.validation.issues.some((i) => i.message === line)),
    issues: report.validation.issues,
    arms: report.arms,
    test: report.test,
    srm: report.srm && { chi2: report.srm.chi2, pValueText: report.srm.pValueText, mismatch: report.srm.mismatch, expectedShare: report.srm.expectedShare, observedShare: report.srm.observedShare },
    forest: report.forest,
    power: report.power && {
      target: report.power.target,
      mde: report.power.mde,
      mdeSource: report.power.mdeSource,
      baseline: report.power.baseline,
      requiredPerArm: report.power.requiredPerArm,
      achieved: report.power.achieved,
      controlN: report.power.controlN,
      treatmentN: report.power.treatmentN,
      adequate: report.power.adequate,
      curve: report.power.curve,
    },
    simpson: { detected: report.simpson.detected, overallDirection: report.simpson.overallDirection, segmentDirections: report.simpson.segmentDirections },
    canOpenAsText,
  };
}
