"""Chart builders of the data pages (AsIs metrics, backtest, sources): DataFrame in, Altair out.

Pure functions like :mod:`ui.charts`: the frames carry translated names and formatted
``*_text`` columns for tooltips; aggregation happened in DuckDB (``db.metrics``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.charts import HEIGHT, PALETTE, _month_axis, _months

OUTCOME_COLORS = {"converted": "#2f9e6e", "disqualified": "#b8433f", "recycled": "#e07b24",
                  "lost": "#9aa5b1", "open": "#c9d3de"}  # fmt: skip


def outcome_height(n_stages: int) -> int:
    """Pixel height for ``st.altair_chart(height=...)``: Streamlit's "content" height squeezes
    a chart whose rows are a nominal y, so the pages pass the plot plus axis and legend."""
    return 48 * max(1, n_stages) + 110


def bars_height(n_bars: int) -> int:
    """Pixel height of :func:`ranked_bars` with its axis (see :func:`outcome_height`)."""
    return 30 * max(1, n_bars) + 70


def outcome_frame(
    stages: list[str], shares: dict[str, list[float]], names: dict[str, str], texts: list[str]
) -> pd.DataFrame:
    """Tidy stage/outcome/share rows: ``shares[outcome]`` per stage (shares of resolved items),
    ``names[outcome]`` the translated outcome, ``texts`` the formatted shares (flattened in
    outcome-major order)."""
    rows = []
    i = 0
    for o_order, (outcome, values) in enumerate(shares.items()):
        for stage, v in zip(stages, values, strict=True):
            share = 0.0 if v is None or pd.isna(v) else float(v)
            rows.append({"stage": stage, "outcome": outcome, "name": names[outcome],
                         "order": o_order, "share": share, "share_text": texts[i]})  # fmt: skip
            i += 1
    return pd.DataFrame(rows, columns=["stage", "outcome", "name", "order", "share", "share_text"])


def outcome_chart(df: pd.DataFrame, x_title: str) -> alt.Chart:
    """One horizontal bar per stage split into its outcome shares (0..100%)."""
    order = _months(df, "stage")
    names = _months(df, "name")
    colors = [OUTCOME_COLORS.get(o, PALETTE[0]) for o in _months(df, "outcome")]
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X(
                "share:Q",
                stack="zero",
                title=x_title,
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1]),
            ),  # fmt: skip
            color=alt.Color(
                "name:N",
                sort=names,
                scale=alt.Scale(domain=names, range=colors),
                legend=alt.Legend(title=None, orient="bottom"),
            ),  # fmt: skip
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("stage:N", title=" "),
                alt.Tooltip("name:N", title=" "),
                alt.Tooltip("share_text:N", title=" "),
            ],  # fmt: skip
        )
        .properties(height=48 * max(1, len(order)))
    )


def actual_vs_planned_stage(df: pd.DataFrame, y_title: str, title: str) -> alt.Chart:
    """Backtest of one stage: the actual arrivals (solid) and the baseline's planned ones
    (dashed) per month, as one chart that takes its container's width (a facet of several
    stages has a fixed width and ran past a 1024 px window). ``df``: month, series (translated
    actual/planned), value, value_text."""
    series = _months(df, "series")
    return (
        alt.Chart(df, title=alt.Title(title, fontSize=13, anchor="middle"))
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", sort=_months(df), axis=_month_axis(None)),
            y=alt.Y("value:Q", axis=alt.Axis(title=y_title, format=",.0f")),
            color=alt.Color(
                "series:N",
                sort=series,
                scale=alt.Scale(domain=series, range=[PALETTE[0], PALETTE[1]]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),  # fmt: skip
            strokeDash=alt.StrokeDash(
                "series:N",
                sort=series,
                scale=alt.Scale(domain=series, range=[[1, 0], [5, 3]]),
                legend=None,
            ),  # fmt: skip
            tooltip=[
                alt.Tooltip("month:N", title=" "),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value_text:N", title=" "),
            ],  # fmt: skip
        )
    )


BACKTEST_HEIGHT = 320  # px of one stage's backtest chart: title, plot, month labels and legend


def ranked_bars(
    df: pd.DataFrame, value: str, text: str, x_title: str, label_expr: str | None = None
) -> alt.Chart:
    """Horizontal bars of ``value`` per ``name``, largest first, each labelled with ``text``
    (sources by bookings, ROI, win rate...). Negative values (a loss) extend left."""
    order = df.sort_values(value, ascending=False)["name"].tolist()
    axis = (
        alt.Axis(title=x_title, labelExpr=label_expr, labelOverlap=True)
        if label_expr
        else alt.Axis(title=x_title, labelOverlap=True)
    )
    base = alt.Chart(df).encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip(f"{text}:N", title=x_title)],
    )
    hi = float(df[value].max()) if len(df) else 1.0
    lo = min(0.0, float(df[value].min())) if len(df) else 0.0
    scale = alt.Scale(domain=[lo, hi * 1.25 if hi > 0 else 1.0])
    bars = base.mark_bar(color=PALETTE[0], opacity=0.85).encode(
        x=alt.X(f"{value}:Q", axis=axis, scale=scale),
        color=alt.condition(alt.datum[value] < 0, alt.value("#b8433f"), alt.value(PALETTE[0])),
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x=alt.X(f"{value}:Q", scale=scale), text=f"{text}:N"
    )
    return (bars + labels).properties(height=30 * max(1, len(df)))


def pool_chart(df: pd.DataFrame, y_title: str, legend: str | None = None) -> alt.Chart:
    """The recycle pool over the months: the observed pool as a line over the monthly flows
    into it (recycled) and out of it (reactivated) as bars. ``df`` as ``charts.long_frame``
    with the pool as the first series."""
    pool_name = _months(df, "series")[0]
    names = _months(df, "series")
    color = alt.Color("series:N", sort=names,
                      scale=alt.Scale(domain=names, range=PALETTE[: len(names)]),
                      legend=alt.Legend(title=legend, orient="bottom"))  # fmt: skip
    x = alt.X("month:O", sort=_months(df), axis=_month_axis(None))
    tooltip = [alt.Tooltip("month:N", title=" "), alt.Tooltip("series:N", title=" "),
               alt.Tooltip("value_text:N", title=" ")]  # fmt: skip
    base = alt.Chart(df)
    bars = (
        base.transform_filter(alt.datum.series != pool_name)
        .mark_bar(opacity=0.7)
        .encode(
            x=x, xOffset="series:N", y=alt.Y("value:Q", title=y_title), color=color, tooltip=tooltip
        )  # fmt: skip
    )
    line = (
        base.transform_filter(alt.datum.series == pool_name)
        .mark_line(point=True, strokeWidth=2.5)
        .encode(x=x, y=alt.Y("value:Q", title=y_title), color=color, tooltip=tooltip)
    )
    return (bars + line).properties(height=HEIGHT)
