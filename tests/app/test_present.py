"""Presentation mode (issue 12): a sidebar toggle or a ?present=1 link hides every editing
control, shows a division's ranges as figures, and steps through Overview → Divisions →
Capacity → Plan vs actual."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, TIMEOUT, open_app

EDITING = ("number_input", "slider", "text_input", "text_area", "selectbox", "segmented_control")
VIEWS = {"cap.heatmap.view"}  # switches what a chart shows; nothing in the scenario changes


def _editing_widgets(at) -> list[str]:
    """Keys of the editing widgets on the page (the sidebar's own controls aside)."""
    keys = []
    for kind in EDITING:
        for w in at.main.get(kind):
            keys.append(getattr(w, "key", None) or kind)
    return [k for k in keys if k not in VIEWS]


def test_the_toggle_steps_through_the_meeting_without_editing_controls(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    at = open_app()
    at.toggle(key="sidebar.present").set_value(True).run()
    assert not at.exception
    assert "Presentation: 1 of 4" in [c.value for c in at.caption]
    assert not [b for b in at.button if b.key == "present.prev"]
    at.button(key="present.next").click().run()
    assert not at.exception
    assert at.title[0].value == "Divisions (responsibilities)"
    assert "Presentation: 2 of 4" in [c.value for c in at.caption]
    assert _editing_widgets(at) == []
    ranges = [m.value for m in at.markdown if "Conversion: **" in m.value]
    assert any("**2.22% / 2.26% / 2.29%**" in r for r in ranges)  # the sample's visitor rate
    at.button(key="present.next").click().run()
    assert at.title[0].value == "Capacity and hiring plan" and _editing_widgets(at) == []
    at.button(key="present.prev").click().run()
    assert at.title[0].value == "Divisions (responsibilities)"


def test_the_plan_page_shows_the_plan_and_no_levers_while_presenting():
    at = open_app(page="pages/plan.py")
    assert at.slider  # editing, before
    at.selectbox(key="plan.seek.lever").set_value("deal.size").run()
    at.toggle(key="sidebar.present").set_value(True).run()
    assert not at.slider and not at.main.get("text_input")
    assert any("Presentation mode: the plan is shown" in i.value for i in at.info)
    assert [m for m in at.metric if m.label == "Needed to meet the target"]  # the answer stays
    assert not [b for b in at.button if b.key == "plan.seek.apply"]
    at.toggle(key="sidebar.present").set_value(False).run()
    assert at.slider


def test_a_link_with_present_opens_presenting():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["present"] = "1"
    at.query_params["page"] = "divisions"
    at.run()
    assert not at.exception
    assert at.session_state["present"] is True
    assert not at.main.get("number_input")
