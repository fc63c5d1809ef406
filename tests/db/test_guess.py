"""The first guesses about uploaded files (db.guess): how dates are written, which column is
which field, which file plays which role, which mapping fits."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from db.guess import (
    DATE_SAMPLE,
    column_defaults,
    column_values,
    combined_header,
    dataset_stem,
    date_columns,
    date_order,
    dayfirst_default,
    detect_order,
    files_order,
    guess_mapping,
    pick,
    role_files,
)
from db.imports import list_mappings, read_file


def csv(name: str, text: str):
    return read_file(text.encode(), name)


@pytest.mark.parametrize(
    ("values", "order"),
    [
        (["2018-02-26", "2018/3/1"], "ymd"),
        (["2018年2月26日"], "ymd"),
        (["２０１８－０２－２６"], "ymd"),  # full-width, NFKC
        (["26/02/2018", "01/03/2018"], "dmy"),
        (["02/26/2018", "03/01/2018"], "mdy"),
        (["01/02/2018", "03/04/2018"], "ambiguous"),
        (["26/02/2018", "02/26/2018"], "dmy"),  # both seen: the tie goes to the first
        (["43157", "43157.5"], "serial"),
        ([None, "", "  ", "abc"], None),
        ([], None),
    ],
)
def test_date_order(values, order):
    assert date_order(values) == order


def test_date_order_typed_values():
    assert date_order([None, dt.date(2018, 2, 26)]) == "typed"
    assert date_order([pd.Timestamp("2018-02-26")]) == "typed"


def test_files_order_prefers_a_column_that_tells_day_from_month():
    assert files_order(["ymd", None, "mdy", "dmy"]) == "mdy"
    assert files_order([None, "ambiguous", "ymd"]) == "ambiguous"
    assert files_order([None, None]) is None
    assert files_order([]) is None


def test_dayfirst_default():
    assert dayfirst_default("dmy", False) is True
    assert dayfirst_default("mdy", True) is False
    assert dayfirst_default("ymd", False) is False
    assert dayfirst_default(None, True) is True


def test_pick_exact_then_loose():
    header = ["Lead ID", "Ｃｒｅａｔｅｄ Date", "Owner"]
    assert pick("Owner", header) == "Owner"
    assert pick(["Missing", "lead id"], header) == "Lead ID"  # case-blind
    assert pick("created date", header) == "Ｃｒｅａｔｅｄ Date"  # NFKC
    assert pick(None, header) is None
    assert pick(["nope"], header) is None


def test_role_files_by_name_then_in_order():
    names = ["olist_closed_deals.csv", "olist_marketing_qualified_leads.csv"]
    assert role_files(["leads", "deals"], names) == {
        "leads": "olist_marketing_qualified_leads.csv",
        "deals": "olist_closed_deals.csv",
    }
    assert role_files(["leads", "deals"], ["a.csv", "b.csv"]) == {
        "leads": "a.csv",
        "deals": "b.csv",
    }
    assert role_files(["main"], []) == {}


def test_combined_header_and_values():
    a = csv("a.csv", "id,created\n1,26/02/2018\n2,01/03/2018\n")
    b = csv("b.csv", "id,won\n1,02/26/2018\n")
    files = {"leads": a, "deals": b}
    header = combined_header(files, ["leads", "deals"])
    assert header == ["id", "created", "deals.id", "deals.won"]
    assert column_values(files, ["leads", "deals"], "created") == ["26/02/2018", "01/03/2018"]
    assert column_values(files, ["leads", "deals"], "deals.won") == ["02/26/2018"]


def test_column_values_are_a_sample():
    rows = "\n".join(f"{i},2018-01-01" for i in range(DATE_SAMPLE + 10))
    f = csv("big.csv", "id,d\n" + rows + "\n")
    assert len(column_values({"main": f}, ["main"], "d")) == DATE_SAMPLE


def test_date_columns_and_detect_order():
    chosen = {"item_id": "id", "closed_at": "closed", "@lead": "lead", "@deal": None, "owner": "o"}
    assert date_columns("items", chosen) == ["closed", "lead"]
    f = csv("x.csv", "id,closed,lead,o\n1,2018-02-01,02/26/2018,x\n")
    assert detect_order({"main": f}, ["main"], "items", chosen) == "mdy"
    assert detect_order({"main": f}, ["main"], "items", {"item_id": "id"}) is None


def test_guess_mapping_finds_the_preset_whose_columns_are_there():
    options = list_mappings()
    olist = [
        csv("olist_marketing_qualified_leads_dataset.csv",
            "mql_id,first_contact_date,landing_page_id,origin\nm1,2018-02-01,p,organic_search\n"),
        csv("olist_closed_deals_dataset.csv",
            "mql_id,seller_id,sdr_id,sr_id,won_date,business_segment,lead_type,"
            "lead_behaviour_profile,has_company,has_gtin,average_stock,business_type,"
            "declared_product_catalog_size,declared_monthly_revenue\n"
            "m1,s,a,b,2018-03-01,pet,online,cat,,,,reseller,,0\n"),
    ]  # fmt: skip
    assert guess_mapping(options, olist, None) == "olist"
    nothing = [csv("x.csv", "a,b\n1,2\n")]
    assert guess_mapping(options, nothing, None) is None


def test_dataset_stem():
    assert dataset_stem("leads.csv") == "leads"
    assert dataset_stem("export.2026.xlsx") == "export.2026"
    assert dataset_stem(".csv") == "data"
    assert dataset_stem("x" * 100 + ".csv") == "x" * 70


def test_column_defaults_per_field_and_stage():
    mapping = {
        "kind": "items",
        "columns": {"item_id": ["Lead Id", "ID"], "owner": "Owner", "source": "Nope"},
        "stage_dates": {"lead": "created"},
    }
    header = ["ID", "Owner", "Created"]
    got = column_defaults(mapping, header, ["lead", "deal"])
    assert got["item_id"] == "ID" and got["owner"] == "Owner"
    assert got["source"] is None and got["amount"] is None
    assert got["@lead"] == "Created" and got["@deal"] is None
    assert list(got)[-2:] == ["@lead", "@deal"]
    spend = column_defaults({"kind": "spend", "columns": {}}, header, ["lead"])
    assert spend == {"month": None, "source": None, "spend": None}
