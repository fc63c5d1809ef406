"""Chart builders (ui/charts.py): the data they chart and their encodings."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from ui import charts


def test_funnel_bars_are_centred_with_conversion_labels():
    df = charts.funnel_frame(
        ["Leads", "Opportunities", "Won"], [1000, 300, 75], ["1,000", "300", "75"],
        ["↓ 30.0%", "↓ 25.0%", ""],
    )  # fmt: skip
    assert df["x"].tolist() == [-500, -150, -37.5]
    assert df["x2"].tolist() == [500, 150, 37.5]
    assert df["conversion_text"].tolist() == ["↓ 30.0%", "↓ 25.0%", ""]
    spec = charts.funnel_chart(df, "Arrivals", "Conversion").to_dict()
    bars, inside, beside, conv = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "x" and bars["encoding"]["x2"]["field"] == "x2"
    assert bars["encoding"]["y"]["sort"] == ["Leads", "Opportunities", "Won"]
    assert conv["encoding"]["text"]["field"] == "conversion_text"
    # labels inside the wide bars (white), beside the narrow ones (dark, right-aligned)
    assert inside["encoding"]["text"]["field"] == beside["encoding"]["text"]["field"] == "label"
    assert inside["mark"]["color"] == "white" and beside["mark"]["align"] == "right"
    assert beside["encoding"]["x"]["field"] == "x"
    assert [f["filter"] for f in (inside["transform"][0], beside["transform"][0])] == [
        "datum.fits",
        "!(datum.fits)",
    ]
    rows = spec["datasets"][spec["data"]["name"]]
    assert [r["fits"] for r in rows] == [True, False, False]


def test_a_funnel_label_goes_beside_a_bar_too_narrow_for_it_at_1024_px():
    """On the sample "Opportunities 15,563" ran out of a bar a quarter of the widest one and
    read "pportunities 15,56" at a projector's 1024 px; a short label stays inside."""
    n = [59_824, 15_563]
    wide = charts.funnel_frame(["Leads", "Opportunities"], n, ["59,824", "15,563"], ["", ""])
    rows = charts.funnel_chart(wide, "Arrivals", "Conversion").to_dict()
    fits = [r["fits"] for r in rows["datasets"][rows["data"]["name"]]]
    assert fits == [True, False]
    short = charts.funnel_frame(["Leads", "Opps"], [59_824, 40_000], ["59,824", "4万"], ["", ""])
    rows = charts.funnel_chart(short, "Arrivals", "Conversion").to_dict()
    assert [r["fits"] for r in rows["datasets"][rows["data"]["name"]]] == [True, True]
    assert charts._text_px("商談") == 2 * 13 and charts._text_px("ab") < 2 * 13


def test_fan_chart_layers_bands_and_median():
    df = pd.DataFrame(
        {"month": ["Apr 26", "May 26"], "p10": [1, 2], "p25": [2, 3], "p50": [3, 4],
         "p75": [4, 5], "p90": [5, 6]}
    )  # fmt: skip
    for p in (10, 25, 50, 75, 90):
        df[f"p{p}_text"] = df[f"p{p}"].astype(str)
    spec = charts.fan_chart(df, "Revenue", None, {f"p{p}": f"P{p}" for p in (10, 25, 50, 75, 90)})
    layers = spec.to_dict()["layer"]
    assert [lay["mark"]["type"] for lay in layers] == ["area", "area", "line"]
    assert (layers[0]["encoding"]["y"]["field"], layers[0]["encoding"]["y2"]["field"]) == (
        "p10", "p90",
    )  # fmt: skip
    assert (layers[1]["encoding"]["y"]["field"], layers[1]["encoding"]["y2"]["field"]) == (
        "p25", "p75",
    )  # fmt: skip
    assert layers[2]["encoding"]["y"]["field"] == "p50"
    assert layers[0]["encoding"]["x"]["sort"] == ["Apr 26", "May 26"]


def test_tornado_sorted_by_span_low_high():
    df = charts.tornado_frame(
        ["a", "b", "c"], [-1.0, 5.0, -10.0], [2.0, -3.0, 8.0], ["", "", ""], ["", "", ""],
        [False, True, False],
    )  # fmt: skip
    assert df["name"].tolist() == ["c", "b", "a"]
    assert df["low"].tolist() == [-10.0, -3.0, -1.0]
    assert df["high"].tolist() == [8.0, 5.0, 2.0]


def test_tornado_draws_both_ends_of_every_row():
    """v1 drew one bar from the smaller to the larger effect: a row whose two ends move the
    same way (or a lag, whose low end helps) did not say which end did what. Each row now has
    a bar per end, from 0, coloured by the end, the bottleneck's outlined."""
    df = charts.tornado_frame(
        ["a", "b"], [-1.0, 5.0], [2.0, 3.0], ["-1", "+5"], ["+2", "+3"], [False, True],
        ["10%", "2 months"], ["12%", "3 months"],
    )  # fmt: skip
    titles = {"down": "Low end", "up": "High end", "at": "At", "effect": "Effect"}
    bars = charts.tornado_bars(df, titles)
    assert bars[["name", "end", "value", "at", "text"]].values.tolist() == [
        ["b", "Low end", 5.0, "2 months", "+5"],
        ["b", "High end", 3.0, "3 months", "+3"],
        ["a", "Low end", -1.0, "10%", "-1"],
        ["a", "High end", 2.0, "12%", "+2"],
    ]
    spec = charts.tornado_chart(df, "x", None, titles).to_dict()
    layer = spec["layer"][0]
    enc = layer["encoding"]
    assert enc["x"]["field"] == "value" and enc["x2"]["field"] == "zero"
    assert enc["y"]["sort"] == ["b", "a"]
    assert enc["yOffset"]["field"] == "end"
    assert enc["color"]["field"] == "end"
    assert enc["color"]["scale"]["domain"] == ["Low end", "High end"]
    assert enc["stroke"]["field"] == "highlight"


def test_long_frame_and_stacked_charts():
    df = charts.long_frame(
        ["Apr", "May"], {"Leads": [1.0, 2.0], "Opps": [3.0, 4.0]},
        {"Leads": ["1", "2"], "Opps": ["3", "4"]},
    )  # fmt: skip
    assert df.shape == (4, 5)
    assert df.groupby("month", sort=False)["value"].sum().tolist() == [4.0, 6.0]
    area = charts.stacked_area_chart(df, "Stock").to_dict()
    assert area["mark"]["type"] == "area" and area["encoding"]["y"]["stack"] == "zero"
    bars = charts.stacked_bar_chart(df, "Flow").to_dict()
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["x"]["sort"] == ["Apr", "May"]
    one = charts.small_multiple(df, "Leads", "Arrivals").to_dict()
    assert one["title"]["text"] == "Leads" and "width" not in one  # as wide as its column
    assert {r["series"] for r in one["datasets"][one["data"]["name"]]} == {"Leads"}


def test_funnel_widths_go_logarithmic_when_stages_span_more_than_20x():
    """Visitors against won deals (2.2M against 4k on the sample) left the lower bars as
    hairlines; beyond a 20× span the widths are logarithmic, the smallest at 15% of the top."""
    n = [2_238_605, 58_605, 15_246, 4_004]
    df = charts.funnel_frame(["V", "L", "O", "W"], n, [f"{v:,}" for v in n], ["", "", "", ""])
    width = (df["x2"] - df["x"]).to_numpy()
    assert charts.funnel_is_logarithmic(df)
    assert width[0] == pytest.approx(n[0]) and width[-1] == pytest.approx(0.15 * n[0])
    assert all(np.diff(width) < 0)  # still ordered like the flows
    # equal ratios of flows give equal steps of width
    steps = np.diff(width) / np.diff(np.log(n))
    assert steps == pytest.approx(np.full(3, steps[0]))
    assert df["n"].tolist() == [float(v) for v in n]  # labels and tooltips keep the numbers
    narrow = charts.funnel_frame(["L", "W"], [1000, 75], ["1,000", "75"], ["", ""])
    assert not charts.funnel_is_logarithmic(narrow)
    assert (narrow["x2"] - narrow["x"]).tolist() == [1000, 75]


def test_count_axes_write_minus_like_the_money_axes():
    """d3's ',.0f' writes U+2212 (−60,000) while the money axes and ui.format write '-'; the
    sensitivity page showed both side by side."""
    axis = charts._y_axis("Inflow", None).to_dict()
    assert axis["labelExpr"] == charts.COUNT_AXIS_EXPR and "format" not in axis
    assert "'-'" in charts.COUNT_AXIS_EXPR and "abs(datum.value)" in charts.COUNT_AXIS_EXPR
    one = charts.small_multiple(
        pd.DataFrame({"month": ["m1"], "series": ["Leads"], "value": [-5.0]}), "Leads", "Leads"
    ).to_dict()
    assert one["encoding"]["y"]["axis"]["labelExpr"] == charts.COUNT_AXIS_EXPR


def test_a_spec_is_validated_once_per_shape_and_an_invalid_one_always_fails(monkeypatch):
    """Streamlit converts every chart on every rerun; Altair's schema validation was half of
    that. The builders' charts validate a spec the first time its shape (all but its data) is
    seen: the same dict as plain Altair's, and an invalid spec fails every time."""
    from altair.utils.schemapi import SchemaValidationError

    monkeypatch.setattr(charts, "_VALID_SPECS", set())
    calls = []
    df = charts.long_frame(["m1", "m2"], {"Leads": [1.0, 2.0]}, {"Leads": ["1", "2"]})
    chart = charts.line_chart(df, "Leads")
    monkeypatch.setattr(type(chart), "validate", classmethod(lambda cls, spec: calls.append(1)))
    other = charts.long_frame(["m1", "m2"], {"Leads": [3.0, 4.0]}, {"Leads": ["3", "4"]})
    assert chart.to_dict() == charts.line_chart.__wrapped__(df, "Leads").to_dict()
    charts.line_chart(other, "Leads").to_dict()  # other data, same shape
    assert len(calls) == 1
    charts.line_chart(df, "Customers").to_dict()  # another axis title: another shape
    assert len(calls) == 2
    monkeypatch.undo()
    bad = charts.line_chart(df, "Leads")
    bad["height"] = "tall"  # item assignment is not checked when made
    for _ in range(2):
        with pytest.raises(SchemaValidationError):
            bad.to_dict()


def test_churn_is_red_and_new_business_blue_on_the_customer_page():
    """Colours carry meaning: the MRR movements showed churn in green."""
    import json

    from tests.app.conftest import open_app

    at = open_app(page="pages/customers.py")
    scales = {}
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        color = spec.get("encoding", {}).get("color", {}).get("scale", {})
        scales.update(zip(color.get("domain", []), color.get("range", []), strict=False))
    assert scales["Churn"] == scales["Churned"] == charts.LOSS == "#b8433f"
    assert scales["New"] == scales["New (billed)"] == charts.GAIN
    assert scales["Expansion"] == charts.GROWTH


def test_small_multiples_reuse_one_spec_per_shape_and_draw_like_the_altair_chart(monkeypatch):
    """The arrivals charts were a fifth of a Plan rerun's CPU (Altair's to_dict on every
    rerun); their spec depends only on the series, the axis title and the months. The page gets
    the same spec as Streamlit makes of the Altair chart (its theme off), built once per shape,
    and the series' rows as the chart's data."""
    monkeypatch.setattr(charts, "_SMALL_SPECS", {})
    df = charts.long_frame(
        ["m1", "m2"],
        {"Leads": [1.0, 2.0], "Won": [3.0, 4.0]},
        {"Leads": ["1", "2"], "Won": ["3", "4"]},
    )
    data, spec = charts.small_multiple_spec(df, "Won", "Arrivals")
    # Streamlit converts an Altair chart with Altair's theme off (vega_charts.py)
    with alt.theme.enable("none"):
        plain = charts.small_multiple.__wrapped__(df, "Won", "Arrivals").to_dict()
    for k in ("data", "datasets", "$schema"):
        plain.pop(k, None)
    assert spec == plain
    assert data.select(["month", "value", "value_text"]).to_pylist() == [
        {"month": "m1", "value": 3.0, "value_text": "3"},
        {"month": "m2", "value": 4.0, "value_text": "4"},
    ]
    built = []
    monkeypatch.setattr(charts, "small_multiple", lambda *a: built.append(a) or None)
    moved = charts.long_frame(
        ["m1", "m2"],
        {"Leads": [5.0, 6.0], "Won": [7.0, 8.0]},
        {"Leads": ["5", "6"], "Won": ["7", "8"]},
    )
    data2, spec2 = charts.small_multiple_spec(moved, "Won", "Arrivals")  # a slider moved
    assert built == [] and spec2 == spec and data2["value"].to_pylist() == [7.0, 8.0]
    spec2["title"] = "changed"  # the caller's copy: the cached spec is not touched
    assert charts.small_multiple_spec(moved, "Won", "Arrivals")[1] == spec


@pytest.mark.parametrize("rows", [1, 2, 3, 10])
def test_a_short_tornado_leaves_room_for_its_rows(rows):
    """The chart's height is the whole chart's (Streamlit fits the legend and the axes inside
    it): at 140 px the per-head tornado's two rows shared some 25 px, and their labels were
    drawn over each other. About 100 px go to the legend and the axis; each row keeps 30 px."""
    df = charts.tornado_frame(
        [f"row {i}" for i in range(rows)], [-1.0] * rows, [1.0] * rows, ["-1"] * rows,
        ["+1"] * rows, [False] * rows,
    )  # fmt: skip
    titles = {"down": "Low end", "up": "High end", "at": "At", "effect": "Effect"}
    height = charts.tornado_chart(df, "x", None, titles).to_dict()["height"]
    assert height - 100 >= 30 * rows


def test_disqualified_volume_is_drawn_in_shades_of_loss_not_in_the_stages_colours():
    """Colours carry meaning: the Stages page drew disqualified opportunities in green (the
    stage palette's third colour), the colour of growth elsewhere."""
    import json

    from tests.app.conftest import open_app

    at = open_app(page="pages/stages.py")
    colours = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        if "Disqualified" in json.dumps(spec.get("encoding", {}).get("y", {})):
            colours = spec["encoding"]["color"]["scale"]["range"]
    assert colours and set(colours) <= set(charts.LOSS_SHADES)
    assert charts.GAIN not in colours and charts.GROWTH not in colours
