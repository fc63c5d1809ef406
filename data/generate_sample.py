"""Seeded generator of a Japanese B2B SaaS company's funnel data (the app's sample).

Simulates 24 months (April 2024 to March 2026, two fiscal years) of:

- visitors per month and source (aggregated, as web analytics reports them) with growth and
  Japanese seasonality (Golden Week, Obon, New Year dips; fiscal year-end peak in March);
- leads from six sources of different quality, worked by inside sales: converted to opportunity,
  disqualified, recycled or lost after a gamma-distributed lag;
- opportunities by segment (smb / mid / enterprise), worked by field sales, with the same four
  outcomes; wins with yen amounts (annual contract value);
- a recycle pool: each month a recycled item is reactivated (re-entering ``lead``) with
  probability ``reactivation`` or else ages out with probability ``expiry``;
- subscriptions: annual terms from the month after a win, renewed with a segment's rate and
  expanded at renewal; plus a base of customers won before the sample starts;
- marketing spend per month and source.

Outcome probabilities do not depend on timing, so AsIs shares computed over resolved items recover
them (``truth()`` returns the true values; ``tests/db/test_sample.py`` checks the recovery).

``python data/generate_sample.py`` rewrites ``data/sample/*.parquet`` and ``truth.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20240401
START = np.datetime64("2024-04-01", "s")
MONTHS = 24
END = np.datetime64("2026-04-01", "s")  # exclusive: the data is "as of" 2026-03-31 24:00
DAY = 86400
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"

# source: (share of new leads, visitor->lead conversion, yen spend per visitor,
#          lead outcome probabilities converted/disqualified/recycled (the rest is lost),
#          segment mix smb/mid/enterprise)
SOURCES: dict[str, tuple[float, float, float, tuple[float, float, float], tuple[float, ...]]] = {
    "organic_search": (0.34, 0.012, 18.0, (0.28, 0.14, 0.22), (0.55, 0.33, 0.12)),
    "paid_search": (0.26, 0.025, 140.0, (0.20, 0.26, 0.20), (0.65, 0.28, 0.07)),
    "webinar": (0.15, 0.080, 95.0, (0.24, 0.12, 0.30), (0.45, 0.40, 0.15)),
    "exhibition": (0.10, 0.300, 1500.0, (0.16, 0.30, 0.28), (0.30, 0.40, 0.30)),
    "referral": (0.08, 0.050, 40.0, (0.46, 0.05, 0.10), (0.40, 0.40, 0.20)),
    "partner": (0.07, 0.040, 260.0, (0.36, 0.10, 0.16), (0.25, 0.40, 0.35)),
}
SEGMENTS = ("smb", "mid", "enterprise")
# segment: (opportunity converted/disqualified/recycled, mean lag days, mean ACV yen,
#           annual renewal probability, expansion at renewal)
OPPORTUNITY: dict[str, tuple[tuple[float, float, float], float, float, float, float]] = {
    "smb": ((0.30, 0.06, 0.18), 40.0, 720_000.0, 0.82, 0.05),
    "mid": ((0.25, 0.05, 0.22), 70.0, 2_400_000.0, 0.90, 0.10),
    "enterprise": ((0.18, 0.04, 0.25), 110.0, 9_600_000.0, 0.95, 0.15),
}
LEAD_LAG_DAYS = 28.0
LAG_SHAPE = 4.0
REACTIVATION = 0.06  # share of the recycle pool reactivated per month
EXPIRY = 0.04  # share of the remaining pool ageing out per month
GROWTH = 0.015  # monthly growth of visitors
# calendar month -> seasonality of visitors (Japanese B2B: GW, Obon, New Year; FY-end March)
SEASON = {1: 0.88, 2: 1.04, 3: 1.12, 4: 1.0, 5: 0.88, 6: 1.05, 7: 1.0, 8: 0.84, 9: 1.06,
          10: 1.06, 11: 1.0, 12: 0.94}  # fmt: skip
INSIDE_SALES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺")
FIELD_SALES = ("山本", "中村", "小林", "加藤", "吉田", "山田", "髙橋")
OPENING_CUSTOMERS = 260


@dataclass
class Sample:
    stage_history: pd.DataFrame
    stage_counts: pd.DataFrame
    subscriptions: pd.DataFrame
    marketing_spend: pd.DataFrame
    truth: dict


def month_starts() -> np.ndarray:
    return np.arange(np.datetime64("2024-04", "M"), np.datetime64("2024-04", "M") + MONTHS)


def truth() -> dict:
    """The generator's true parameters, in the terms of the AsIs metrics."""
    src = {}
    for name, (share, vconv, cpv, (c, d, r), mix) in SOURCES.items():
        opp_c = sum(m * OPPORTUNITY[s][0][0] for m, s in zip(mix, SEGMENTS, strict=True))
        src[name] = {
            "lead_share": share,
            "visitor_conversion": vconv,
            "spend_per_visitor_yen": cpv,
            "lead": {"conversion": c, "disqualify": d, "recycle": r, "lost": 1 - c - d - r},
            "segment_mix": dict(zip(SEGMENTS, mix, strict=True)),
            "opportunity_conversion": opp_c,
        }
    seg = {
        s: {
            "opportunity": {
                "conversion": o[0],
                "disqualify": o[1],
                "recycle": o[2],
                "lost": 1 - sum(o),
            },
            "lag_days": lag,
            "acv_yen": acv,
            "renewal": ren,
            "expansion": exp,
        }
        for s, (o, lag, acv, ren, exp) in OPPORTUNITY.items()
    }
    return {
        "seed": SEED,
        "start": "2024-04",
        "months": MONTHS,
        "sources": src,
        "segments": seg,
        "lead_lag_days": LEAD_LAG_DAYS,
        "reactivation": REACTIVATION,
        "expiry": EXPIRY,
        "reentry": "lead",
    }


def _outcomes(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Draw 0=converted 1=disqualified 2=recycled 3=lost per row from (n, 3) probabilities."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))
    return (u[:, None] >= cum).sum(axis=1).astype(np.int8)


def _random_in_month(rng: np.random.Generator, months: np.ndarray) -> np.ndarray:
    """A uniformly random second inside each given month (datetime64[M] array)."""
    start = months.astype("datetime64[s]")
    length = ((months + 1).astype("datetime64[s]") - start).astype(np.int64)
    return start + (rng.random(len(months)) * length).astype("timedelta64[s]")


def generate(n_leads: int = 80_000, seed: int = SEED, with_subscriptions: bool = True) -> Sample:
    """Simulate the company with about ``n_leads`` new leads over the 24 months."""
    rng = np.random.default_rng(seed)
    names = list(SOURCES)
    months = month_starts()
    cal = (months.astype(int) % 12) + 1
    shape = np.array([(1 + GROWTH) ** t * SEASON[int(m)] for t, m in enumerate(cal)])
    per_month = n_leads / shape.sum() * shape

    # visitors (aggregated) and new leads per month and source
    counts, spend = [], []
    lead_month, lead_source = [], []
    for k, name in enumerate(names):
        share, vconv, cpv, _, _ = SOURCES[name]
        visitors = rng.poisson(per_month * share / vconv)
        leads = rng.binomial(visitors, vconv)
        counts.append(pd.DataFrame({"month": months, "stage": "visitor", "source": name,
                                    "arrivals": visitors.astype(float)}))  # fmt: skip
        noise = rng.normal(1.0, 0.06, MONTHS)
        spend.append(pd.DataFrame({"month": months, "source": name,
                                   "spend": np.round(visitors * cpv * noise, -3)}))  # fmt: skip
        lead_month.append(np.repeat(months, leads))
        lead_source.append(np.full(leads.sum(), k, dtype=np.int8))
    lead_month = np.concatenate(lead_month)
    source = np.concatenate(lead_source)
    n = len(source)
    mix = np.array([SOURCES[s][4] for s in names])
    seg_cum = np.cumsum(mix[source], axis=1)
    segment = (rng.random(n)[:, None] >= seg_cum).sum(axis=1).astype(np.int8)
    item = np.arange(1, n + 1, dtype=np.int64)
    entered = _random_in_month(rng, lead_month)
    is_owner = rng.integers(0, len(INSIDE_SALES), n).astype(np.int8)
    fs_owner = rng.integers(0, len(FIELD_SALES), n).astype(np.int8)

    lead_p = np.array([SOURCES[s][3] for s in names])
    opp_p = np.array([OPPORTUNITY[s][0] for s in SEGMENTS])
    opp_lag = np.array([OPPORTUNITY[s][1] for s in SEGMENTS])
    acv = np.array([OPPORTUNITY[s][2] for s in SEGMENTS])

    rows = []  # (item, stage, entered, resolved, outcome, source, segment, owner, amount)
    cur = np.arange(n)  # index into per-item arrays of leads entering now
    cur_entered = entered
    while len(cur):
        # lead stage
        lag = rng.gamma(LAG_SHAPE, LEAD_LAG_DAYS / LAG_SHAPE, len(cur)) * DAY
        resolved = cur_entered + lag.astype("timedelta64[s]")
        out = _outcomes(rng, lead_p[source[cur]])
        is_open = resolved >= END
        out[is_open] = 4
        rows.append((cur, 1, cur_entered, resolved, out, is_owner[cur], None))
        conv = cur[out == 0]
        conv_at = resolved[out == 0]
        recycled = [(cur[out == 2], resolved[out == 2])]
        # opportunity stage
        seg = segment[conv]
        lag = rng.gamma(LAG_SHAPE, opp_lag[seg] / LAG_SHAPE) * DAY
        o_res = conv_at + lag.astype("timedelta64[s]")
        o_out = _outcomes(rng, opp_p[seg])
        o_out[o_res >= END] = 4
        rows.append((conv, 2, conv_at, o_res, o_out, fs_owner[conv], None))
        won = conv[o_out == 0]
        won_at = o_res[o_out == 0]
        amount = np.round(acv[segment[won]] * rng.lognormal(-0.06, 0.35, len(won)), -3)
        rows.append((won, 3, won_at, won_at, np.zeros(len(won), np.int8), fs_owner[won], amount))
        recycled.append((conv[o_out == 2], o_res[o_out == 2]))
        # recycle pool: K months later reactivated (prob REACTIVATION) or else expired
        r_items = np.concatenate([r[0] for r in recycled])
        r_at = np.concatenate([r[1] for r in recycled])
        theta = (1 - REACTIVATION) * (1 - EXPIRY)
        k = rng.geometric(1 - theta, len(r_items))
        back = rng.random(len(r_items)) < REACTIVATION / (1 - theta)
        when = _random_in_month(rng, r_at.astype("datetime64[M]") + k)
        keep = back & (when < END)
        cur, cur_entered = r_items[keep], when[keep]

    stage_names = np.array(["visitor", "lead", "opportunity", "won"])
    outcome_names = np.array(["converted", "disqualified", "recycled", "lost", "open"])
    frames = []
    for items, st, ent, res, out, owner, amt in rows:
        owners = np.array(INSIDE_SALES if st == 1 else FIELD_SALES)
        frames.append(pd.DataFrame({
            "item_no": item[items],
            "stage": stage_names[st],
            "entered_at": ent,
            "resolved_at": np.where(out == 4, np.datetime64("NaT"), res).astype("datetime64[s]"),
            "outcome": outcome_names[out],
            "source": np.array(names)[source[items]],
            "segment": np.array(SEGMENTS)[segment[items]],
            "owner": owners[owner],
            "amount": amt if amt is not None else np.full(len(items), np.nan),
        }))  # fmt: skip
    history = pd.concat(frames, ignore_index=True)
    history = history.sort_values(["entered_at", "item_no"], kind="stable", ignore_index=True)

    subs = _subscriptions(rng, history) if with_subscriptions else None
    return Sample(
        stage_history=history,
        stage_counts=pd.concat(counts, ignore_index=True),
        subscriptions=subs,
        marketing_spend=pd.concat(spend, ignore_index=True),
        truth=truth(),
    )


def _subscriptions(rng: np.random.Generator, history: pd.DataFrame) -> pd.DataFrame:
    """Annual terms from the month after each win, plus an opening base of older customers."""
    won = history[history["stage"] == "won"]
    seg_idx = {s: i for i, s in enumerate(SEGMENTS)}
    starts = (won["entered_at"].to_numpy().astype("datetime64[M]") + 1).astype("datetime64[D]")
    segs = won["segment"].map(seg_idx).to_numpy()
    mrr = won["amount"].to_numpy() / 12
    ids = [f"C{n:07d}" for n in won["item_no"]]
    items = [f"L{n:07d}" for n in won["item_no"]]
    # opening base: customers who started in the 36 months before the sample
    k = OPENING_CUSTOMERS
    o_seg = rng.choice(3, k, p=[0.5, 0.35, 0.15])
    o_start = (START.astype("datetime64[M]") - rng.integers(1, 37, k)).astype("datetime64[D]")
    acv = np.array([OPPORTUNITY[s][2] for s in SEGMENTS])
    o_mrr = np.round(acv[o_seg] * rng.lognormal(-0.06, 0.35, k) / 12, -2)
    ids += [f"C9{n:06d}" for n in range(k)]
    items += [None] * k
    starts = np.concatenate([starts, o_start])
    segs = np.concatenate([segs, o_seg])
    mrr = np.concatenate([np.round(mrr, -2), o_mrr])
    renewal = np.array([OPPORTUNITY[s][3] for s in SEGMENTS])
    expansion = np.array([OPPORTUNITY[s][4] for s in SEGMENTS])
    end = END.astype("datetime64[D]")
    out = []
    for cid, item, start, s, m in zip(ids, items, starts, segs, mrr, strict=True):
        term_start = start
        while term_start < end:
            term_end = (term_start.astype("datetime64[M]") + 12).astype("datetime64[D]")
            if term_end >= end:
                out.append((cid, item, term_start, None, m, SEGMENTS[s]))
                break
            renewed = rng.random() < renewal[s]
            out.append((cid, item, term_start, term_end, m, SEGMENTS[s]))
            if not renewed:
                break
            # expansion at renewal: a share of renewals upsell by 2.5x the mean rate
            if rng.random() < 0.4:
                m = float(np.round(m * (1 + expansion[s] * 2.5), -2))
            term_start = term_end
    df = pd.DataFrame(out, columns=["customer_id", "item_id", "start_date", "end_date", "mrr",
                                    "segment"])  # fmt: skip
    df["start_date"] = pd.to_datetime(df["start_date"]).dt.date
    df["end_date"] = pd.to_datetime(df["end_date"]).dt.date
    return df


def write_sample(sample: Sample, folder: Path = SAMPLE_DIR) -> None:
    """Write the four tables as Parquet (zstd) and the true parameters as JSON."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    h = sample.stage_history  # noqa: F841 (read by DuckDB's replacement scan)
    con.execute(
        "COPY (SELECT printf('L%07d', item_no) AS item_id, stage, entered_at, resolved_at, "
        "outcome, source, segment, owner, amount FROM h) TO '"
        + str(folder / "stage_history.parquet")
        + "' (FORMAT parquet, COMPRESSION zstd)"
    )
    for name in ("stage_counts", "subscriptions", "marketing_spend"):
        getattr(sample, name).to_parquet(folder / f"{name}.parquet", compression="zstd",
                                         index=False)  # fmt: skip
    (folder / "truth.json").write_text(json.dumps(sample.truth, indent=2) + "\n")


if __name__ == "__main__":
    s = generate()
    write_sample(s)
    h = s.stage_history
    print(h.groupby("stage").size().to_string())
    print("subscriptions", len(s.subscriptions))
