"""A synthetic CRM opportunities export with known outcome shares, lags and never-closing items.

14 monthly cohorts of opportunities (about 8,800, entry days spread over each month). A closing
opportunity is won, lost or disqualified with ``SHARES`` after a gamma-distributed lag whose mean
depends on the outcome (``LAG_DAYS``: won deals take longest); a share ``NEVER_CLOSE`` never
closes (a zombie left open). The data ends at the end of the last month: a deal resolving later
is still open there. ``truth()`` gives the true shares among closing deals and their true mean
age in calendar months at resolution (the unit of ``lag``), from a large draw of the same
process without censoring."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd

from db.schema import set_stage_design

STAGES = ["opportunity", "won"]
START = np.datetime64("2024-01-01", "s")
MONTHS = 14
PER_MONTH = 630  # 8,820 opportunities
SHARES = {"converted": 0.30, "lost": 0.55, "disqualified": 0.15}
LAG_DAYS = {"converted": 50.0, "lost": 35.0, "disqualified": 12.0}
SHAPE = 2.0
NEVER_CLOSE = 0.15
DAY = 86400


def _month(i: int) -> np.datetime64:
    return (START.astype("datetime64[M]") + i).astype("datetime64[s]")


END = _month(MONTHS)  # exclusive: the data is as of the end of the last month


def _draw(rng: np.random.Generator, n: int, entered: np.ndarray):
    names = list(SHARES)
    outcome = rng.choice(len(names), size=n, p=list(SHARES.values()))
    mean = np.array([LAG_DAYS[k] for k in names])[outcome]
    lag = rng.gamma(SHAPE, mean / SHAPE) * DAY
    resolved = entered + lag.astype("timedelta64[s]")
    return np.array(names)[outcome], resolved


def _age(entered: np.ndarray, resolved: np.ndarray) -> np.ndarray:
    e = entered.astype("datetime64[M]").astype(int)
    r = resolved.astype("datetime64[M]").astype(int)
    return r - e


def export(seed: int = 7, never_close: float = NEVER_CLOSE) -> pd.DataFrame:
    """The stage history of the export: an opportunity row per deal (outcome, dates; open with
    no close date when it had not closed by the data's end) and a won row per win."""
    rng = np.random.default_rng(seed)
    entered = np.concatenate([
        _month(m) + rng.integers(0, (_month(m + 1) - _month(m)).astype(int), PER_MONTH)
        .astype("timedelta64[s]") for m in range(MONTHS)])  # fmt: skip
    n = len(entered)
    outcome, resolved = _draw(rng, n, entered)
    zombie = rng.random(n) < never_close
    is_open = zombie | (resolved >= END)
    opp = pd.DataFrame({
        "item_id": [f"OPP{i:05d}" for i in range(n)], "stage": "opportunity",
        "entered_at": entered.astype("datetime64[us]"),
        "resolved_at": np.where(is_open, np.datetime64("NaT"), resolved).astype("datetime64[us]"),
        "outcome": np.where(is_open, "open", outcome),
    })  # fmt: skip
    won = opp[opp["outcome"] == "converted"].assign(
        stage="won", entered_at=lambda d: d["resolved_at"], resolved_at=pd.NaT, outcome="open"
    )
    return pd.concat([opp, won], ignore_index=True)


def load(con: duckdb.DuckDBPyConnection, history: pd.DataFrame) -> None:
    """The export into an empty database with the schema."""
    set_stage_design(con, STAGES)
    con.register("syn", history)
    con.execute(
        "INSERT INTO stage_history (item_id, stage, entered_at, resolved_at, outcome) "
        "SELECT item_id, stage, entered_at, resolved_at, outcome FROM syn"
    )
    con.unregister("syn")


def truth(n: int = 2_000_000, seed: int = 99) -> dict[str, float]:
    """The true shares among closing deals and their mean resolution age in months, from ``n``
    deals entering uniformly over the same months and never censored."""
    rng = np.random.default_rng(seed)
    span = (END - START).astype(int)
    entered = START + rng.integers(0, span, n).astype("timedelta64[s]")
    outcome, resolved = _draw(rng, n, entered)
    age = _age(entered, resolved)
    out = {k: float((outcome == k).mean()) for k in SHARES}
    out["lag"] = float(age.mean())
    out["lag_sd"] = float(age.std())
    return out


WINDOW = (dt.date(2024, 1, 1), _month(MONTHS - 1).astype(dt.datetime).date())
