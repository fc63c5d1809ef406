"""The real Olist marketing-funnel data through its preset, checked against plain pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from db import metrics
from db.imports import import_files, read_file
from db.quality import quality_report

pytestmark = pytest.mark.shared


@pytest.fixture
def olist_con(con, olist_dir):
    import_files(
        con,
        {
            "leads": read_file(olist_dir / "olist_marketing_qualified_leads_dataset.csv"),
            "deals": read_file(olist_dir / "olist_closed_deals_dataset.csv"),
        },
        "olist",
    )
    return con


def test_conversion_by_origin_and_days_to_win_match_pandas(olist_con, olist_dir):
    mql = pd.read_csv(olist_dir / "olist_marketing_qualified_leads_dataset.csv", dtype=str,
                      keep_default_na=False)  # fmt: skip
    deals = pd.read_csv(olist_dir / "olist_closed_deals_dataset.csv", dtype=str,
                        keep_default_na=False)  # fmt: skip
    df = mql.merge(deals[["mql_id", "won_date"]], on="mql_id", how="left")
    df["first"] = pd.to_datetime(df["first_contact_date"], format="%d-%m-%Y")
    df["won"] = pd.to_datetime(df["won_date"], format="%d-%m-%Y %H:%M")
    df["origin"] = df["origin"].replace("", None)
    expect = df.groupby("origin", dropna=False).agg(
        items=("mql_id", "size"), won=("won", "count"),
        days=("won", lambda w: ((w - df.loc[w.index, "first"]).dt.total_seconds() / 86400)
              .median()),
    )  # fmt: skip
    got = metrics.source_feedback(olist_con).set_index("source")
    assert len(got) == len(expect) == 11
    for origin, row in expect.iterrows():
        g = got.loc[origin if isinstance(origin, str) else got.index[got.index.isna()][0]]
        assert (g["items"], g["won"]) == (row["items"], row["won"])
        assert g["win_rate"] == pytest.approx(row["won"] / row["items"])
        assert g["days_to_win_median"] == pytest.approx(row["days"])
    assert got["won"].sum() == 842 and got["items"].sum() == 8000


def test_owners_and_quality_findings(olist_con):
    owners = olist_con.execute(
        "SELECT stage, count(DISTINCT owner) FROM stage_history WHERE owner IS NOT NULL "
        "GROUP BY stage ORDER BY stage"
    ).fetchall()
    assert dict(owners)["mql"] > 10 and dict(owners)["won"] > 10  # SDRs and SRs
    report = {f.check: f for f in quality_report(olist_con)}
    # one deal is dated before its lead's first contact
    assert report["dates_out_of_order"].count == 1
    assert report["unmapped_stages"].count == 0
