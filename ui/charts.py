"""Chart builders: a DataFrame in, an Altair chart out. Pure (no streamlit), unit-tested.

Every builder takes text already translated and numbers already formatted for tooltips (the
``*_text`` columns), so the charts follow the language the page was drawn in. Months are
ordinal, in the order given.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pyarrow as pa
from altair.utils.schemapi import SchemaValidationError

HEIGHT = 300
PALETTE = ["#1f5aa6", "#e07b24", "#2f9e6e", "#b8433f", "#7d5ba6", "#8c6d31", "#d45d9e", "#5f6b7a"]
HIGHLIGHT = "#d1495b"
# colours that mean something: what comes in, what grows, what is lost (churn was green)
GAIN, GROWTH, LOSS = PALETTE[0], PALETTE[2], PALETTE[3]
MUTED = "#9aa5b1"
# shades of LOSS, darkest first, for a chart whose every series is a loss (disqualified per stage)
LOSS_SHADES = ["#8c2d2a", LOSS, "#d9776f", "#e8a29c", "#f2c9c5", "#6b1f1d", "#c75a54", "#f7dedb"]


# ----- validated once ------------------------------------------------------------------------
_VALID_SPECS: set[int] = set()  # hashes of the specs (less their data) that passed validation
_CHECKED: dict[type, type] = {}
F = TypeVar("F", bound=Callable[..., Any])


class _ValidatedOnce:
    """A chart whose ``to_dict`` validates each distinct spec once per process.

    Streamlit calls ``to_dict()`` on every rerun, and Altair's jsonschema validation of the
    whole spec was half of a chart's conversion: about 12% of a Plan rerun's CPU, the largest
    share after Streamlit's own widgets (bench/bench_load.py). Between reruns a spec usually
    differs only in its data (a named dataset, or inline values), which decides nothing about
    its validity: a spec is validated as before, with the same error, the first time its shape
    is seen, and not again. A spec whose shape changes (new labels, a new domain) is validated.
    """

    def to_dict(self, validate: bool = True, **kwargs: Any) -> dict[str, Any]:
        spec = super().to_dict(False, **kwargs)  # type: ignore[misc]
        if not validate or kwargs.get("format", "vega-lite") != "vega-lite":
            return spec
        checked = {k: v for k, v in spec.items() if k != "$schema"}  # as Altair validates it
        shape = {k: v for k, v in checked.items() if k not in ("data", "datasets")}
        key = hash(json.dumps(shape, sort_keys=True, default=str))
        if key not in _VALID_SPECS:
            try:
                self.validate(checked)  # type: ignore[attr-defined]
            except jsonschema.ValidationError as err:
                raise SchemaValidationError(self, err) from None  # type: ignore[arg-type]
            if len(_VALID_SPECS) >= 10_000:
                _VALID_SPECS.clear()
            _VALID_SPECS.add(key)
        return spec


def _validated_once(builder: F) -> F:
    """A chart builder whose chart is :class:`_ValidatedOnce` (the same Altair class beneath,
    named and placed as Altair's own: Streamlit recognises a chart by its class's path)."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        chart = builder(*args, **kwargs)
        base = type(chart)
        if base not in _CHECKED:
            ns = {"__module__": base.__module__, "__qualname__": base.__qualname__}
            _CHECKED[base] = type(base.__name__, (_ValidatedOnce, base), ns)
        object.__setattr__(chart, "__class__", _CHECKED[base])  # Altair's own keeps attributes
        return chart

    return build  # type: ignore[return-value]


def _months(df: pd.DataFrame, col: str = "month") -> list[str]:
    return list(dict.fromkeys(df[col].tolist()))


def _month_axis(title: str | None) -> alt.Axis:
    return alt.Axis(title=title, labelAngle=-40, labelOverlap=True)


COUNT_AXIS_EXPR = "(datum.value < 0 ? '-' : '') + format(abs(datum.value), ',.0f')"
"""Counts with the same ASCII minus as the money axes and ui.format (d3's ',.0f' writes U+2212)."""


def _y_axis(title: str, label_expr: str | None) -> alt.Axis:
    return alt.Axis(title=title, labelExpr=label_expr or COUNT_AXIS_EXPR, labelOverlap=True)


# ----- funnel ---------------------------------------------------------------------------------
LOG_FUNNEL_ABOVE = 20.0  # largest / smallest stage beyond which bar widths go logarithmic


def funnel_frame(
    stages: list[str], totals: list[float], totals_text: list[str], conversion_text: list[str]
) -> pd.DataFrame:
    """One row per stage, top first: bars centred on 0 from ``x = -w/2`` to ``x2 = w/2``.

    The width w is the stage's flow n. When the largest flow is more than 20× the smallest
    (visitors against won deals), w is logarithmic instead: the smallest stage gets 15% of the
    largest's width and each tenfold more a fixed step, so every stage stays visible and
    readable; the labels carry the numbers. ``conversion_text`` is the label of the conversion
    *into the next stage* ("" for the last).
    """
    df = pd.DataFrame(
        {
            "stage": stages,
            "order": range(len(stages)),
            "n": [float(v) for v in totals],
            "n_text": totals_text,
            "conversion_text": conversion_text,
        }
    )
    df["width"] = df["n"]
    positive = df["n"][df["n"] > 0]
    if len(positive) > 1 and positive.max() > LOG_FUNNEL_ABOVE * positive.min():
        top, low = float(positive.max()), float(positive.min())
        share = np.log(df["n"].clip(lower=low) / low) / np.log(top / low)
        df["width"] = np.where(df["n"] > 0, top * (0.15 + 0.85 * share), 0.0)
    df["x"] = -df["width"] / 2
    df["x2"] = df["width"] / 2
    df["label"] = df["stage"] + "  " + df["n_text"]
    return df


def funnel_is_logarithmic(df: pd.DataFrame) -> bool:
    """Whether :func:`funnel_frame` drew this funnel's widths on a logarithmic scale."""
    return bool((df["width"] != df["n"]).any())


FUNNEL_MIN_PX = 540  # the funnel chart's width on the narrowest page the app is made for


def _text_px(text: str, size: float = 13) -> float:
    """About how wide ``text`` is in bold at ``size`` px: CJK characters a full em, others
    0.62 em (Noto Sans, the app's font)."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.62 * size for c in text)


@_validated_once
def funnel_chart(df: pd.DataFrame, value_title: str, conversion_title: str) -> alt.LayerChart:
    """Horizontal bars centred on zero (width = flow of the stage), each labelled with its flow,
    and the conversion to the next stage written to the right."""
    order = df["stage"].tolist()
    half = float(df["width"].max()) / 2 if len(df) else 1.0
    y = alt.Y("stage:N", sort=order, axis=None)
    tooltip = [
        alt.Tooltip("stage:N", title=" "),
        alt.Tooltip("n_text:N", title=value_title),
        alt.Tooltip("conversion_text:N", title=conversion_title),
    ]
    base = alt.Chart()  # the data goes on the layer: Altair hashes each layer's own data
    bars = base.mark_bar(color=PALETTE[0], opacity=0.85, height={"band": 0.8}).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-half * 1.3, half * 1.9])),
        x2=alt.X2("x2:Q"),
        y=y,
        tooltip=tooltip,
    )
    # the label inside a bar wide enough for it (white), else to the bar's left (dark); "wide
    # enough" at the narrowest page (a projector's 1024 px): "Opportunities 15,563" ran out of a
    # bar a third of the widest one and read "pportunities 15,56"
    per_px = 3.2 * half / FUNNEL_MIN_PX  # the x domain spans 3.2 half-widths
    need = [(_text_px(str(label)) + 16) * per_px for label in df["label"]]
    df = df.assign(fits=df["width"].to_numpy() > np.array(need))
    wide = "datum.fits"
    inside = (
        base.transform_filter(wide)
        .mark_text(align="center", baseline="middle", fontSize=13, fontWeight="bold", color="white")
        .encode(x=alt.XDatum(0), y=y, text=alt.Text("label:N"))
    )
    beside = (
        base.transform_filter(f"!({wide})")
        .mark_text(
            align="right", baseline="middle", dx=-8, fontSize=13, fontWeight="bold", color="#102a43"
        )
        .encode(x=alt.X("x:Q"), y=y, text=alt.Text("label:N"))
    )
    conv = base.mark_text(
        align="left", baseline="top", dx=8, dy=14, fontSize=12, color="#486581"
    ).encode(x=alt.XDatum(half * 1.0), y=y, text=alt.Text("conversion_text:N"))
    return alt.layer(bars, inside, beside, conv, data=df).properties(height=max(160, 70 * len(df)))


# ----- fan chart ------------------------------------------------------------------------------
@_validated_once
def fan_chart(
    df: pd.DataFrame, y_title: str, label_expr: str | None, band_titles: dict[str, str]
) -> alt.LayerChart:
    """Monte Carlo fan: P10–P90 and P25–P75 as layered areas, the median as a line.

    ``df`` has ``month`` (display label), ``p10``..``p90`` and ``*_text`` tooltip columns.
    """
    months = _months(df)
    x = alt.X("month:O", sort=months, axis=_month_axis(None))
    tooltip = [alt.Tooltip("month:N", title=" ")] + [
        alt.Tooltip(f"p{p}_text:N", title=band_titles[f"p{p}"]) for p in (90, 75, 50, 25, 10)
    ]
    base = alt.Chart().encode(x=x, tooltip=tooltip)  # the data goes on the layer
    outer = base.mark_area(opacity=0.22, color=PALETTE[0]).encode(
        y=alt.Y("p10:Q", axis=_y_axis(y_title, label_expr)), y2=alt.Y2("p90:Q")
    )
    inner = base.mark_area(opacity=0.38, color=PALETTE[0]).encode(
        y=alt.Y("p25:Q"), y2=alt.Y2("p75:Q")
    )
    median = base.mark_line(color=PALETTE[0], strokeWidth=2.5, point=True).encode(y=alt.Y("p50:Q"))
    return alt.layer(outer, inner, median, data=df).properties(height=HEIGHT)


# ----- tornado ----------------------------------------------------------------------------------
def tornado_frame(
    names: list[str],
    down: list[float],
    up: list[float],
    down_text: list[str],
    up_text: list[str],
    highlight: list[bool],
    down_at: list[str] | None = None,
    up_at: list[str] | None = None,
) -> pd.DataFrame:
    """One row per parameter: its two effects (``down``: moved to its low end or down a step,
    ``up``: to its high end or up), their text and the parameter's value at each end
    (``*_at``); ``low``/``high`` the extent of the bars around 0, ``span`` the larger absolute
    effect; sorted by span (ties keep their order)."""
    df = pd.DataFrame(
        {
            "name": names,
            "down": [float(v) for v in down],
            "up": [float(v) for v in up],
            "down_text": down_text,
            "up_text": up_text,
            "down_at": down_at if down_at is not None else [""] * len(names),
            "up_at": up_at if up_at is not None else [""] * len(names),
            "highlight": highlight,
        }
    )
    df["low"] = df[["down", "up"]].min(axis=1).clip(upper=0.0)
    df["high"] = df[["down", "up"]].max(axis=1).clip(lower=0.0)
    df["span"] = df[["down", "up"]].abs().max(axis=1)
    return df.sort_values("span", ascending=False, kind="stable").reset_index(drop=True)


def tornado_bars(df: pd.DataFrame, titles: dict[str, str]) -> pd.DataFrame:
    """The two bars of each row of :func:`tornado_frame`: ``end`` (``titles["down"]`` or
    ``titles["up"]``), ``value`` (the effect, from 0), its text and the parameter's value there."""
    rows = []
    for r in df.itertuples(index=False):
        for side in ("down", "up"):
            rows.append(
                {
                    "name": r.name,
                    "end": titles[side],
                    "value": getattr(r, side),
                    "zero": 0.0,
                    "text": getattr(r, f"{side}_text"),
                    "at": getattr(r, f"{side}_at"),
                    "highlight": bool(r.highlight),
                }
            )
    return pd.DataFrame(rows, columns=["name", "end", "value", "zero", "text", "at", "highlight"])


@_validated_once
def tornado_chart(
    df: pd.DataFrame, x_title: str, label_expr: str | None, titles: dict[str, str]
) -> alt.LayerChart:
    """Two bars per parameter from 0: its low end (or step down) and its high end (or step up),
    in two colours with a legend; largest change on top; the bottleneck's bars outlined in the
    highlight colour. ``titles``: ``down``, ``up`` (the two ends), ``at``, ``effect``."""
    order = df["name"].tolist()
    ends = [titles["down"], titles["up"]]
    bars_df = tornado_bars(df, titles)
    y = alt.Y("name:N", sort=order, axis=alt.Axis(title=None, labelLimit=260, labelOverlap=False))
    bars = (
        alt.Chart()  # the data goes on the layer
        .mark_bar(height={"band": 0.9}, strokeWidth=2)
        .encode(
            x=alt.X("value:Q", axis=_y_axis(x_title, label_expr)),
            x2=alt.X2("zero:Q"),
            y=y,
            yOffset=alt.YOffset("end:N", sort=ends),
            color=alt.Color(
                "end:N",
                sort=ends,
                scale=alt.Scale(domain=ends, range=["#9cc3e6", PALETTE[0]]),
                legend=alt.Legend(title=None, orient="top", labelLimit=320),
            ),
            stroke=alt.Stroke(
                "highlight:N",
                scale=alt.Scale(domain=[True, False], range=[HIGHLIGHT, "transparent"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("name:N", title=" "),
                alt.Tooltip("end:N", title=" "),
                alt.Tooltip("at:N", title=titles.get("at", "")),
                alt.Tooltip("text:N", title=titles.get("effect", "")),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#334e68").encode(x=alt.X("x:Q"))
    # the height is the whole chart's (legend and axis inside, some 100 px): at 40 px a row plus
    # 40 with 140 at least, the per-head tornado's two rows shared 25 px, their labels overlaid
    return alt.layer(bars, zero, data=bars_df).properties(height=34 * len(df) + 110)


# ----- series over time ---------------------------------------------------------------------------
def long_frame(
    months: list[str], series: dict[str, list[float]], texts: dict[str, list[str]]
) -> pd.DataFrame:
    """Tidy month/series/value/value_text rows from one list per series (in series order)."""
    rows = []
    for order, (name, values) in enumerate(series.items()):
        for m, v, t in zip(months, values, texts[name], strict=True):
            rows.append(
                {"month": m, "series": name, "order": order, "value": float(v), "value_text": t}
            )
    return pd.DataFrame(rows, columns=["month", "series", "order", "value", "value_text"])


def _series_color(
    df: pd.DataFrame, title: str | None, colors: list[str] | None = None
) -> alt.Color:
    names = _months(df, "series")
    return alt.Color(
        "series:N",
        sort=names,
        scale=alt.Scale(domain=names, range=colors or PALETTE[: max(1, len(names))]),
        legend=alt.Legend(title=title, orient="bottom", labelLimit=260),
    )


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("month:N", title=" "),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("value_text:N", title=" "),
    ]


def stacked_area_chart(
    df: pd.DataFrame, y_title: str, label_expr: str | None = None, legend: str | None = None
) -> alt.Chart:
    """Stacked areas of ``value`` per ``series`` over ``month`` (stock per stage)."""
    return _stacked(
        alt.Chart(df).mark_area(opacity=0.8, line=True), df, y_title, label_expr, legend
    )


def stacked_bar_chart(
    df: pd.DataFrame,
    y_title: str,
    label_expr: str | None = None,
    legend: str | None = None,
    colors: list[str] | None = None,
) -> alt.Chart:
    """Stacked bars per month (negative values stack below zero: churn); ``colors`` one per
    series when they mean something (``GAIN``, ``GROWTH``, ``LOSS``)."""
    return _stacked(alt.Chart(df).mark_bar(), df, y_title, label_expr, legend, colors)


@_validated_once
def _stacked(
    mark: alt.Chart,
    df: pd.DataFrame,
    y_title: str,
    label_expr: str | None,
    legend: str | None,
    colors: list[str] | None = None,
) -> alt.Chart:
    """``value`` per ``series`` stacked over ``month``, in the series' ``order``."""
    return mark.encode(
        x=alt.X("month:O", sort=_months(df), axis=_month_axis(None)),
        y=alt.Y("value:Q", stack="zero", axis=_y_axis(y_title, label_expr)),
        color=_series_color(df, legend, colors),
        order=alt.Order("order:Q"),
        tooltip=_tooltip(),
    ).properties(height=HEIGHT)


@_validated_once
def line_chart(
    df: pd.DataFrame, y_title: str, label_expr: str | None = None, legend: str | None = None
) -> alt.Chart:
    """One line per series over the months."""
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", sort=_months(df), axis=_month_axis(None)),
            y=alt.Y("value:Q", axis=_y_axis(y_title, label_expr)),
            color=_series_color(df, legend),
            tooltip=_tooltip(),
        )
        .properties(height=HEIGHT)
    )


def series_names(df: pd.DataFrame) -> list[str]:
    """The series of a long frame, in order."""
    return _months(df, "series")


_SMALL_SPECS: dict[tuple[Any, ...], str] = {}


def small_multiple_spec(df: pd.DataFrame, name: str, y_title: str) -> tuple[pa.Table, dict]:
    """:func:`small_multiple` as a Vega-Lite spec without its data, and the data: the page
    draws it with ``st.vega_lite_chart(data, spec)``. The spec depends only on the series' name,
    the axis title and the months, so it is built (and validated) once per such shape and
    reused: Altair's ``to_dict`` of the four arrivals charts was a fifth of a Plan rerun's CPU
    (bench/bench_load.py), while their spec stays the same as a slider moves."""
    rows = df["series"].to_numpy() == name
    # an Arrow table, not a DataFrame: Streamlit sends a chart's data as Arrow, and making and
    # converting a small DataFrame took 2 ms a chart, an Arrow table 0.1 ms
    cols = ("month", "series", "value", "value_text")
    one = pa.table({c: df[c].to_numpy()[rows] for c in cols})
    key = (name, y_title, tuple(_months(df)))
    text = _SMALL_SPECS.get(key)
    if text is None:
        spec = small_multiple(df, name, y_title).to_dict()
        for k in ("data", "datasets", "$schema"):
            spec.pop(k, None)
        # Altair's default theme sizes a view (continuousWidth 300); Streamlit draws Altair
        # charts with the theme off, and so does this spec
        view = spec.get("config", {}).get("view", {})
        for k in ("continuousWidth", "continuousHeight"):
            view.pop(k, None)
        if not view:
            spec.get("config", {}).pop("view", None)
        if not spec.get("config", True):
            spec.pop("config")
        text = json.dumps(spec)
        if len(_SMALL_SPECS) >= 1_000:
            _SMALL_SPECS.clear()
        _SMALL_SPECS[key] = text
    return one, json.loads(text)


@_validated_once
def small_multiple(df: pd.DataFrame, name: str, y_title: str) -> alt.Chart:
    """One series of a long frame as a small line chart with its own y scale and the series as
    its title (visitors and wins differ by orders of magnitude). The page lays them out in
    columns, each as wide as its column: a faceted chart has a fixed width, and two facets of
    340 px ran off the page at a projector's 1024 px."""
    one = df[df["series"] == name]
    return (
        alt.Chart(one, title=alt.TitleParams(name, fontSize=13, anchor="middle"))
        .mark_line(point=True, color=PALETTE[0])
        .encode(
            x=alt.X("month:O", sort=_months(df), axis=_month_axis(None)),
            y=alt.Y("value:Q", axis=_y_axis(y_title, None)),
            tooltip=_tooltip(),
        )
        .properties(height=170)
    )


# ----- target vs projection (to date) ---------------------------------------------------------
@_validated_once
def projection_chart(
    lines: pd.DataFrame,
    band: pd.DataFrame,
    target: pd.DataFrame,
    y_title: str,
    label_expr: str | None,
    titles: dict[str, str],
) -> alt.LayerChart:
    """The metric to date, month by month: the plan and today's run-rate as lines (``lines``:
    month, series, value, value_text), the plan's P10–P90 band over the Monte Carlo draws
    (``band``: month, p10, p90, band_text) and the target (``target``: month, value,
    value_text; dashed): where the year is heading against where it must end."""
    months = _months(lines)
    x = alt.X("month:O", sort=months, axis=_month_axis(None))
    y_axis = _y_axis(y_title, label_expr)
    area = (
        alt.Chart(band)
        .mark_area(opacity=0.22, color=PALETTE[0])
        .encode(
            x=x,
            y=alt.Y("p10:Q", axis=y_axis, title=y_title),
            y2="p90:Q",
            tooltip=[alt.Tooltip("month:N", title=" "), alt.Tooltip("band_text:N", title=" ")],
        )
    )
    names = _months(lines, "series")
    drawn = (
        alt.Chart(lines)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=x,
            y=alt.Y("value:Q"),
            color=alt.Color(
                "series:N",
                sort=names,
                scale=alt.Scale(
                    domain=[*names, titles["target"]], range=[*PALETTE[: len(names)], LOSS]
                ),
                legend=alt.Legend(title=None, orient="bottom", labelLimit=320),
            ),
            tooltip=_tooltip(),
        )
    )
    goal = (
        alt.Chart(target.assign(series=titles["target"]))
        .mark_line(strokeDash=[6, 4], strokeWidth=2, color=LOSS)
        .encode(
            x=x,
            y=alt.Y("value:Q"),
            color=alt.Color("series:N", legend=None),
            tooltip=[alt.Tooltip("month:N", title=" "), alt.Tooltip("value_text:N", title=" ")],
        )
    )
    return alt.layer(area, drawn, goal).properties(height=HEIGHT)
