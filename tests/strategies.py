"""Hypothesis strategies shared by the test packages: random valid scenarios (spec section 2)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

DIVISIONS = ["marketing", "inside_sales", "field_sales"]


@st.composite
def rates(draw: st.DrawFn, min_conversion: float = 0.01) -> dict[str, float]:
    """conversion, disqualify, recycle with conversion + disqualify + recycle <= 1."""
    c = draw(st.floats(min_conversion, 1.0))
    d = draw(st.floats(0.0, 1.0 - c))
    rc = draw(st.floats(0.0, max(0.0, 1.0 - c - d)))
    return {"conversion": c, "disqualify": d, "recycle": rc}


lags = st.one_of(st.just(0.0), st.integers(0, 4).map(float), st.floats(0.0, 5.0))


@st.composite
def scenarios(
    draw: st.DrawFn,
    target: str | None = "any",
    volume: bool | None = None,
    max_months: int = 30,
    max_stages: int = 6,
) -> dict[str, Any]:
    """A random valid scenario dict. ``target``: None (forward), "total", "monthly" or "any"."""
    n = draw(st.integers(2, max_stages))
    months = draw(st.integers(1, max_months))
    stages = []
    for i in range(n):
        st_: dict[str, Any] = {"key": f"s{i}", "owner": DIVISIONS[min(i, 2)]}
        if i < n - 1:
            st_.update(draw(rates()))
            st_["lag"] = draw(lags)
        stages.append(st_)
    keys = [s["key"] for s in stages]
    opening = {k: draw(st.floats(0, 500)) for k in keys[:-1] if draw(st.booleans())}
    use_volume = draw(st.booleans()) if volume is None else volume
    recycle: dict[str, Any] = {
        "reentry": draw(st.sampled_from(keys[:-1])),
        "expiry": draw(st.floats(0, 0.5)),
        "opening": draw(st.floats(0, 800)),
    }
    if use_volume:
        recycle["volume"] = draw(
            st.one_of(
                st.floats(0, 200), st.lists(st.floats(0, 200), min_size=months, max_size=months)
            )
        )
    else:
        recycle["reactivation"] = draw(st.floats(0, 0.5))
    subscription = draw(st.booleans())
    scenario: dict[str, Any] = {
        "schema": 1,
        "start": "2027-04",
        "months": months,
        "stages": stages,
        "opening": opening,
        "recycle": recycle,
        "deal": {
            "size": draw(st.floats(1000, 5e6)),
            "revenue": "subscription" if subscription else "one_time",
            "onboarding_months": draw(st.integers(0, 3)),
        },
        "customers": {
            "opening_count": draw(st.floats(0, 300)),
            "opening_mrr": draw(st.floats(0, 3e7)),
            "renewal_rate": draw(st.floats(0.0, 1.0)),
            "expansion_rate": draw(st.floats(0.0, 0.5)),
        },
        "inflow": draw(
            st.one_of(
                st.floats(0, 5000), st.lists(st.floats(0, 5000), min_size=months, max_size=months)
            )
        ),
    }
    kind = draw(st.sampled_from([None, "total", "monthly"])) if target == "any" else target
    if kind == "total":
        metric = draw(st.sampled_from(["wins", "bookings", "revenue"]))
        scale = {"wins": 1.0, "bookings": 1e6, "revenue": 1e6}[metric]
        scenario["target"] = {"metric": metric, "total": draw(st.floats(1, 5000)) * scale}
    elif kind == "monthly":
        metric = draw(st.sampled_from(["wins", "bookings"]))
        scale = 1.0 if metric == "wins" else 1e6
        scenario["target"] = {
            "metric": metric,
            "monthly": draw(
                st.one_of(
                    st.floats(0.5, 100).map(lambda x: x * scale),
                    st.lists(
                        st.floats(0, 100).map(lambda x: x * scale),
                        min_size=months,
                        max_size=months,
                    ),
                )
            ),
        }
    return scenario


@st.composite
def ranged_scenarios(draw: st.DrawFn, target: str | None = "any", **kw: Any) -> dict[str, Any]:
    """A random valid scenario whose conversions, lags and deal size may be ranges."""
    data = draw(scenarios(target=target, **kw))
    for stage in data["stages"][:-1]:
        if draw(st.booleans()):
            c = stage["conversion"]
            room = 1.0 - c - stage["disqualify"] - stage["recycle"]
            low = c * draw(st.floats(0.5, 1.0))
            high = c + room * draw(st.floats(0.0, 1.0))
            stage["conversion"] = {"low": low, "base": c, "high": min(high, 1.0)}
        if draw(st.booleans()):
            lag = stage["lag"]
            stage["lag"] = {"low": lag * 0.8, "base": lag, "high": min(60.0, lag * 1.5 + 0.5)}
    if draw(st.booleans()):
        size = data["deal"]["size"]
        data["deal"]["size"] = {"low": size * 0.7, "base": size, "high": size * 1.2}
    return data


ALL_DIVISIONS = ["marketing", "inside_sales", "field_sales", "customer_success"]


@st.composite
def capacities(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """Spec section 8's ``capacity`` for a scenario dict: up to four divisions, each working a
    non-terminal stage (by arrivals or stock) or the customers, with planned heads (a number or a
    list), ramp, hiring lead time, attrition and cost; ``per_head`` sometimes a range."""
    keys = [s["key"] for s in data["stages"]]
    months = data["months"]
    divisions = draw(st.lists(st.sampled_from(ALL_DIVISIONS), unique=True, max_size=4))
    out: dict[str, Any] = {}
    for division in divisions:
        per_head = draw(st.floats(0.5, 300))
        spec: dict[str, Any] = {
            "works": draw(st.sampled_from(keys[:-1] + ["customers"])),
            "per_head": per_head,
        }
        if draw(st.booleans()):
            spec["basis"] = draw(st.sampled_from(["arrivals", "stock"]))
        if draw(st.booleans()):
            spec["per_head"] = {"low": per_head * 0.8, "base": per_head, "high": per_head * 1.3}
        heads = draw(
            st.one_of(
                st.just(0.0),
                st.floats(0, 40),
                st.lists(st.floats(0, 40), min_size=months, max_size=months),
            )
        )
        spec["heads"] = heads
        for name in ("ramp_months", "hiring_months"):
            if draw(st.booleans()):
                spec[name] = draw(st.integers(0, 5))
        if draw(st.booleans()):
            spec["attrition"] = draw(st.one_of(st.just(0.0), st.floats(0.0, 0.95)))
        if draw(st.booleans()):
            spec["cost_per_head"] = draw(st.floats(0, 1e6))
        out[division] = spec
    return out


@st.composite
def capacity_scenarios(
    draw: st.DrawFn, target: str | None = "any", costs: bool | None = None, **kw: Any
) -> dict[str, Any]:
    """A random valid scenario (:func:`scenarios`, drawn exactly as it draws) with spec section 8's
    ``capacity`` (:func:`capacities`) and, when ``costs`` is True (or drawn so when None),
    ``costs``: per inflow, per arrival into some stages, fixed per month."""
    data = draw(scenarios(target=target, **kw))
    data["capacity"] = draw(capacities(data))
    if costs if costs is not None else draw(st.booleans()):
        keys = [s["key"] for s in data["stages"]]
        chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
        data["costs"] = {
            "per_inflow": draw(st.floats(0, 100)),
            "per_arrival": {k: draw(st.floats(0, 1e4)) for k in chosen},
            "fixed_monthly": draw(st.floats(0, 1e7)),
        }
    return data
