"""Imports: every preset with files shaped like the real exports, every encoding, bad input."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db.errors import DataLayerError, ImportDataError
from db.imports import (
    import_file,
    import_files,
    list_mappings,
    load_mapping,
    read_file,
    save_mapping,
)
from db.imports.normalize import normalize_values
from db.schema import stage_keys
from tests.db import helpers as h

D = dt.datetime


def rows_of(con, item_prefix=""):
    return con.execute(
        "SELECT item_id, stage, entered_at, resolved_at, outcome, source, owner, amount "
        "FROM stage_history WHERE item_id LIKE ? ORDER BY item_id, entered_at",
        [item_prefix + "%"],
    ).fetchall()


# -- normalisation -----------------------------------------------------------------------------


def test_dates_in_every_shape():
    values = ["2018-02-26", "26-02-2018", "2018/02/26", "43157", "２０１８－０２－２６",
              "2018年2月26日", "26-02-2018 19:58", "2018-02-26T19:58:00Z", "", None,
              "01-May"]  # fmt: skip
    got = normalize_values(values, "date", dayfirst=True)
    assert got[:6] == [D(2018, 2, 26)] * 6
    assert got[6] == got[7] == D(2018, 2, 26, 19, 58)
    assert got[8:] == [None, None, None]  # empty, missing and Excel's "01-May" are not dates
    assert normalize_values(["02/03/2018"], "date", dayfirst=False) == [D(2018, 2, 3)]
    assert normalize_values(["02/03/2018"], "date", dayfirst=True) == [D(2018, 3, 2)]
    # a day above 12 is read either way; a 12-hour clock; Excel serial with a time of day
    assert normalize_values(["2/26/2018 7:58 PM", "43157.5"], "date", dayfirst=True) == [
        D(2018, 2, 26, 19, 58),
        D(2018, 2, 26, 12),
    ]


def test_numbers_with_separators_full_width_and_negatives():
    got = normalize_values(["1,234", "１，２３４", "¥1,234", "1,234円", "JPY 1,234", "▲500",
                            "△500", "−500", "(500)", "abc", ""], "number")  # fmt: skip
    assert got == [1234.0] * 5 + [-500.0] * 4 + [None, None]


# -- presets -----------------------------------------------------------------------------------


def test_salesforce_leads_english_utf8_bom(con):
    res = import_file(con, h.csv_bytes(h.SF_LEADS_EN, "utf-8-sig"), "salesforce_leads",
                      name="leads.csv")  # fmt: skip
    assert res.encodings == ("utf-8-sig",)
    assert res.stages == ("lead", "opportunity", "won")
    rows = rows_of(con)
    conv = [r for r in rows if r[0] == "00Q5g00000A1"]
    assert conv[0][1:5] == ("lead", D(2024, 2, 26), D(2024, 3, 15), "converted")
    assert conv[1][1:5] == ("opportunity", D(2024, 3, 15), None, "open")
    outcomes = {r[0]: r[4] for r in rows if r[1] == "lead"}
    assert outcomes == {"00Q5g00000A1": "converted", "00Q5g00000A2": "lost",
                        "00Q5g00000A3": "disqualified", "00Q5g00000A4": "recycled",
                        "00Q5g00000A5": "open"}  # fmt: skip
    lost = next(r for r in rows if r[0] == "00Q5g00000A2")
    assert lost[3] == D(2024, 4, 2)  # resolved at the last modified date
    assert next(r for r in rows if r[0] == "00Q5g00000A5")[2] == D(2024, 4, 2, 9, 30)


def test_salesforce_leads_japanese_cp932_detected(con):
    data = h.csv_bytes(h.SF_LEADS_JA, "cp932")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    res = import_file(con, data, "salesforce_leads", name="リード.csv")
    assert res.encodings == ("cp932",)
    rows = rows_of(con)
    b1 = [r for r in rows if r[0] == "00Q5g00000B1"]
    assert b1[0][1:5] == ("lead", D(2024, 2, 26), D(2024, 3, 15), "converted")
    assert b1[0][5] == "Web"  # full-width Ｗｅｂ folded by NFKC
    assert {r[5] for r in rows} >= {"セミナー", "展示会"}  # half-width ｾﾐﾅｰ folded
    outcomes = {r[0]: r[4] for r in rows if r[1] == "lead"}
    assert outcomes["00Q5g00000B2"] == "lost"
    assert outcomes["00Q5g00000B3"] == "disqualified"
    assert outcomes["00Q5g00000B4"] == "recycled"
    assert outcomes["00Q5g00000B5"] == "open"
    assert next(r for r in rows if r[0] == "00Q5g00000B3")[2] == D(2024, 3, 5)
    assert next(r for r in rows if r[0] == "00Q5g00000B5")[2] == D(2024, 4, 2)  # Excel serial


def test_encoding_can_be_chosen_and_a_wrong_choice_is_explained(con):
    data = h.csv_bytes(h.SF_LEADS_JA, "cp932")
    assert import_file(con, data, "salesforce_leads", name="a.csv", encoding="shift_jis")
    before = h.snapshot(con)
    with pytest.raises(ImportDataError) as err:
        import_file(con, data, "salesforce_leads", name="b.csv", encoding="utf-8")
    assert "b.csv" in str(err.value) and "not utf-8 text" in str(err.value)
    assert err.value.row == 1  # the header line already holds CP932 bytes
    assert h.snapshot(con) == before


def test_utf16_tab_separated_unicode_text(con):
    data = h.csv_bytes(h.SF_LEADS_EN, "utf-16", delimiter="\t")
    res = import_file(con, data, "salesforce_leads", name="leads.txt")
    assert res.encodings == ("utf-16",) and res.rows_read == 5


def test_salesforce_opportunities_english_and_japanese_xlsx(con):
    import_file(con, h.csv_bytes(h.SF_OPPS_EN), "salesforce_opportunities", name="opps.csv")
    import_file(con, h.xlsx_bytes(h.SF_OPPS_JA), "salesforce_opportunities", name="商談.xlsx")
    rows = {(r[0], r[1]): r for r in rows_of(con)}
    assert rows[("0065g00000X1", "opportunity")][2:5] == (D(2024, 3, 15), D(2024, 5, 31),
                                                         "converted")  # fmt: skip
    assert rows[("0065g00000X1", "won")][2] == D(2024, 5, 31)
    assert rows[("0065g00000X1", "won")][7] == 1_200_000
    assert rows[("0065g00000X2", "opportunity")][4] == "lost"
    assert rows[("0065g00000X3", "opportunity")][4] == "open"
    assert rows[("0065g00000Y1", "won")][6] == "山本" and rows[("0065g00000Y1", "won")][7] == 1.2e6
    assert rows[("0065g00000Y2", "opportunity")][4:] == ("lost", "展示会", "中村", 600_000)


def test_hubspot_lifecycle_dates(con):
    res = import_file(con, h.csv_bytes(h.HUBSPOT), "hubspot_contacts", name="hubspot.csv")
    assert stage_keys(con) == ["lead", "mql", "sql", "opportunity", "won"]
    assert res.rows_skipped == 1 and "no stage date" in res.warnings[0]  # the subscriber
    rows = rows_of(con)
    assert [r[1] for r in rows if r[0] == "101"] == ["lead", "mql", "sql", "opportunity", "won"]
    assert [r[4] for r in rows if r[0] == "101"] == ["converted"] * 5
    assert [(r[1], r[4]) for r in rows if r[0] == "102"] == [("lead", "disqualified")]
    assert [(r[1], r[4]) for r in rows if r[0] == "103"] == [
        ("lead", "converted"),
        ("mql", "recycled"),
    ]
    # 104 jumped from lead to customer: the lead row converts at the customer date
    r104 = [r for r in rows if r[0] == "104"]
    assert [(r[1], r[3]) for r in r104] == [("lead", D(2024, 3, 1, 10)), ("won", D(2024, 3, 1, 10))]


def test_monthly_counts_japanese_cp932(con):
    res = import_file(con, h.csv_bytes(h.COUNTS_JA, "cp932"), "monthly_counts", name="月次.csv")
    assert res.table == "stage_counts" and res.rows_written == 5
    got = con.execute(
        "SELECT month, stage, arrivals FROM stage_counts ORDER BY month, stage"
    ).fetchall()
    assert got == [
        (dt.date(2024, 4, 1), "lead", 300.0),
        (dt.date(2024, 4, 1), "visitor", 12000.0),
        (dt.date(2024, 5, 1), "lead", 320.0),
        (dt.date(2024, 5, 1), "visitor", 13500.0),
        (dt.date(2024, 6, 1), "opportunity", 80.0),
    ]


def test_parquet_history_keeps_types_and_maps_values(con, tmp_path):
    table = pa.table({
        "id": ["a", "a", "b"],
        "step": ["Lead", "Opp", "Lead"],
        "in": pa.array([D(2024, 1, 1), D(2024, 2, 1), D(2024, 1, 3)], pa.timestamp("s")),
        "out": pa.array([D(2024, 2, 1), None, D(2024, 1, 9)], pa.timestamp("s")),
        "result": ["Converted", "Open", "Lost"],
        "acv": [None, 1.5e6, None],
    })  # fmt: skip
    path = tmp_path / "hist.parquet"
    pq.write_table(table, path)
    mapping = {
        "kind": "history",
        "columns": {
            "item_id": "id",
            "stage": "step",
            "entered_at": "in",
            "resolved_at": "out",
            "outcome": "result",
            "amount": "acv",
        },  # fmt: skip
        "values": {"stage": {"Opp": "opportunity"}},
    }
    res = import_file(con, path, mapping)
    assert res.rows_written == 3
    assert rows_of(con) == [
        ("a", "lead", D(2024, 1, 1), D(2024, 2, 1), "converted", None, None, None),
        ("a", "opportunity", D(2024, 2, 1), None, "open", None, None, 1.5e6),
        ("b", "lead", D(2024, 1, 3), D(2024, 1, 9), "lost", None, None, None),
    ]


def test_saved_mapping_round_trip(con):
    mapping = load_mapping(con, "monthly_counts")
    mapping["columns"]["count"] = "n"
    save_mapping(con, "my counts", mapping)
    assert load_mapping(con, "my counts") == mapping
    assert {"name": "my counts", "kind": "counts", "origin": "saved",
            "label": mapping["label"]} in list_mappings(con)  # fmt: skip
    data = h.csv_bytes([["month", "stage", "n"], ["2024-04", "lead", "7"]])
    import_file(con, data, "my counts", name="c.csv")
    assert con.execute("SELECT arrivals FROM stage_counts").fetchall() == [(7.0,)]
    with pytest.raises(DataLayerError, match="built-in"):
        save_mapping(con, "olist", mapping)


def test_replace_and_stage_design_conflict(con):
    import_file(con, h.csv_bytes(h.SF_LEADS_EN), "salesforce_leads", name="l.csv")
    with pytest.raises(DataLayerError, match="stage design"):
        import_file(con, h.csv_bytes(h.HUBSPOT), "hubspot_contacts", name="h.csv")
    import_file(con, h.csv_bytes(h.HUBSPOT), "hubspot_contacts", name="h.csv", replace=True)
    assert con.execute("SELECT count(DISTINCT item_id) FROM stage_history").fetchone()[0] == 4


# -- bad input: a clear message, and nothing changed -------------------------------------------


def _bad(rows, col, value, row=3):
    out = [list(r) for r in rows]
    out[row][out[0].index(col)] = value
    return out


BAD = [
    ("bad date", h.csv_bytes(_bad(h.SF_LEADS_EN, "Created Date", "31/31/2024")), "salesforce_leads",
     "x.csv", 4, "Created Date", "not a date"),
    ("bad number", h.csv_bytes(_bad(h.SF_OPPS_EN, "Amount", "1.2 million")),
     "salesforce_opportunities", "x.csv", 4, "Amount", "not a number"),
    ("unknown status", h.csv_bytes(_bad(h.SF_LEADS_EN, "Lead Status", "Maybe")),
     "salesforce_leads", "x.csv", 4, "Lead Status", "unknown status value"),
    ("empty id", h.csv_bytes(_bad(h.SF_LEADS_EN, "Lead ID", "")), "salesforce_leads", "x.csv", 4,
     "Lead ID", "item_id is empty"),
    ("negative amount", h.csv_bytes(_bad(h.SF_OPPS_EN, "Amount", "▲100")),
     "salesforce_opportunities", "x.csv", 4, "Amount", "must not be negative"),
    ("missing column", h.csv_bytes([r[:8] for r in h.SF_LEADS_EN]), "salesforce_leads", "x.csv",
     None, None, "none of the stage date columns"),
    ("ragged row", h.csv_bytes(h.SF_LEADS_EN[:3]) + b"a,b\r\n", "salesforce_leads", "x.csv", 4,
     None, "different number of columns"),
    ("empty file", b"", "salesforce_leads", "x.csv", None, None, "empty"),
    ("bad xlsx", b"PK\x03\x04 not really", "salesforce_leads", "x.xlsx", None, None, "workbook"),
    ("xlsx bad date", h.xlsx_bytes(_bad(h.SF_OPPS_JA, "作成日", "来週", row=2)),
     "salesforce_opportunities", "y.xlsx", 3, "作成日", "not a date"),
]  # fmt: skip


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input_is_explained_and_changes_nothing(con, case):
    _, data, preset, name, row, column, reason = case
    import_file(con, h.csv_bytes(h.SF_OPPS_EN), "salesforce_opportunities", name="ok.csv")
    before = h.snapshot(con)
    with pytest.raises(ImportDataError) as err:
        import_file(con, data, preset, name=name)
    e = err.value
    assert e.file == name and e.row == row and e.column == column
    assert reason in str(e) and name in str(e)
    assert h.snapshot(con) == before


def test_error_in_the_joined_file_names_that_file(con):
    leads = h.csv_bytes([["mql_id", "first_contact_date", "origin"], ["m1", "01-02-2018", "x"],
                         ["m2", "02-02-2018", ""]])  # fmt: skip
    deals = h.csv_bytes([["mql_id", "sdr_id", "sr_id", "won_date", "business_segment"],
                         ["m2", "s", "r", "yesterday", "pet"]])  # fmt: skip
    with pytest.raises(ImportDataError) as err:
        import_files(con, {"leads": read_file(leads, "mql.csv"),
                           "deals": read_file(deals, "deals.csv")}, "olist")  # fmt: skip
    assert (err.value.file, err.value.row, err.value.column) == ("deals.csv", 2, "deals.won_date")


def test_constraint_failure_mid_insert_rolls_back(con):
    """A failure inside the write transaction (here a CHECK on arrivals) leaves no trace."""
    before = h.snapshot(con)
    data = h.csv_bytes([["month", "stage", "count"], ["2024-04", "lead", "5"],
                        ["2024-05", "lead", "-1"]])  # fmt: skip
    with pytest.raises(ImportDataError, match="must not be negative"):
        import_file(con, data, "monthly_counts", name="c.csv")
    assert h.snapshot(con) == before


def test_mapping_json_round_trips_through_the_import_log(con):
    import_file(con, h.csv_bytes(h.SF_LEADS_EN), "salesforce_leads", name="l.csv")
    name, preset_name, body = con.execute(
        "SELECT file_name, preset, mapping FROM imports"
    ).fetchone()
    assert (name, preset_name) == ("l.csv", "salesforce_leads")
    assert json.loads(body)["kind"] == "items"
