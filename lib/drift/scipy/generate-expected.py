#!/usr/bin/env python3
"""Expected drift statistics for lib/drift/statistics.test.ts, computed with scipy/numpy.

Each dataset is generated deterministically (numpy default_rng with a fixed seed), rounded to 5
decimals so that JavaScript and Python see identical numbers, and written into expected.json next to
the statistics. The Evidently formulas (evidently.legacy.calculations.stattests: psi, jensenshannon,
wasserstein_distance_norm, chisquare_stattest, z_stattest, ks_stattest and utils.get_binned_data) are
restated here with numpy only, because evidently itself is not installed.

Run: python3 lib/drift/scipy/generate-expected.py   (scipy 1.17, numpy 2.x)
"""
import json
import math
import pathlib

import numpy as np
import scipy
from scipy import stats
from scipy.spatial import distance


def get_binned_data(ref, cur, kind, fill_zeroes):
    """evidently.legacy.calculations.stattests.utils.get_binned_data without pandas."""
    if kind == "numeric" and len(set(ref.tolist())) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        ref_p = np.histogram(ref, bins)[0] / len(ref)
        cur_p = np.histogram(cur, bins)[0] / len(cur)
        edges, keys = bins.tolist(), None
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()))
        ref_p = np.array([np.sum(ref == k) / len(ref) for k in keys])
        cur_p = np.array([np.sum(cur == k) / len(cur) for k in keys])
        edges = None
    if fill_zeroes:
        for arr in (ref_p, cur_p):
            m = min(arr[arr != 0])
            np.place(arr, arr == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return ref_p, cur_p, edges, keys


def psi(ref, cur, kind):
    r, c, _, _ = get_binned_data(ref, cur, kind, True)
    return float(np.sum((r - c) * np.log(r / c)))


def jensen_shannon(ref, cur, kind):
    r, c, _, _ = get_binned_data(ref, cur, kind, False)
    return float(distance.jensenshannon(r, c))


def value_counts(ref, cur):
    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
    return keys, np.array([np.sum(ref == k) for k in keys]), np.array([np.sum(cur == k) for k in keys])


def chisquare(ref, cur):
    keys, rc, cc = value_counts(ref, cur)
    f_exp = rc * (len(cur) / len(ref))
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.chisquare(cc, f_exp)
    return float(res.statistic), float(res.pvalue)


def linf(ref, cur):
    _, rc, cc = value_counts(ref, cur)
    return float(np.max(np.abs(rc / len(ref) - cc / len(cur))))


def z_test(ref, cur):
    keys, _, _ = value_counts(ref, cur)
    if len(set(ref.tolist())) == 1 and len(set(cur.tolist())) == 1 and ref[0] == cur[0]:
        return 1.0
    r = np.where(ref == keys[0], 0, 1)
    c = np.where(cur == keys[0], 0, 1)
    n1, n2 = len(r), len(c)
    p1, p2 = r.sum() / n1, c.sum() / n2
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return float(2 * (1 - stats.norm.cdf(np.abs(z))))


def default_method(kind, ref, cur):
    n_values = len(set(ref.tolist()) | set(cur.tolist()))
    if len(ref) <= 1000:
        if kind == "numeric" and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if kind == "numeric" and n_values > 5:
        return "wasserstein_norm"
    return "jensen_shannon"


def ks_path(n1, n2):
    if max(n1, n2) <= 10000:
        return "exact"
    return "asymp"


def numeric_case(name, ref, cur):
    ref = np.round(ref, 5)
    cur = np.round(cur, 5)
    ks = stats.ks_2samp(ref, cur)
    out = {
        "name": name, "kind": "numeric", "reference": ref.tolist(), "current": cur.tolist(),
        "default_method": default_method("numeric", ref, cur),
        "psi": psi(ref, cur, "numeric"),
        "jensen_shannon": jensen_shannon(ref, cur, "numeric"),
        "ks": float(ks.statistic), "ks_pvalue": float(ks.pvalue), "ks_method": ks_path(len(ref), len(cur)),
        "wasserstein": float(stats.wasserstein_distance(ref, cur)),
        "reference_std": float(np.std(ref)),
        "wasserstein_norm": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)),
        "reference_quantiles_20": np.quantile(ref, np.linspace(0, 1, 21)).tolist(),
        "reference_histogram_10": np.histogram(ref, bins=10)[0].tolist(),
        "reference_histogram_10_edges": np.histogram(ref, bins=10)[1].tolist(),
    }
    _, _, edges, keys = get_binned_data(ref, cur, "numeric", False)
    out["bin_edges"] = edges
    if len(set(ref.tolist()) | set(cur.tolist())) <= 20:
        chi2, out["chi2_pvalue"] = chisquare(ref, cur)
        out["chi2"] = chi2 if math.isfinite(chi2) else None
        out["linf"] = linf(ref, cur)
    return out


def categorical_case(name, ref, cur):
    chi2, chi2_p = chisquare(ref, cur)
    out = {
        "name": name, "kind": "categorical", "reference": ref.tolist(), "current": cur.tolist(),
        "default_method": default_method("categorical", ref, cur),
        "psi": psi(ref, cur, "categorical"),
        "jensen_shannon": jensen_shannon(ref, cur, "categorical"),
        "chi2": chi2 if math.isfinite(chi2) else None, "chi2_pvalue": chi2_p, "linf": linf(ref, cur),
    }
    if len(set(ref.tolist()) | set(cur.tolist())) <= 2:
        out["z_pvalue"] = z_test(ref, cur)
    return out


def cats(rng, labels, probs, n):
    return np.array(labels)[rng.choice(len(labels), size=n, p=probs)]


def main():
    cases = []
    rng = np.random.default_rng(1)
    cases.append(numeric_case("normal_shift_unequal_n", rng.normal(0, 1, 500), rng.normal(0.3, 1, 300)))
    rng = np.random.default_rng(2)
    cases.append(numeric_case("normal_equal_n", rng.normal(0, 1, 400), rng.normal(0.15, 1, 400)))
    rng = np.random.default_rng(3)
    cases.append(numeric_case("normal_no_drift", rng.normal(5, 2, 800), rng.normal(5, 2, 200)))
    rng = np.random.default_rng(4)
    cases.append(numeric_case("large_ref_asymp_smirnov", rng.normal(0, 1, 10500), rng.normal(0.5, 1, 150)))
    rng = np.random.default_rng(5)
    cases.append(numeric_case("large_ref_asymp_small_n", rng.normal(0, 1, 10200), rng.normal(0.2, 1, 90)))
    rng = np.random.default_rng(6)
    cases.append(numeric_case("large_ref_asymp_durbin_small_n", rng.normal(0, 1, 10200), rng.normal(0, 1, 60)))
    rng = np.random.default_rng(7)
    ref = rng.normal(0, 1, 10400)
    cases.append(numeric_case("large_both_asymp", ref, rng.normal(0.03, 1, 10400)))
    rng = np.random.default_rng(8)
    ref = rng.normal(0, 1, 10300)
    cases.append(numeric_case("large_both_near_identical", ref, ref + rng.normal(0, 0.002, 10300)))
    rng = np.random.default_rng(9)
    cases.append(numeric_case("integers_0_9", rng.integers(0, 10, 700).astype(float), rng.integers(0, 12, 250).astype(float)))
    rng = np.random.default_rng(10)
    cases.append(numeric_case("lognormal_wasserstein", rng.lognormal(0, 0.8, 3000), rng.lognormal(0.2, 0.9, 1500)))
    rng = np.random.default_rng(11)
    cases.append(numeric_case("constant_reference", np.full(50, 3.0), rng.normal(3, 0.5, 40)))

    rng = np.random.default_rng(20)
    labels = ["a", "b", "c", "d"]
    cases.append(categorical_case("categorical_shift", cats(rng, labels, [0.4, 0.3, 0.2, 0.1], 600),
                                  cats(rng, labels, [0.3, 0.3, 0.2, 0.2], 400)))
    rng = np.random.default_rng(21)
    cases.append(categorical_case("categorical_new_category", cats(rng, labels[:3], [0.5, 0.3, 0.2], 300),
                                  cats(rng, labels, [0.45, 0.3, 0.2, 0.05], 200)))
    rng = np.random.default_rng(22)
    cases.append(categorical_case("binary", cats(rng, ["no", "yes"], [0.7, 0.3], 500),
                                  cats(rng, ["no", "yes"], [0.62, 0.38], 300)))
    rng = np.random.default_rng(23)
    six = ["u", "v", "w", "x", "y", "z"]
    cases.append(categorical_case("categorical_large_reference", cats(rng, six, [0.3, 0.2, 0.2, 0.1, 0.1, 0.1], 5000),
                                  cats(rng, six, [0.2, 0.2, 0.2, 0.2, 0.1, 0.1], 2000)))

    # kstwo.sf over a grid that reaches every branch of scipy's kolmogn (Ruben-Gambino edges, Durbin
    # matrix, Pomeranz, Pelz-Good, exact Smirnov sum).
    kstwo = []
    for n in [3, 10, 60, 140, 141, 400, 5200, 120000]:
        for x in [0.5 / n + 1e-3, 0.8 / n, 1.5 / n, 0.3 / math.sqrt(n), 0.8 / math.sqrt(n), 1.2 / math.sqrt(n),
                  1.8 / math.sqrt(n), 2.5 / math.sqrt(n), 0.45, 0.6, 1 - 1.5 / n]:
            if 0 < x < 1:
                kstwo.append({"n": n, "x": x, "sf": float(stats.kstwo.sf(x, n))})

    out = {"generator": "lib/drift/scipy/generate-expected.py", "scipy": scipy.__version__, "numpy": np.__version__,
           "kstwo": kstwo, "cases": cases}
    path = pathlib.Path(__file__).with_name("expected.json")
    path.write_text(json.dumps(out, separators=(",", ":"), allow_nan=False) + "\n")
    for c in cases:
        print(c["name"], c["default_method"], {k: c[k] for k in ("ks", "ks_pvalue", "psi", "jensen_shannon", "chi2_pvalue") if k in c})


if __name__ == "__main__":
    main()
