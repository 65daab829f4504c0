"""Reference values from scipy/statsmodels for the TypeScript statistics tests.

Reads a JSON list of {"fn": name, "args": {...}} on stdin and writes a JSON list of results (numbers, or
lists of numbers) on stdout, in the same order. Run by test/unit/stats*.test.ts; needs the packages in
requirements-dev.txt.
"""
import json
import sys

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)


def two_prop(a):
    count = np.array([a["ts"], a["cs"]])
    nobs = np.array([a["tn"], a["cn"]])
    z, p = proportions_ztest(count, nobs, alternative=a.get("alternative", "two-sided"))
    low, high = confint_proportions_2indep(a["ts"], a["tn"], a["cs"], a["cn"], method="wald", compare="diff", alpha=a.get("alpha", 0.05))
    out = {"z": z, "p": p, "ciLow": low, "ciHigh": high}
    if a["cs"] > 0 and a["ts"] > 0:
        rl, rh = confint_proportions_2indep(a["ts"], a["tn"], a["cs"], a["cn"], method="log", compare="ratio", alpha=a.get("alpha", 0.05))
        out["relLow"] = rl - 1
        out["relHigh"] = rh - 1
    return out


def run(fn, a):
    if fn == "normSf":
        return float(stats.norm.sf(a["z"]))
    if fn == "normCdf":
        return float(stats.norm.cdf(a["z"]))
    if fn == "tSf":
        return float(stats.t.sf(a["t"], a["df"]))
    if fn == "chi2Sf":
        return float(stats.chi2.sf(a["x"], a["df"]))
    if fn == "twoProp":
        return {k: float(v) for k, v in two_prop(a).items()}
    if fn == "wilson":
        low, high = proportion_confint(a["s"], a["n"], alpha=a.get("alpha", 0.05), method="wilson")
        return [float(low), float(high)]
    if fn == "welch":
        r = stats.ttest_ind_from_stats(a["m1"], a["s1"], a["n1"], a["m2"], a["s2"], a["n2"], equal_var=False)
        return {"t": float(r.statistic), "p": float(r.pvalue)}
    if fn == "welchSamples":
        r = stats.ttest_ind(a["y"], a["x"], equal_var=False)
        ci = r.confidence_interval(0.95)
        return {"t": float(r.statistic), "p": float(r.pvalue), "df": float(r.df), "ciLow": float(ci.low), "ciHigh": float(ci.high)}
    if fn == "sampleSize":
        h = proportion_effectsize(a["p2"], a["p1"])
        return float(NormalIndPower().solve_power(effect_size=h, alpha=a["alpha"], power=a["power"], ratio=1.0, alternative="two-sided"))
    if fn == "power":
        h = proportion_effectsize(a["p2"], a["p1"])
        return float(NormalIndPower().power(effect_size=h, nobs1=a["n1"], alpha=a["alpha"], ratio=a["n2"] / a["n1"], alternative="two-sided"))
    if fn == "chisquare":
        obs = np.array(a["obs"], dtype=float)
        w = np.array(a["w"], dtype=float)
        r = stats.chisquare(obs, obs.sum() * w / w.sum())
        return {"chi2": float(r.statistic), "p": float(r.pvalue)}
    if fn == "mannwhitney":
        r = stats.mannwhitneyu(a["x"], a["y"], alternative=a["alternative"], method="asymptotic", use_continuity=True)
        return {"u": float(r.statistic), "p": float(r.pvalue)}
    if fn == "hl":
        d = np.subtract.outer(np.array(a["x"]), np.array(a["y"])).ravel()
        return float(np.median(d))
    if fn == "chi2Contingency":
        r = stats.chi2_contingency(np.array(a["table"], dtype=float), correction=False)
        return {"chi2": float(r.statistic), "p": float(r.pvalue), "df": int(r.dof)}
    if fn == "fisherGreater":
        r = stats.fisher_exact(np.array(a["table"]), alternative="greater")
        return float(r.pvalue)
    if fn == "holm":
        return [float(x) for x in multipletests(a["p"], method="holm")[1]]
    raise ValueError(fn)


def main():
    cases = json.load(sys.stdin)
    json.dump([run(c["fn"], c["args"]) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
