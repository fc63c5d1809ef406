"""A plan: the scenario solved (spec section 4) and projected (section 3), as section 5 prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .capacity import capacity_plan
from .errors import PlanWarning, ScenarioError
from .forward import Flows, simulate
from .levers import Levers, build_levers
from .revenue import Money, money
from .reverse import INFEASIBLE_SLOPE, REL_TOL, solve_monthly, solve_total
from .scenario import Scenario, base

if TYPE_CHECKING:
    import pandas as pd

STAGE_MEASURES = ("arrivals", "stock", "converted", "disqualified", "recycled", "lost")
SERIES = ("inflow", "wins", "bookings", "mrr", "revenue", "customers")


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Plan:
    """A solved, projected scenario. Arrays are read-only; stage arrays are (S, H) or (S−1, H)."""

    scenario: Scenario
    months: tuple[str, ...]
    inflow: np.ndarray
    arrivals: np.ndarray  # (S, H)
    stock: np.ndarray  # (S−1, H)
    converted: np.ndarray
    disqualified: np.ndarray
    recycled: np.ndarray
    lost: np.ndarray
    pool_balance: np.ndarray
    reactivated: np.ndarray
    wins: np.ndarray
    bookings: np.ndarray
    mrr: np.ndarray
    revenue: np.ndarray
    customers: np.ndarray
    warnings: tuple[str, ...] = ()

    # ----- access ---------------------------------------------------------------------------
    @property
    def stage_keys(self) -> tuple[str, ...]:
        return self.scenario.stage_keys

    def stage_series(self, key: str, measure: str) -> np.ndarray:
        """One stage's monthly ``measure`` (arrivals, stock, converted, ...)."""
        i = self.stage_keys.index(key)
        if measure == "arrivals":
            return self.arrivals[i]
        if i == len(self.stage_keys) - 1:
            raise KeyError(f"the terminal stage {key!r} has arrivals only")
        return getattr(self, measure)[i]

    @property
    def totals(self) -> dict[str, float]:
        return {
            "inflow": float(self.inflow.sum()),
            "wins": float(self.wins.sum()),
            "bookings": float(self.bookings.sum()),
            "revenue": float(self.revenue.sum()),
        }

    @property
    def required_inflow_per_month(self) -> float:
        """Mean monthly inflow over the horizon (the plan's constant inflow for a total target)."""
        return float(self.inflow.mean())

    def responsibility(self) -> list[dict[str, Any]]:
        """Spec section 5: per stage with an owner, its arrivals and the conversion into it."""
        rows = []
        for i, st in enumerate(self.scenario.stages):
            if not st.owner:
                continue
            prev = self.scenario.stages[i - 1] if i else None
            rows.append(
                {
                    "division": st.owner,
                    "stage": st.key,
                    "monthly": self.arrivals[i].tolist(),
                    "total": float(self.arrivals[i].sum()),
                    "rate": float(base(prev.conversion)) if prev is not None else None,
                }
            )
        return rows

    # ----- output ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON object of spec section 5, with section 8's ``capacity``, ``economics`` and
        ``ceiling`` when the scenario has ``capacity`` or ``costs``."""
        stages: dict[str, Any] = {}
        S = len(self.stage_keys)
        for i, key in enumerate(self.stage_keys):
            if i == S - 1:
                stages[key] = {"arrivals": self.arrivals[i].tolist()}
            else:
                stages[key] = {m: self.stage_series(key, m).tolist() for m in STAGE_MEASURES}
        out = {
            "months": list(self.months),
            "inflow": self.inflow.tolist(),
            "stages": stages,
            "recycle_pool": {
                "balance": self.pool_balance.tolist(),
                "reactivated": self.reactivated.tolist(),
            },
            "wins": self.wins.tolist(),
            "bookings": self.bookings.tolist(),
            "mrr": self.mrr.tolist(),
            "revenue": self.revenue.tolist(),
            "customers": self.customers.tolist(),
            "totals": self.totals,
            "responsibility": self.responsibility(),
            "warnings": list(self.warnings),
        }
        if self.scenario.capacity is not None or self.scenario.costs is not None:
            out.update(capacity_plan(self).to_dict())
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy long table: month, stage, measure, value (stage is empty for plan-wide series,
        ``recycle_pool`` for the pool)."""
        import pandas as pd

        H = len(self.months)
        parts: list[tuple[str, str, np.ndarray]] = []
        for i, key in enumerate(self.stage_keys):
            measures = ("arrivals",) if i == len(self.stage_keys) - 1 else STAGE_MEASURES
            parts += [(key, m, self.stage_series(key, m)) for m in measures]
        parts += [("recycle_pool", "balance", self.pool_balance)]
        parts += [("recycle_pool", "reactivated", self.reactivated)]
        parts += [("", name, getattr(self, name)) for name in SERIES]
        return pd.DataFrame(
            {
                "month": np.tile(np.array(self.months, dtype=object), len(parts)),
                "stage": np.repeat([p[0] for p in parts], H),
                "measure": np.repeat([p[1] for p in parts], H),
                "value": np.concatenate([p[2] for p in parts]),
            }
        )

    def to_csv(self) -> str:
        """A wide, spreadsheet-friendly table: one row per month, one column per series."""
        cols: dict[str, list[Any]] = {"month": list(self.months)}
        for name in ("inflow",):
            cols[name] = self.inflow.tolist()
        for i, key in enumerate(self.stage_keys):
            measures = ("arrivals",) if i == len(self.stage_keys) - 1 else STAGE_MEASURES
            for m in measures:
                cols[f"{key}.{m}"] = self.stage_series(key, m).tolist()
        cols["recycle_pool.balance"] = self.pool_balance.tolist()
        cols["recycle_pool.reactivated"] = self.reactivated.tolist()
        for name in SERIES[1:]:
            cols[name] = getattr(self, name).tolist()
        header = ",".join(cols)
        lines = [header]
        for t in range(len(self.months)):
            lines.append(",".join(_csv_cell(v[t]) for v in cols.values()))
        return "\n".join(lines) + "\n"


def _csv_cell(v: Any) -> str:
    return v if isinstance(v, str) else repr(float(v))


def solve_inflow(scenario: Scenario, lv: Levers) -> tuple[np.ndarray, list[str]]:
    """The plan's monthly inflow (H,) and the solver's warnings (spec section 4)."""
    H, target = scenario.months, scenario.target
    if target is None:
        return lv.inflow[0, :H], []
    if target.total is not None:
        inflow, m0, slope = solve_total(lv, H, target.metric, target.total)
        if slope[0] <= INFEASIBLE_SLOPE:
            raise ScenarioError(
                "target",
                "cannot be reached by any inflow: no new inflow reaches a "
                f"{target.metric} within the horizon (a conversion of 0 on the path, or lags "
                "longer than the horizon)",
                code="target_no_path",
                params={"metric": target.metric},
            )
        if not np.isfinite(inflow[0]):
            raise ScenarioError(
                "target",
                f"cannot be reached by any inflow: the {target.metric} reachable within the "
                "horizon level off below the target (new inflow reaches it only through the "
                "recycle pool, whose monthly volume is capped)",
                code="target_levels_off",
                params={"metric": target.metric},
            )
        warnings = []
        X = target.total
        if m0[0] > X * (1 + REL_TOL) and m0[0] - X > REL_TOL:
            warnings.append(
                PlanWarning(
                    "already_met",
                    f"target: the opening pipeline and base already meet the target "
                    f"({target.metric} {m0[0]:.3f} >= {X:.3f}); no new inflow is needed",
                    {"metric": target.metric, "reached": float(m0[0]), "target": float(X)},
                )
            )
        return np.full(H, inflow[0]), warnings
    inflow, _, _ = solve_monthly(lv, H, target.metric, np.array(target.monthly))
    if not np.isfinite(inflow[0]).all():
        raise ScenarioError(
            "target",
            "cannot be reached by any inflow: new inflow does not reach a win within the "
            "horizon and lead time (a conversion of 0 on the path)",
            code="target_no_path_monthly",
            params={"metric": target.metric},
        )
    return inflow[0], []


def run_plan(scenario: Scenario, pick: str = "base") -> Plan:
    """Solve the scenario's inflow (if it has a target) and project it forward.

    ``pick`` evaluates every ranged parameter at its ``base`` (the plan), ``low``, ``high``,
    ``pessimistic`` or ``optimistic`` end (spec section 6's bands).
    """
    lv = build_levers(scenario, pick=pick)
    inflow, warnings = solve_inflow(scenario, lv)
    lv = lv.with_inflow(inflow[None, :])
    flows = simulate(lv, scenario.months)
    cash = money(flows.wins, lv)
    target = scenario.target
    if target is not None and target.monthly is not None:
        warnings += _lead_time_warnings(scenario, lv, flows)
        warnings += _fit_warnings(scenario, lv, flows)
    warnings += _volume_warnings(scenario, lv, flows)
    return make_plan(scenario, flows, cash, lv, warnings)


def project(scenario: Scenario, inflow: np.ndarray, pick: str = "base") -> Plan:
    """The scenario run forward with a given monthly ``inflow`` (H,), its target ignored."""
    lv = build_levers(scenario, pick=pick).with_inflow(np.asarray(inflow, dtype=float)[None, :])
    flows = simulate(lv, scenario.months)
    return make_plan(scenario, flows, money(flows.wins, lv), lv, [])


def _volume_warnings(scenario: Scenario, lv: Levers, flows: Flows) -> list[str]:
    """A fixed recycle volume the pool cannot supply: R(t) = min(volume(t), P) falls below the
    volume (by more than 1% of it and half an item) from some month on. One warning: the first
    such month and the reactivations planned and supplied over the horizon."""
    if lv.volume is None:
        return []
    H = scenario.months
    planned = lv.volume[0, :H]
    got = flows.reactivated[0]
    short = (planned - got > 0.01 * planned) & (planned - got > 0.5)
    if not short.any():
        return []
    t = int(np.argmax(short))
    total, supplied = float(planned.sum()), float(got.sum())
    return [
        PlanWarning(
            "volume_short",
            f"recycle.volume: the pool runs dry from month {t}; {supplied:.3f} of the "
            f"{total:.3f} planned reactivations happen over the horizon",
            {"month": t, "label": scenario.month_labels[t], "planned": total, "supplied": supplied},
        )  # fmt: skip
    ]


def _lead_time_warnings(scenario: Scenario, lv: Levers, flows: Flows) -> list[str]:
    """``month t: within lead time, short by N wins`` for months t < D that fall short."""
    assert scenario.target is not None and scenario.target.monthly is not None
    D = int(np.floor(lv.lag[0]).sum())
    div = float(lv.size[0]) if scenario.target.metric == "bookings" else 1.0
    out = []
    for t in range(min(D, scenario.months)):
        want = scenario.target.monthly[t] / div
        short = want - float(flows.wins[0, t])
        if short > 1e-9 * max(1.0, abs(want)):
            out.append(
                PlanWarning(
                    "lead_time_short",
                    f"month {t}: within lead time, short by {short:.3f} wins",
                    {"month": t, "label": scenario.month_labels[t], "short": float(short)},
                )
            )
    return out


FIT_REL, FIT_ABS = 0.01, 0.5  # a reachable month is off target beyond both of these


def _fit_warnings(scenario: Scenario, lv: Levers, flows: Flows) -> list[str]:
    """``month t: N wins short of the target`` / ``over the target`` for months D ≤ t < H whose
    wins differ from the target by more than 1% and more than 0.5 wins (spec section 4).

    The params say why, for a page to word it: ``opening`` where the opening pipeline and pool
    alone already win more than the target that month; ``lead_time`` before Σ ceil(lag) months,
    which new inflow reaches only in part (fractional lead times); else ``steady`` (the target
    moves faster than a steady inflow follows, so the solve trades a month against its
    neighbours)."""
    assert scenario.target is not None and scenario.target.monthly is not None
    H = scenario.months
    D = int(np.floor(lv.lag[0]).sum())
    div = float(lv.size[0]) if scenario.target.metric == "bookings" else 1.0
    full = int(np.ceil(lv.lag[0]).sum())  # from then on a month's inflow is fully won
    opening = None
    out = []
    for t in range(D, H):
        want = scenario.target.monthly[t] / div
        got = float(flows.wins[0, t])
        diff = got - want
        if not (abs(diff) > FIT_REL * abs(want) and abs(diff) > FIT_ABS):
            continue
        if opening is None:
            zero = lv.with_inflow(np.zeros((1, H)))
            opening = simulate(zero, H).wins[0]
        over = diff > 0
        if over and float(opening[t]) > want:
            cause = "opening"
        elif t < full:
            cause = "lead_time"
        else:
            cause = "steady"
        word = "over" if over else "short of"
        out.append(
            PlanWarning(
                "month_over" if over else "month_short",
                f"month {t}: {abs(diff):.3f} wins {word} the target",
                {
                    "month": t,
                    "label": scenario.month_labels[t],
                    "wins": abs(float(diff)),
                    "cause": cause,
                },
            )  # fmt: skip
        )
    return out


def make_plan(
    scenario: Scenario, flows: Flows, cash: Money, lv: Levers, warnings: list[str], row: int = 0
) -> Plan:
    """Assemble the plan of one batch row."""
    resolved = flows.resolved[row]
    arrivals = flows.arrivals[row]
    c, d, rc = lv.conversion[row][:, None], lv.disqualify[row][:, None], lv.recycle[row][:, None]
    stock = lv.opening[row][:, None] + np.cumsum(arrivals[:-1] - resolved, axis=1)
    return Plan(
        scenario=scenario,
        months=scenario.month_labels,
        inflow=_frozen(lv.inflow[row, : scenario.months]),
        arrivals=_frozen(arrivals),
        stock=_frozen(stock),
        converted=_frozen(c * resolved),
        disqualified=_frozen(d * resolved),
        recycled=_frozen(rc * resolved),
        lost=_frozen((1.0 - c - d - rc) * resolved),
        pool_balance=_frozen(flows.pool_balance[row]),
        reactivated=_frozen(flows.reactivated[row]),
        wins=_frozen(flows.wins[row]),
        bookings=_frozen(cash.bookings[row]),
        mrr=_frozen(cash.mrr[row]),
        revenue=_frozen(cash.revenue[row]),
        customers=_frozen(cash.customers[row]),
        warnings=tuple(warnings),
    )
