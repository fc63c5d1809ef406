"""Datasets (AppTest): an import goes into a named dataset of its own, which another session
sees only when it chooses it; replacing a dataset's data is never the default and waits for a
confirmation; a dataset can be removed (with a confirmation, the sample never); a baseline built
from a dataset records it and its data's fingerprint, and the sidebar warns once that data
changed or went."""

from __future__ import annotations

import pytest

from db import funnel
from db.datasets import SAMPLE, Datasets
from tests.app.conftest import open_app
from tests.app.test_data import PRESET_FILES, db_con, do_import, target_box, upload
from tests.db.helpers import SF_LEADS_EN, SF_OPPS_JA, csv_bytes
from ui import state

PAGE = "pages/data.py"
MORE_OLIST = [
    ("mql_leads.csv", csv_bytes([["mql_id", "first_contact_date", "landing_page_id", "origin"],
                                 ["m7", "02-03-2018", "p1", "paid_search"]])),
    ("closed_deals.csv", csv_bytes([["mql_id", "seller_id", "sdr_id", "sr_id", "won_date",
                                     "business_segment"],
                                    ["m7", "s1", "d1", "r1", "25-03-2018 10:00", "pet"]])),
]  # fmt: skip


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path))
    return tmp_path


def sample_rows() -> int:
    return funnel.row_counts(db_con(SAMPLE))["stage_history"]


def import_leads(at, name: str | None = None):
    upload(at, [("leads.csv", csv_bytes(SF_LEADS_EN))])
    if name is not None:
        at.text_input(key=f"data.new_name.{at.session_state['data.signature']}").input(name).run()
    return do_import(at)


def source_box(at):
    (box,) = [s for s in at.sidebar.selectbox if s.label == "Data source"]
    return box


def test_an_import_is_seen_by_another_session_only_when_it_chooses_that_dataset():
    """Session A imports; a new session B opens on the sample (pages and sidebar), lists A's
    dataset by name, and sees A's rows once it chooses it."""
    a = open_app(page=PAGE)
    rows_before = sample_rows()
    import_leads(a, "Leads from Salesforce")
    assert not a.error, [e.value for e in a.error]
    ds = a.session_state["dataset"]
    assert ds != SAMPLE and Datasets(state.home()).get(ds).name == "Leads from Salesforce"
    assert source_box(a).value == ds
    assert "**Dataset:** Leads from Salesforce" in a.markdown[0].value

    b = open_app(page=PAGE)
    assert b.session_state["dataset"] == SAMPLE
    assert source_box(b).value == SAMPLE
    assert source_box(b).options == ["Sample data (read-only)", "Leads from Salesforce"]
    assert b.markdown[0].value.startswith("**Dataset:** Sample data")
    assert "Sample data" in b.markdown[0].value and "leads" not in b.markdown[0].value
    assert frame_rows(b) == f"**Stage history:** {rows_before:,} rows"
    assert sample_rows() == rows_before  # the sample is untouched
    b.switch_page("pages/sources.py").run()
    assert not b.exception and not any("No item-level" in i.value for i in b.info)

    source_box(b).select(ds).run()
    b.switch_page(PAGE).run()
    assert not b.exception, b.exception
    assert "**Dataset:** Leads from Salesforce" in b.markdown[0].value
    assert frame_rows(b) == "**Stage history:** 6 rows"
    # A is not moved by B's choice
    a.run()
    assert a.session_state["dataset"] == ds


def frame_rows(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Stage history:**")).split(
        "  \n"
    )[0]


def test_replacing_a_datasets_data_is_off_by_default_and_waits_for_a_confirmation():
    at = open_app(page=PAGE)
    import_leads(at)
    ds = at.session_state["dataset"]
    con = db_con(ds)
    assert funnel.row_counts(con)["stage_history"] == 6
    at.file_uploader(key="data.upload").set_value(None).run()
    upload(at, [("opps.csv", csv_bytes(SF_OPPS_JA))])
    sig = at.session_state["data.signature"]
    assert target_box(at).value == ds
    box = at.checkbox(key=f"data.replace.{sig}.{ds}")
    assert box.value is False  # adding is the default
    box.check().run()
    do_import(at)  # the first click only asks
    assert funnel.row_counts(con)["stage_history"] == 6
    assert not at.success
    (ask,) = [w.value for w in at.warning if "Replace?" in w.value]
    assert "all 6 rows of the dataset “leads”" in ask
    at.button(key="data.replace_no").click().run()  # cancelled: nothing changes
    assert not [w for w in at.warning if "Replace?" in w.value]
    assert funnel.row_counts(con)["stage_history"] == 6
    do_import(at)
    at.button(key="data.replace_yes").click().run()  # confirmed: all rows replaced
    assert not at.exception, at.exception
    assert funnel.row_counts(con)["stage_history"] == 3
    assert "The data of the dataset “leads” was replaced." in at.success[0].value
    assert sample_rows() > 100_000


def test_a_failed_import_into_a_new_dataset_leaves_no_dataset_behind():
    at = open_app(page=PAGE)
    bad = [list(r) for r in SF_LEADS_EN]
    bad[3][bad[0].index("Created Date")] = "31/31/2024"
    upload(at, [("broken.csv", csv_bytes(bad))])
    do_import(at)
    assert "The database is unchanged." in at.error[0].value
    assert Datasets(state.home()).list() == [] and at.session_state["dataset"] == SAMPLE
    assert list((state.home() / "datasets").glob("*.duckdb")) == []


def test_a_new_datasets_name_must_be_free_and_says_so_in_japanese():
    at = open_app(locale="ja-JP", page=PAGE)
    import_leads(at, "売上データ")
    at.file_uploader(key="data.upload").set_value(None).run()
    upload(at, [("leads.csv", csv_bytes(SF_LEADS_EN))])
    sig = at.session_state["data.signature"]
    target_box(at).set_value("__new__").run()
    at.text_input(key=f"data.new_name.{sig}").input("売上データ").run()
    do_import(at)
    assert "「売上データ」という名前のデータセットはすでにあります。" in at.error[0].value
    assert len(Datasets(state.home()).list()) == 1


def test_removing_a_dataset_asks_first_and_sends_its_sessions_back_to_the_sample():
    a = open_app(page=PAGE)
    import_leads(a, "Old leads")
    ds = a.session_state["dataset"]
    path = Datasets(state.home()).get(ds).path
    b = open_app(page=PAGE)
    source_box(b).select(ds).run()
    assert b.session_state["dataset"] == ds

    a.button(key="data.remove").click().run()  # asks first
    (ask,) = [w.value for w in a.warning if "Remove the dataset" in w.value]
    assert "“Old leads” and its 6 stage-history rows" in ask
    assert path.exists() and Datasets(state.home()).exists(ds)
    a.button(key="data.remove_no").click().run()
    assert Datasets(state.home()).exists(ds)
    a.button(key="data.remove").click().run()
    a.button(key="data.remove_yes").click().run()
    assert not a.exception, a.exception
    assert not path.exists() and Datasets(state.home()).list() == []
    assert a.session_state["dataset"] == SAMPLE
    assert "Removed the dataset “Old leads”" in a.success[0].value
    assert source_box(a).options == ["Sample data (read-only)"]

    b.run()  # the other session, on the removed dataset: back to the sample, and told
    assert not b.exception, b.exception
    assert b.session_state["dataset"] == SAMPLE
    assert any("“Old leads” was removed" in i.value for i in b.sidebar.info)


def test_the_sample_cannot_be_removed_or_imported_into():
    at = open_app(page=PAGE)
    assert not [b for b in at.button if b.key == "data.remove"]
    upload(at, [("leads.csv", csv_bytes(SF_LEADS_EN))])
    assert target_box(at).options == ["A new dataset"]  # not the sample
    do_import(at)
    at.file_uploader(key="data.upload").set_value(None).run()
    source_box(at).select(SAMPLE).run()
    upload(at, [("leads.csv", csv_bytes(SF_LEADS_EN))])
    assert target_box(at).options == ["A new dataset", "leads"]
    assert target_box(at).value == "__new__"  # from the sample, a new dataset by default
    sig = at.session_state["data.signature"]
    assert at.text_input(key=f"data.new_name.{sig}").value == "leads (2)"  # a free name


def test_a_baseline_records_its_dataset_and_the_sidebar_warns_when_that_data_changes():
    at = open_app(page=PAGE)
    assert "dataset" not in at.session_state["scenario_json"]["notes"]  # the shipped sample's
    assert not at.sidebar.warning
    upload(at, PRESET_FILES["olist"])
    do_import(at)
    ds = at.session_state["dataset"]
    at.button(key="data.build").click().run()
    at.button(key="data.use").click().run()
    assert not at.exception, at.exception
    made = at.session_state["scenario_json"]["notes"]
    fingerprint = funnel.fingerprint(db_con(ds))
    assert made["dataset"] == {"id": ds, "name": "mql_leads", "fingerprint": fingerprint}
    assert not at.sidebar.warning
    # saved, the version keeps it (the model ignores notes)
    store = state.scenario_store()
    store.save("Olist plan", at.session_state["scenario_json"], author="t")
    assert store.load("Olist plan")["notes"]["dataset"]["fingerprint"] == fingerprint

    # more rows added to the dataset: its fingerprint moves on, the sidebar says so
    at.file_uploader(key="data.upload").set_value(None).run()
    upload(at, MORE_OLIST)
    do_import(at)
    assert not at.error, [e.value for e in at.error]
    assert funnel.fingerprint(db_con(ds)) != fingerprint
    (warn,) = [w.value for w in at.sidebar.warning]
    # (the markdown source: the name is escaped and reads “mql_leads” on the page)
    assert warn.startswith("The data of “mql\\_leads” changed since this scenario was built")
    # a new session that loads the saved version is warned too, in Japanese
    ja = open_app(locale="ja-JP")
    ja.session_state["scenario_json"] = store.load("Olist plan")
    ja.run()
    (warn,) = [w.value for w in ja.sidebar.warning]
    assert warn.startswith("このシナリオを作った後に「mql\\_leads」のデータが変わりました。")

    at.button(key="data.remove").click().run()
    at.button(key="data.remove_yes").click().run()
    (warn,) = [w.value for w in at.sidebar.warning]
    assert warn == "The dataset “mql\\_leads” this scenario was built from has been removed."


def test_an_imported_funnel_database_of_an_older_version_becomes_a_dataset(home):
    """Before datasets the app kept one ``funnel.duckdb`` that every session read; one holding
    an import is listed as a dataset (moved into ``datasets/``), and sessions open on the
    sample. One holding the sample alone is left where it is."""
    import duckdb

    from db.imports import import_files, read_file
    from db.schema import create_schema

    legacy = home / "funnel.duckdb"
    con = duckdb.connect(str(legacy))
    create_schema(con)
    import_files(con, read_file(csv_bytes(SF_LEADS_EN), "leads.csv"), "salesforce_leads")
    con.close()
    at = open_app(page=PAGE)
    assert at.session_state["dataset"] == SAMPLE
    assert source_box(at).options == ["Sample data (read-only)", "funnel.duckdb (before datasets)"]
    (ds,) = Datasets(home).list()
    assert not legacy.exists() and funnel.row_counts(db_con(ds.id))["stage_history"] == 6


def test_a_funnel_database_of_an_older_version_holding_the_sample_stays(home):
    from db.sample import open_sample_database

    legacy = home / "funnel.duckdb"
    open_sample_database(legacy).close()
    at = open_app(page=PAGE)
    assert source_box(at).options == ["Sample data (read-only)"]
    assert legacy.exists() and Datasets(home).list() == []


def test_a_dataset_can_be_renamed_on_the_data_page_and_every_session_sees_the_name(home):
    a = open_app(page=PAGE)
    import_leads(a, "Leads")
    ds = a.session_state["dataset"]
    a.text_input(key=f"data.rename.{ds}").input("Leads FY2026").run()
    a.button(key="data.rename_do").click().run()
    assert not a.exception and not a.error
    assert "The dataset is now called “Leads FY2026” in every session." in [
        s.value for s in a.success
    ]
    assert Datasets(home).get(ds).name == "Leads FY2026"
    b = open_app(page=PAGE)  # another session lists it by its new name
    box = source_box(b)
    assert box.format_func(ds) == "Leads FY2026"
    # a name another dataset has is refused, and nothing changes
    other = Datasets(home).create("Other leads").id
    b.run()
    source_box(b).set_value(other).run()
    a = b
    a.text_input(key=f"data.rename.{other}").input("leads fy2026").run()
    a.button(key="data.rename_do").click().run()
    assert a.error and Datasets(home).get(other).name == "Other leads"


def test_the_command_line_lists_renames_and_removes_datasets(home):
    import subprocess
    import sys

    ds = Datasets(home).create("leads")

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "db", "datasets", "--home", str(home), *args],
            capture_output=True, text=True,
        )  # fmt: skip

    listed = cli("list")
    assert listed.returncode == 0 and listed.stdout.startswith(f"{ds.id}\tleads\t")
    assert listed.stdout.split("\t")[3] == "0"  # its rows
    assert cli("rename", ds.id, "Leads 2026").stdout == f"renamed {ds.id} to Leads 2026\n"
    assert Datasets(home).get(ds.id).name == "Leads 2026"
    bad = cli("rename", "nope", "x")
    assert bad.returncode == 1 and bad.stderr.startswith("error: no dataset")
    assert cli("remove", ds.id).returncode == 0 and not Datasets(home).list()


def test_the_scenarios_page_says_which_data_a_version_was_built_from(home, scenario_json):
    import copy

    import duckdb

    from db.scenarios import ScenarioStore

    ds = Datasets(home).create("leads")
    con = duckdb.connect(str(ds.path))
    fp = funnel.fingerprint(con)
    con.close()
    store = ScenarioStore(home / "scenarios.duckdb")
    built = copy.deepcopy(scenario_json)
    built["notes"] = {"dataset": {"id": ds.id, "name": "leads", "fingerprint": fp}}
    store.save("From leads", built, author="sato")
    built["notes"]["dataset"]["fingerprint"] = "0" * 16  # data that moved on since
    store.save("From leads", built, author="sato")
    at = open_app(page="pages/scenarios.py")
    at.selectbox(key="scn.hist.name").set_value("From leads").run()
    captions = [c.value for c in at.caption]
    assert "Version 2 was built from the dataset “leads”, whose data has changed since: its " \
        "figures are from the data as it was then." in captions  # fmt: skip
    at.selectbox(key="scn.hist.version.From leads").set_value(1).run()
    captions = [c.value for c in at.caption]
    assert (
        "Version 1 was built from the dataset “leads”, whose data is unchanged since." in captions
    )
    Datasets(home).remove(ds.id)
    at.run()
    assert any(c.value.endswith("which has been removed since.") for c in at.caption)
