"""The model's errors (ScenarioError) in the user's language: a text for every code in both
catalogs, filled by the error's own params, the field named in words, and the pages saying it."""

from __future__ import annotations

import copy
import re

import pytest

from model import ScenarioError, parse_scenario, run_plan
from tests.app.conftest import open_app
from tests.model.test_scenario_errors import CASES, raised, scenario_error_codes_in_model
from tests.model.test_validation import VALID
from ui.common import Fmt, scenario_error_reason, scenario_error_text, scenario_field_text
from ui.i18n import EN, JA

F_EN = Fmt("en", "JPY")
F_JA = Fmt("ja", "JPY")
KEY = "model_error."
JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龯]")


def test_every_code_the_model_raises_has_a_text_in_both_languages() -> None:
    """A code written at a raise site in model/ without both translations fails here, and so
    does a translation of a code the model no longer raises."""
    codes = set(scenario_error_codes_in_model())
    assert len(codes) >= 40
    for catalog in (EN, JA):
        texts = {k.removeprefix(KEY) for k in catalog if k.startswith(KEY)}
        assert texts == codes, texts ^ codes


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_each_errors_params_fill_both_texts(case: str) -> None:
    """Every real error (each raise site) is worded from its own params in both languages: no
    placeholder left, and the Japanese text is Japanese, not the model's English reason."""
    exc = raised(case)
    en = scenario_error_reason(exc, F_EN, VALID["stages"])
    ja = scenario_error_reason(exc, F_JA, VALID["stages"])
    assert "{" not in en and "{" not in ja
    assert JAPANESE.search(ja), ja
    assert ja != en and exc.reason not in ja
    shown = scenario_error_text(exc, F_JA, VALID["stages"])
    assert shown.startswith("このシナリオでは計画を立てられません: ") and ja in shown


@pytest.mark.parametrize(
    "field,en,ja",
    [
        ("stages[lead].conversion", "Leads · Conversion", "リード · 転換率"),
        ("stages[opportunity].lag", "Opportunities · Lead time", "商談 · リードタイム"),
        ("stages[lead].conversion.high", "Leads · Conversion (Stretch)",
         "リード · 転換率(ストレッチ)"),
        ("stages[2].key", "Stage 3 · Key", "3番目のステージ · キー"),
        ("stages[1]", "Stage 2", "2番目のステージ"),
        ("stages[lead].convertion", "Leads · convertion", "リード · convertion"),
        ("opening.lead", "Leads · Opening stock", "リード · 期首残高"),
        ("inflow[11]", "Inflow, month 12", "新規流入(12か月目)"),
        ("recycle.volume[0]", "Reactivated per month, month 1", "毎月の再活性化数(1か月目)"),
        ("recycle.reactivation", "Reactivation (per month)", "再活性化率(月)"),
        ("recycle.opening", "Recycle pool at the start", "期首のリサイクルプール"),
        ("deal.size.low", "Deal size (Low)", "受注単価(下限)"),
        ("customers.renewal_rate", "Renewal rate (annual)", "更新率(年)"),
        ("target", "Target", "目標"),
        ("target.monthly[3]", "Target per month, month 4", "月次目標(4か月目)"),
        ("months", "Horizon (months)", "計画期間(か月)"),
        ("divisions.marketing.handoff", "Marketing · Hand-off rule to the next division",
         "マーケティング · 次の部門への引き渡しルール"),
        ("(file)", "File", "ファイル"),
        ("horizon", "horizon", "horizon"),  # not a field of a scenario: shown as written
    ],
)  # fmt: skip
def test_fields_are_named_in_words(field: str, en: str, ja: str) -> None:
    assert scenario_field_text(field, "en") == en
    assert scenario_field_text(field, "ja") == ja


def test_a_stage_the_catalog_does_not_know_is_named_by_its_label() -> None:
    stages = [{"key": "mql", "label": "MQL"}, {"key": "won"}]
    assert scenario_field_text("stages[mql].lag", "ja", stages) == "MQL · リードタイム"
    assert scenario_field_text("stages[sql].lag", "ja", stages) == "sql · リードタイム"


def test_an_error_without_a_code_keeps_the_models_reason() -> None:
    exc = ScenarioError("stages[lead].conversion", "some new check failed")
    assert scenario_error_text(exc, F_JA) == (
        "このシナリオでは計画を立てられません: リード · 転換率: some new check failed"
    )


def test_numbers_read_as_the_field_does() -> None:
    """Rates in percent, lags in months, the rest as plain numbers with separators."""
    assert scenario_error_reason(raised("rate above 1"), F_JA) == (
        "0%〜100%の割合で指定してください(現在の値: 120%)。"
    )
    assert scenario_error_reason(raised("lag above 60"), F_JA) == (
        "0か月〜60か月で指定してください(現在の値: 61か月)。"
    )
    assert scenario_error_reason(raised("no draws"), F_EN) == (
        "must be from 1 to 100,000; it is 0."
    )
    assert scenario_error_text(raised("rates sum above 1"), F_JA, VALID["stages"]) == (
        "このシナリオでは計画を立てられません: リード: 転換率30%・育成対象外10%・リサイクル65%の"
        "合計が105%になり、100%を超えています。"
    )


# ----- the pages --------------------------------------------------------------------------------
def _shown_error(at) -> tuple[str, ScenarioError]:
    """The page's one error message, and the error the model raises on the session's scenario."""
    assert not at.exception and len(at.error) == 1, [e.value for e in at.error]
    data = copy.deepcopy(at.session_state["scenario_json"])
    with pytest.raises(ScenarioError) as err:
        run_plan(parse_scenario(data))
    return at.error[0].value, err.value


def _to_japanese(at) -> None:
    """Switch the language in the sidebar, as a user does."""
    at.button_group(key="lang").set_value("ja").run()
    assert not at.exception


def _no_english(text: str) -> None:
    assert not re.search(r"[A-Za-z]", text), text


def test_japanese_pages_explain_invalid_edits_in_japanese(scenario_json):
    """Two real edits on the Plan page, then Japanese: rates of a stage adding up to more than
    100%, and a lead time longer than the plan, so no inflow reaches the target. The message
    names the stage or the target and says why, in Japanese, with the page's numbers; nothing of
    the model's English is left. (The edits are made before switching: AppTest formats the Plan
    page's select boxes outside the session, in English, so it cannot edit them in Japanese.)"""
    at = open_app(page="pages/plan.py")
    at.slider(key="plan.stage.lead.disqualify").set_value(80.0).run()
    at.switch_page("pages/overview.py").run()
    _to_japanese(at)
    msg, exc = _shown_error(at)
    assert exc.code == "rates_exceed_one"
    assert msg == scenario_error_text(exc, F_JA, scenario_json["stages"])
    # the sample's own rates (they move when its baseline is re-estimated), in Japanese
    assert re.fullmatch(
        r"このシナリオでは計画を立てられません: リード: 転換率[\d.]+%・育成対象外80%・"
        r"リサイクル[\d.]+%の合計が1[\d.]+%になり、100%を超えています。",
        msg,
    ), msg
    # the Plan page says the same
    at.switch_page("pages/plan.py").run()
    assert _shown_error(at)[0] == msg

    at = open_app(page="pages/plan.py")
    at.number_input(key="plan.stage.opportunity.lag").set_value(20.0).run()
    _to_japanese(at)
    msg, exc = _shown_error(at)
    assert exc.code == "target_no_path"
    assert msg == scenario_error_text(exc, F_JA, scenario_json["stages"])
    assert msg == (
        "このシナリオでは計画を立てられません: 目標: 新規流入をいくら増やしても、計画期間内に"
        "受注金額につながりません(途中に転換率0%のステージがあるか、リードタイムが計画期間より"
        "長いため)。"
    )
    _no_english(msg)


def test_divisions_page_explains_ranges_in_japanese(scenario_json):
    """On the Divisions page in Japanese: a low end of 0% leaves the plan valid but the target
    out of reach at that end (a warning); a target of 0% too makes the plan impossible; a low
    end above the target is an invalid range. Each is said in Japanese."""
    at = open_app(page="pages/divisions.py")
    _to_japanese(at)
    key = "div.field_sales.stages[opportunity].conversion"
    at.number_input(key=f"{key}.low").set_value(0.0).run()
    assert not at.exception and not at.error
    (warning,) = [w.value for w in at.warning if "目標に届きません" in w.value]
    assert warning == (
        "全レンジが下限のときは目標に届きません: 新規流入をいくら増やしても、計画期間内に"
        "受注金額につながりません(途中に転換率0%のステージがあるか、リードタイムが計画期間より"
        "長いため)。"
    )

    at.number_input(key=f"{key}.base").set_value(0.0).run()
    msg, exc = _shown_error(at)
    assert exc.code == "target_no_path"
    assert msg.startswith("このシナリオでは計画を立てられません: 目標: 新規流入をいくら増やしても")
    _no_english(msg)

    at.number_input(key=f"{key}.base").set_value(26.0).run()
    at.number_input(key=f"{key}.low").set_value(50.0).run()
    msg, exc = _shown_error(at)
    assert exc.code == "range_low_above_base"
    assert msg == (
        "このシナリオでは計画を立てられません: 商談 · 転換率: 下限(50%)が目標(26%)を"
        "上回っています。"
    )


def test_english_page_names_the_field_in_words(scenario_json):
    """In English too the field is named in words, not by its JSON path: a deal size of 0 on
    the Plan page (its committed range moves down with it, so the range itself stays valid)."""
    at = open_app(page="pages/plan.py")
    at.text_input(key="plan.deal.size_text").input("0").run()
    msg, exc = _shown_error(at)
    assert exc.code == "deal_size_required"
    assert msg == scenario_error_text(exc, F_EN, scenario_json["stages"])
    assert exc.field == "deal.size" and exc.field not in msg
    assert msg == (
        "This scenario cannot be planned: Deal size: must be above zero for a bookings target."
    )
