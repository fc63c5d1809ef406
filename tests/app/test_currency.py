"""Changing a scenario's currency (issue 12): every amount converted at the user's rate, or a
relabel chosen knowingly, or nothing at all."""

from __future__ import annotations

import copy
import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from model import parse_scenario, run_plan
from tests.app.conftest import metric, open_app
from ui import currency, state
from ui.common import Fmt
from ui.currency import convert, money_paths
from ui.i18n import translate

RATE = 0.0067


def full_draft() -> dict:
    """A scenario with an amount in every money field the schema has (a range, a list, a
    monthly bookings target, costs, capacity, notes), and counts and rates beside them."""
    return {
        "schema": 1, "name": "All amounts", "start": "2027-04", "months": 3, "currency": "JPY",
        "stages": [
            {"key": "lead", "owner": "marketing", "conversion": {"low": 0.2, "base": 0.3,
             "high": 0.4}, "disqualify": 0.1, "recycle": 0.2, "lag": 1},
            {"key": "opportunity", "owner": "inside_sales", "conversion": 0.25, "lag": 2.5},
            {"key": "won", "owner": "field_sales"},
        ],
        "opening": {"lead": 300, "opportunity": 120},
        "recycle": {"reentry": "lead", "reactivation": 0.1, "expiry": 0.02, "opening": 500,
                    "volume": [5, 6, 7]},
        "deal": {"size": {"low": 1_000_000, "base": 1_200_000, "high": 1_500_000},
                 "revenue": "subscription", "onboarding_months": 1},
        "customers": {"opening_count": 40, "opening_mrr": 9_000_000, "renewal_rate": 0.9,
                      "expansion_rate": 0.1},
        "inflow": [5000, 5100, 5200],
        "target": {"metric": "bookings", "monthly": [10_000_000, 20_000_000, 30_000_000]},
        "capacity": {
            "inside_sales": {"works": "lead", "per_head": {"low": 100, "base": 120, "high": 140},
                             "heads": 8, "ramp_months": 2, "hiring_months": 2,
                             "attrition": 0.15, "cost_per_head": 800_000},
            "customer_success": {"works": "customers", "per_head": 150, "heads": [3, 3, 4]},
        },
        "costs": {"per_inflow": 40, "per_arrival": {"lead": 6000, "opportunity": 12_000},
                  "fixed_monthly": 5_000_000},
        "notes": {
            "costs": {"per_inflow": "spend / inflow", "spend": 137_920_000.0, "months": 12},
            "reforecast": {"months_closed": 2, "chance_of_target": 0.4,
                           "actual_to_date": {"wins": 10.0, "bookings": 12_000_000.0,
                                              "revenue": 3_000_000.0},
                           "outlook": {"wins": 30.0, "bookings": 36_000_000.0,
                                       "revenue": 9_000_000.0}},
        },
    }  # fmt: skip


MONEY = {  # path -> the amount (a number, a range or a list) before conversion
    ("deal", "size"): {"low": 1_000_000, "base": 1_200_000, "high": 1_500_000},
    ("customers", "opening_mrr"): 9_000_000,
    ("target", "monthly"): [10_000_000, 20_000_000, 30_000_000],
    ("capacity", "inside_sales", "cost_per_head"): 800_000,
    ("costs", "per_inflow"): 40,
    ("costs", "per_arrival", "lead"): 6000,
    ("costs", "per_arrival", "opportunity"): 12_000,
    ("costs", "fixed_monthly"): 5_000_000,
    ("notes", "costs", "spend"): 137_920_000.0,
    ("notes", "reforecast", "actual_to_date", "bookings"): 12_000_000.0,
    ("notes", "reforecast", "actual_to_date", "revenue"): 3_000_000.0,
    ("notes", "reforecast", "outlook", "bookings"): 36_000_000.0,
    ("notes", "reforecast", "outlook", "revenue"): 9_000_000.0,
}


def value_at(data, path):
    for p in path:
        data = data[p]
    return data


def scaled(value, rate):
    if isinstance(value, dict):
        return {k: v * rate for k, v in value.items()}
    if isinstance(value, list):
        return [v * rate for v in value]
    return value * rate


def without(data: dict, paths) -> dict:
    """``data`` with the values at ``paths`` taken out (what conversion must leave alone)."""
    out = copy.deepcopy(data)
    for path in paths:
        node = out
        for p in path[:-1]:
            node = node[p]
        del node[path[-1]]
    return out


def test_the_money_fields_are_every_amount_of_the_schema():
    assert set(money_paths(full_draft())) == set(MONEY)


@pytest.mark.parametrize("path", list(MONEY), ids=lambda p: ".".join(p))
def test_each_money_field_is_scaled_by_the_rate(path):
    out = convert(full_draft(), RATE)
    assert value_at(out, path) == pytest.approx(scaled(MONEY[path], RATE), rel=1e-12)


def test_counts_rates_and_everything_else_are_untouched():
    draft = full_draft()
    out = convert(draft, RATE)
    assert without(out, MONEY) == without(draft, MONEY)
    assert out["inflow"] == [5000, 5100, 5200] and out["recycle"]["volume"] == [5, 6, 7]
    assert out["customers"]["opening_count"] == 40 and out["customers"]["expansion_rate"] == 0.1
    assert out["capacity"]["inside_sales"]["per_head"]["base"] == 120
    assert out["notes"]["reforecast"]["outlook"]["wins"] == 30.0


def test_the_draft_given_is_not_changed():
    draft = full_draft()
    convert(draft, RATE)
    assert draft == full_draft()


def test_a_count_target_is_not_converted_and_a_revenue_total_is():
    draft = full_draft()
    draft["target"] = {"metric": "wins", "total": 120}
    assert convert(draft, RATE)["target"] == {"metric": "wins", "total": 120}
    draft["target"] = {"metric": "revenue", "total": 50_000_000}
    assert convert(draft, RATE)["target"]["total"] == pytest.approx(50_000_000 * RATE)
    draft["target"] = {"metric": "wins", "monthly": [10, 10, 10]}
    assert convert(draft, RATE)["target"]["monthly"] == [10, 10, 10]


def test_the_converted_scenario_plans_the_same_wins_and_scaled_bookings():
    draft = full_draft()  # over 12 months: three are shorter than the funnel's lags
    draft.update(months=12, inflow=5000, target={"metric": "bookings", "total": 500_000_000})
    draft["recycle"]["volume"] = None
    draft["capacity"]["customer_success"]["heads"] = 3

    before = run_plan(parse_scenario(draft))
    after = run_plan(parse_scenario(convert(draft, RATE)))
    assert after.totals["wins"] == pytest.approx(before.totals["wins"], rel=1e-9)
    assert after.totals["bookings"] == pytest.approx(before.totals["bookings"] * RATE, rel=1e-9)
    assert after.totals["inflow"] == pytest.approx(before.totals["inflow"], rel=1e-9)


def test_a_sparse_scenario_converts_what_it_has():
    draft = {"start": "2027-04", "stages": [{"key": "a", "conversion": 0.5}, {"key": "b"}],
             "deal": {"size": 1000}, "capacity": None, "costs": {"per_inflow": 2}}  # fmt: skip
    out = convert(draft, 2.0)
    assert out["deal"] == {"size": 2000} and out["costs"] == {"per_inflow": 4}
    assert out["capacity"] is None


def test_round_trip_returns_the_original():
    draft = full_draft()
    back = convert(convert(draft, RATE), 1 / RATE)
    for path, value in MONEY.items():
        assert value_at(back, path) == pytest.approx(value, rel=1e-9, abs=1e-9)
    assert without(back, MONEY) == without(draft, MONEY)


@given(
    rate=hs.floats(1e-6, 1e6),
    amount=hs.floats(0, 1e15),
    low=hs.floats(0, 1),
)
def test_round_trip_property(rate, amount, low):
    draft = {"deal": {"size": {"low": amount * low, "base": amount, "high": amount * 2}},
             "customers": {"opening_mrr": amount}, "costs": {"fixed_monthly": amount}}  # fmt: skip
    back = convert(convert(draft, rate), 1 / rate)
    for path in money_paths(draft):
        expect = value_at(draft, path)
        got = value_at(back, path)
        if isinstance(expect, dict):
            for end in expect:
                assert got[end] == pytest.approx(expect[end], rel=1e-9, abs=1e-9)
        else:
            assert got == pytest.approx(expect, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("rate", [0.0, -1.0, math.nan, math.inf, -math.inf, 1e6 * 1.0001, None])
def test_a_bad_rate_is_refused(rate):
    assert currency.rate_problem(rate) is not None
    with pytest.raises(ValueError):
        convert(full_draft(), rate)


@pytest.mark.parametrize("rate", [1e-9, 0.0067, 1.0, 150.25, 1e6])
def test_a_good_rate_is_accepted(rate):
    assert currency.rate_problem(rate) is None


WHEN = dt.datetime(2026, 11, 30, 19, 45, 12, tzinfo=dt.UTC)


def test_a_conversion_is_recorded_in_the_notes():
    out = currency.change_currency(full_draft(), "USD", RATE, WHEN)
    assert out["currency"] == "USD"
    assert out["deal"]["size"]["base"] == pytest.approx(1_200_000 * RATE)
    assert out["notes"]["currency_changes"] == [
        {"from": "JPY", "to": "USD", "how": "converted", "rate": RATE,
         "when": "2026-11-30T19:45:12Z"}
    ]  # fmt: skip
    assert out["notes"]["costs"]["per_inflow"] == "spend / inflow"  # the other notes stay
    assert currency.last_change(out) == out["notes"]["currency_changes"][-1]
    back = currency.change_currency(out, "JPY", 1 / RATE, WHEN)
    assert [c["to"] for c in back["notes"]["currency_changes"]] == ["USD", "JPY"]
    assert back["deal"]["size"] == full_draft()["deal"]["size"]
    parse_scenario(back)  # notes are free-form: still a valid scenario


def test_a_relabel_keeps_the_numbers_and_says_so():
    draft = full_draft()
    out = currency.change_currency(draft, "EUR", None, WHEN)
    assert out["currency"] == "EUR"
    assert without(out, [("currency",), ("notes",)]) == without(draft, [("currency",), ("notes",)])
    assert out["notes"]["currency_changes"][-1]["how"] == "relabelled"
    assert out["notes"]["currency_changes"][-1]["rate"] is None


def test_no_recorded_change_without_one():
    assert currency.last_change(full_draft()) is None
    out = currency.change_currency(full_draft(), "USD", RATE, WHEN)
    out["currency"] = "EUR"  # changed by hand since: the record is not about this currency
    assert currency.last_change(out) is None


# ----- the dialog in the app ------------------------------------------------------------------
TARGET, NOW = "Target (Bookings)", "Bookings at today's inflow"
REQUIRED = "Visitors required per month"


def at_current_bookings(data: dict) -> float:
    fwd = {k: v for k, v in data.items() if k != "target"}
    return run_plan(parse_scenario(fwd)).totals["bookings"]


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def choose(at, code: str):
    at.selectbox(key="sidebar.currency").set_value(code).run()
    assert not at.exception, at.exception
    return at


def button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r}; have {[b.label for b in at.button]}"
    return found[0]


def test_switching_jpy_to_usd_converts_the_amounts_at_the_rate_typed(scenario_json):
    at = open_app()
    before = tiles(at)
    wins = run_plan(parse_scenario(scenario_json)).totals["wins"]
    choose(at, "USD")
    # the dialog: nothing changed yet, and no rate is made up
    assert at.session_state["scenario_json"]["currency"] == "JPY"
    rate = at.number_input(key="currency.rate.JPY.USD")
    assert rate.label == "Exchange rate: 1 JPY = ? USD" and rate.value is None
    assert button(at, "Convert every amount").disabled
    shown = at.dataframe[0].value  # the amounts that will change, before and after
    assert "¥8.5B" in shown.iloc[:, 1].tolist()
    rate.set_value(RATE).run()
    shown = at.dataframe[0].value
    row = shown[shown.iloc[:, 1] == "¥8.5B"].iloc[0]
    assert row.iloc[2] == "$57M"
    button(at, "Convert every amount").click().run()
    assert not at.exception, at.exception

    data = at.session_state["scenario_json"]
    assert data["currency"] == "USD"
    assert at.selectbox(key="sidebar.currency").value == "USD"
    assert not at.number_input  # the dialog closed
    en = Fmt("en", "USD")
    assert metric(at, TARGET).value == en.money(8.5e9 * RATE) == "$57M"
    now = at_current_bookings(scenario_json)
    assert at_current_bookings(data) == pytest.approx(now * RATE, rel=1e-9)
    assert metric(at, NOW).value == en.money(now * RATE)
    assert metric(at, REQUIRED).value == before[REQUIRED]  # counts stay
    assert run_plan(parse_scenario(data)).totals["wins"] == pytest.approx(wins, rel=1e-9)
    change = data["notes"]["currency_changes"][-1]
    assert (change["from"], change["to"], change["rate"], change["how"]) == (
        "JPY", "USD", RATE, "converted")  # fmt: skip
    assert any("1 JPY = 0.0067 USD" in c.value for c in at.sidebar.caption)
    # the baseline goes with it: comparisons with it and a reset stay in one currency
    base = at.session_state["baseline_json"]
    assert base["currency"] == "USD" and base["target"] == data["target"]
    button(at, "Reset to baseline").click().run()
    assert metric(at, TARGET).value == "$57M"


def test_cancel_leaves_everything_as_it_was():
    at = open_app()
    before, text = tiles(at), state.canonical(at.session_state["scenario_json"])
    choose(at, "USD")
    at.number_input(key="currency.rate.JPY.USD").set_value(RATE).run()
    button(at, "Cancel").click().run()
    assert not at.exception, at.exception
    assert state.canonical(at.session_state["scenario_json"]) == text
    assert at.selectbox(key="sidebar.currency").value == "JPY"
    assert not at.number_input and tiles(at) == before
    at.run()  # and the dialog stays closed
    assert not at.number_input


def test_relabel_keeps_the_numbers_and_says_what_it_does(scenario_json):
    at = open_app()
    choose(at, "EUR")
    label = "Only relabel: the amounts are already in EUR"
    warning = [c.value.replace("\\", "") for c in at.caption if "€8\\.5B" in c.value]
    assert warning and "¥8.5B" in warning[0], [c.value for c in at.caption]
    button(at, label).click().run()
    data = at.session_state["scenario_json"]
    assert data["currency"] == "EUR" and data["deal"] == scenario_json["deal"]
    assert data["target"] == scenario_json["target"]
    assert metric(at, TARGET).value == "€8.5B"
    assert data["notes"]["currency_changes"][-1]["how"] == "relabelled"
    assert any("not converted" in c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("rate", [-1.0, 0.0, 2e6])
def test_a_bad_rate_is_an_error_and_converts_nothing(rate):
    at = open_app()
    choose(at, "USD")
    at.number_input(key="currency.rate.JPY.USD").set_value(rate).run()
    assert [e.value for e in at.error] == [
        translate("currency.rate_invalid", "en", max="1,000,000")
    ]
    assert button(at, "Convert every amount").disabled
    assert at.session_state["scenario_json"]["currency"] == "JPY"


def test_back_again_offers_the_rate_typed_and_restores_the_amounts(scenario_json):
    at = open_app()
    choose(at, "USD")
    at.number_input(key="currency.rate.JPY.USD").set_value(RATE).run()
    button(at, "Convert every amount").click().run()
    choose(at, "JPY")
    rate = at.number_input(key="currency.rate.USD.JPY")
    assert rate.value == pytest.approx(1 / RATE)  # the inverse of the rate typed, nothing else
    button(at, "Convert every amount").click().run()
    data = at.session_state["scenario_json"]
    assert data["currency"] == "JPY"
    for path in money_paths(scenario_json):
        assert value_at(data, path) == pytest.approx(value_at(scenario_json, path), rel=1e-9)
    assert metric(at, TARGET).value == "¥8.5B"


def test_the_dialog_in_japanese(scenario_json):
    at = open_app("ja-JP")
    at.session_state[state.CURRENCY_ASKED] = "USD"  # a Japanese session cannot drive a selectbox
    at.run()
    rate = at.number_input(key="currency.rate.JPY.USD")
    assert rate.label == translate("currency.rate", "ja", frm="JPY", to="USD")
    shown = at.dataframe[0].value
    assert "85億円" in shown.iloc[:, 1].tolist()  # the amounts in 億/万 as everywhere
    rate.set_value(-1.0).run()
    assert [e.value for e in at.error] == [
        translate("currency.rate_invalid", "ja", max="1,000,000")
    ]
    rate.set_value(RATE).run()
    button(at, translate("currency.convert", "ja")).click().run()
    assert not at.exception, at.exception
    label = translate("overview.target", "ja", metric=translate("metric.bookings", "ja"))
    assert metric(at, label).value == Fmt("ja", "USD").money(8.5e9 * RATE) == "5,695万ドル"
