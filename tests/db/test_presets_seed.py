"""The seed tools' presets (Account Engagement/Pardot, Oracle Eloqua, Oracle NetSuite): a file
written in each vendor's documented export shape (``db.imports.presets.DOCUMENTED`` names the
pages) imports end to end, in English and in Japanese headers, and a plan runs from its baseline.

One funnel (``_funnel``: 120 people over 2024, seeded) is written in each vendor's shape, so
every test knows how many items reached each stage and how each ended."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest

from db.baseline import build_baseline
from db.imports import import_file, import_files, read_file
from db.imports.presets import DOCUMENTED, PRESETS
from db.schema import stage_keys
from model import parse_scenario, run_plan
from tests.db import helpers as h

VENDOR_PRESETS = (
    "pardot_prospects",
    "pardot_prospects_ja",
    "eloqua_contacts",
    "eloqua_responses",
    "netsuite_transactions",
)
WINDOW = (dt.date(2024, 1, 1), dt.date(2024, 12, 1))
OWNERS = ["Sato", "Suzuki", "Takahashi", "田中"]
SOURCES = ["Web", "Seminar", "展示会"]


def _funnel(n: int = 120, seed: int = 14) -> list[dict]:
    """People entering over 2024: lead, then MQL (60%), SQL (60% of those), opportunity (70%),
    then won (40%), lost (40%) or still open; the dates a few days to weeks apart."""
    rng = np.random.default_rng(seed)
    start = dt.datetime(2024, 1, 1, 9)
    people = []
    for i in range(n):
        p = {
            "id": 1000 + i,
            "owner": OWNERS[i % 4],
            "source": SOURCES[i % 3],
            "grade": "ABCD"[i % 4],
            "score": int(rng.integers(0, 200)),
            "amount": int(rng.integers(5, 50)) * 100_000,
        }
        t = start + dt.timedelta(days=int(rng.integers(0, 330)), hours=int(rng.integers(0, 8)))
        p["lead"] = t
        for stage, share, days in (("mql", 0.6, 10), ("sql", 0.6, 7), ("opportunity", 0.7, 5)):
            if rng.random() >= share:
                break
            t = t + dt.timedelta(days=1 + int(rng.integers(0, days)))
            p[stage] = t
        if "opportunity" in p:
            r = rng.random()
            p["end"] = "won" if r < 0.4 else "lost" if r < 0.8 else "open"
            p["closed"] = p["opportunity"] + dt.timedelta(days=10 + int(rng.integers(0, 40)))
        people.append(p)
    return people


FUNNEL = _funnel()


def _d(t: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return "" if t is None else t.strftime(fmt)


def _reached(stage: str) -> int:
    if stage == "won":
        return sum(p.get("end") == "won" for p in FUNNEL)
    return sum(stage in p for p in FUNNEL)


def _plan_runs(con, amounts: bool = True) -> dict:
    """The baseline of the window, and a plan from it with finite, positive wins (and bookings,
    when the export has amounts: a contact export has none)."""
    sc = build_baseline(con, *WINDOW, with_backtest=False)
    plan = run_plan(parse_scenario(sc))
    assert np.isfinite(plan.wins).all() and plan.wins.sum() > 0
    assert np.isfinite(plan.bookings).all() and (plan.bookings.sum() > 0) == amounts
    return sc


def _arrivals(con) -> dict[str, int]:
    return dict(con.execute("SELECT stage, count(*) FROM stage_history GROUP BY stage").fetchall())


def _outcomes(con, stage: str) -> dict[str, int]:
    return dict(
        con.execute(
            "SELECT outcome, count(*) FROM stage_history WHERE stage = ? GROUP BY outcome", [stage]
        ).fetchall()
    )


# -- Account Engagement (Pardot) ------------------------------------------------------------------
PARDOT_EN = (
    [
        "Prospect Id",
        "Email",
        "First Name",
        "Company",
        "Source",
        "Campaign",
        "Score",
        "Grade",
        "Assigned User",
        "Created Date",
        "MQL Date",
        "SQL Date",
        "Last Activity",
    ],
    [
        "Opportunity Id",
        "Prospect Id",
        "Name",
        "Value",
        "Probability",
        "Type",
        "Stage",
        "Status",
        "Created Date",
        "Closed Date",
        "Campaign",
    ],
)
PARDOT_JA = (
    [
        "プロスペクト ID",
        "メール",
        "名",
        "会社",
        "ソース",
        "キャンペーン",
        "スコア",
        "グレード",
        "割り当てユーザー",
        "作成日",
        "MQL 日付",
        "SQL 日付",
        "最終アクティビティ",
    ],
    [
        "商談 ID",
        "プロスペクト ID",
        "名前",
        "金額",
        "確度",
        "種別",
        "フェーズ",
        "状況",
        "作成日",
        "完了日",
        "キャンペーン",
    ],
)


def _pardot(headers, won="Won", lost="Lost", open_="Open"):
    prospects, opps = [headers[0]], [headers[1]]
    for p in FUNNEL:
        prospects.append(
            [
                str(p["id"]),
                f"p{p['id']}@example.jp",
                "Taro",
                "ACME",
                p["source"],
                f"FY24 {p['source']}",
                str(p["score"]),
                p["grade"],
                p["owner"],
                _d(p["lead"]),
                _d(p.get("mql")),
                _d(p.get("sql")),
                _d(p["lead"]),
            ]
        )
        if "opportunity" in p:
            status = {"won": won, "lost": lost, "open": open_}[p["end"]]
            closed = "" if p["end"] == "open" else _d(p["closed"])
            opps.append(
                [
                    f"O{p['id']}",
                    str(p["id"]),
                    "ACME deal",
                    str(p["amount"]),
                    "50",
                    "New",
                    "Proposal",
                    status,
                    _d(p["opportunity"]),
                    closed,
                    "FY24",
                ]
            )
    return prospects, opps


def _check_funnel(con, stages=("lead", "mql", "sql", "opportunity", "won")) -> None:
    got = _arrivals(con)
    assert got == {s: _reached(s) for s in stages}
    opp = _outcomes(con, "opportunity")
    assert opp["converted"] == _reached("won")
    assert opp["lost"] == sum(p.get("end") == "lost" for p in FUNNEL)
    assert opp["open"] == sum(p.get("end") == "open" for p in FUNNEL)


def test_pardot_prospects_with_opportunities_english(con):
    prospects, opps = _pardot(PARDOT_EN)
    res = import_files(
        con,
        {
            "prospects": read_file(h.csv_bytes(prospects), "prospects.csv"),
            "opportunities": read_file(h.csv_bytes(opps), "opportunities.csv"),
        },
        "pardot_prospects",
    )
    assert res.stages == ("lead", "mql", "sql", "opportunity", "won")
    _check_funnel(con)
    won = con.execute(
        "SELECT item_id, entered_at, amount, owner, source, segment FROM stage_history "
        "WHERE stage = 'won' ORDER BY item_id LIMIT 1"
    ).fetchone()
    first = next(p for p in FUNNEL if p.get("end") == "won")
    assert won == (
        str(first["id"]),
        first["closed"],
        first["amount"],
        first["owner"],
        first["source"],
        first["grade"],
    )
    sc = _plan_runs(con)
    assert [s["key"] for s in sc["stages"]] == ["lead", "mql", "sql", "opportunity", "won"]


def test_pardot_prospects_japanese_headers_cp932(con):
    prospects, opps = _pardot(PARDOT_JA, won="成立", lost="不成立", open_="オープン")
    import_files(
        con,
        {
            "prospects": read_file(h.csv_bytes(prospects, "cp932"), "プロスペクト.csv"),
            "opportunities": read_file(h.csv_bytes(opps, "cp932"), "商談.csv"),
        },
        "pardot_prospects_ja",
    )
    _check_funnel(con)
    _plan_runs(con)


# -- Oracle Eloqua -----------------------------------------------------------------------------
ELOQUA_EN = [
    "Eloqua Contact ID",
    "Email Address",
    "First Name",
    "Company",
    "Lead Source - Most Recent",
    "Lead Rating",
    "Lead Score",
    "Contact Owner",
    "Lead Status",
    "Date Created",
    "Date Modified",
    "MQL Date",
    "SQL Date",
    "Opportunity Date",
    "Won Date",
]
ELOQUA_JA = [
    "Eloqua 連絡先 ID",
    "メールアドレス",
    "名",
    "会社",
    "リードソース - 最新",
    "リード評価",
    "リードスコア",
    "連絡先所有者",
    "リードステータス",
    "作成日",
    "更新日",
    "MQL 日付",
    "SQL 日付",
    "商談化日",
    "受注日",
]


def _eloqua(header, lost="Lost", working="Working"):
    rows = [header]
    for p in FUNNEL:
        end = p.get("end")
        won = p["closed"] if end == "won" else None
        modified = p["closed"] if end in ("won", "lost") else p["lead"]
        status = lost if end == "lost" else working
        rows.append(
            [
                f"CEL{p['id']}",
                f"p{p['id']}@example.jp",
                "Hanako",
                "ACME",
                p["source"],
                f"{p['grade']}1",
                str(p["score"]),
                p["owner"],
                status,
                _d(p["lead"], "%m/%d/%Y %I:%M:%S %p"),
                _d(modified, "%m/%d/%Y %I:%M:%S %p"),
                _d(p.get("mql"), "%m/%d/%Y"),
                _d(p.get("sql"), "%m/%d/%Y"),
                _d(p.get("opportunity"), "%m/%d/%Y"),
                _d(won, "%m/%d/%Y"),
            ]
        )
    return rows


@pytest.mark.parametrize(
    ("header", "lost", "working", "encoding"),
    [(ELOQUA_EN, "Lost", "Working", "utf-8"), (ELOQUA_JA, "失注", "対応中", "utf-8-sig")],
)
def test_eloqua_contacts_with_lead_stage_dates(con, header, lost, working, encoding):
    res = import_file(
        con,
        h.csv_bytes(_eloqua(header, lost, working), encoding),
        "eloqua_contacts",
        name="contacts.csv",
    )
    assert res.stages == ("lead", "mql", "sql", "opportunity", "won")
    _check_funnel(con)
    lead = next(p for p in FUNNEL if "mql" not in p)
    row = con.execute(
        "SELECT entered_at, outcome, segment FROM stage_history WHERE item_id = ?",
        [f"CEL{lead['id']}"],
    ).fetchone()
    assert row == (lead["lead"], "open", f"{lead['grade']}1")  # a 12-hour clock, read right
    _plan_runs(con, amounts=False)


ACTIVITY = [
    "ActivityId",
    "ActivityType",
    "ActivityDate",
    "EmailAddress",
    "ContactId",
    "AssetType",
    "AssetName",
    "AssetId",
    "CampaignId",
    "CampaignName",
]


def test_eloqua_activity_export_each_response_a_lead(con):
    """The Bulk API's activity export of form submits and web visits: every row a lead with its
    campaign as the source. Then a campaign-response export (member status) into the same
    funnel, and a contacts export beside them: the responses are leads that went no further, the
    contacts carry the later stages, and a plan runs from the whole."""
    rows = [ACTIVITY]
    for p in FUNNEL[:60]:
        kind = "FormSubmit" if p["id"] % 2 else "WebVisit"
        rows.append(
            [
                f"A{p['id']}",
                kind,
                _d(p["lead"]),
                f"p{p['id']}@example.jp",
                f"C{p['id']}",
                "Form",
                "Contact us",
                "12",
                "77",
                f"FY24 {p['source']}",
            ]
        )
    res = import_file(con, h.csv_bytes(rows), "eloqua_responses", name="activities.csv")
    assert res.rows_written == 60 and _arrivals(con) == {"lead": 60}
    assert {r[0] for r in con.execute("SELECT DISTINCT source FROM stage_history").fetchall()} == {
        f"FY24 {s}" for s in SOURCES
    }
    responses = [["Response ID", "Contact ID", "Campaign Name", "Member Status", "Response Date"]]
    for p in FUNNEL[60:]:
        status = "No Show" if p["id"] % 5 == 0 else "Responded"
        responses.append([f"R{p['id']}", f"C{p['id']}", "Seminar 2024", status, _d(p["lead"])])
    import_file(con, h.csv_bytes(responses), "eloqua_responses", name="responses.csv")
    assert _arrivals(con) == {"lead": 120}
    assert _outcomes(con, "lead")["lost"] == sum(p["id"] % 5 == 0 for p in FUNNEL[60:])
    # leads alone hold no later stage to plan from; with the contacts export they do
    import_file(con, h.csv_bytes(_eloqua(ELOQUA_EN)), "eloqua_contacts", name="contacts.csv")
    _plan_runs(con, amounts=False)


# -- Oracle NetSuite ---------------------------------------------------------------------------
NETSUITE_EN = [
    "Type",
    "Date",
    "Document Number",
    "Opportunity",
    "Name",
    "Status",
    "Amount",
    "Sales Rep",
    "Lead Source",
    "Expected Close",
]
NETSUITE_JA = [
    "種類",
    "日付",
    "ドキュメント番号",
    "商談",
    "名前",
    "ステータス",
    "金額",
    "営業担当者",
    "リードソース",
    "予想完了日",
]
NS_VALUES = {
    "en": {
        "opp": "Opportunity",
        "est": "Estimate",
        "so": "Sales Order",
        "progress": "In Progress",
        "issued": "Issued Estimate",
        "won": "Closed - Won",
        "lost": "Closed - Lost",
        "open": "Open",
        "processed": "Processed",
        "expired": "Expired",
        "billing": "Pending Billing",
    },
    "ja": {
        "opp": "商談",
        "est": "見積",
        "so": "受注",
        "progress": "進行中",
        "issued": "見積発行済み",
        "won": "クローズ - 受注",
        "lost": "クローズ - 失注",
        "open": "未処理",
        "processed": "処理済み",
        "expired": "期限切れ",
        "billing": "請求済み",
    },
}


def _netsuite(header, v):
    """One row per transaction: every opportunity; an estimate for the won and the lost ones
    (processed into the order, or expired); a sales order for each win."""
    rows = [header]
    for p in FUNNEL:
        if "opportunity" not in p:
            continue
        opp = f"OPP{p['id']}"
        end = p["end"]
        quoted = p["opportunity"] + (p["closed"] - p["opportunity"]) / 2
        status = {"won": v["issued"], "lost": v["lost"], "open": v["progress"]}[end]
        common = ["ACME 株式会社", str(p["amount"]), p["owner"], p["source"]]
        rows.append(
            [
                v["opp"],
                _d(p["opportunity"], "%m/%d/%Y"),
                opp,
                opp,
                common[0],
                status,
                *common[1:],
                _d(p["closed"], "%m/%d/%Y"),
            ]
        )
        if end == "open":
            continue
        est = v["processed"] if end == "won" else v["expired"]
        rows.append(
            [
                v["est"],
                _d(quoted, "%m/%d/%Y"),
                f"EST{p['id']}",
                opp,
                common[0],
                est,
                *common[1:],
                "",
            ]
        )
        if end == "won":
            rows.append(
                [
                    v["so"],
                    _d(p["closed"], "%m/%d/%Y"),
                    f"SO{p['id']}",
                    opp,
                    common[0],
                    v["billing"],
                    *common[1:],
                    "",
                ]
            )
    return rows


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_netsuite_saved_search_of_opportunities_estimates_and_orders(con, lang):
    header = NETSUITE_EN if lang == "en" else NETSUITE_JA
    data = _netsuite(header, NS_VALUES[lang])
    raw = h.xlsx_bytes(data) if lang == "ja" else h.csv_bytes(data)
    res = import_file(
        con, raw, "netsuite_transactions", name=f"search.{'xlsx' if lang == 'ja' else 'csv'}"
    )
    assert res.stages == ("opportunity", "estimate", "won")
    opps = [p for p in FUNNEL if "opportunity" in p]
    won = sum(p["end"] == "won" for p in opps)
    lost = sum(p["end"] == "lost" for p in opps)
    assert _arrivals(con) == {"opportunity": len(opps), "estimate": won + lost, "won": won}
    assert _outcomes(con, "opportunity") == {
        "converted": won,
        "lost": lost,
        "open": len(opps) - won - lost,
    }
    assert _outcomes(con, "estimate") == {"converted": won, "lost": lost}
    bookings = con.execute("SELECT sum(amount) FROM stage_history WHERE stage = 'won'").fetchone()
    assert bookings[0] == sum(p["amount"] for p in opps if p["end"] == "won")
    _plan_runs(con)


# -- the list ----------------------------------------------------------------------------------
def test_every_vendor_preset_names_its_pages_and_the_cli_lists_them():
    assert set(VENDOR_PRESETS) <= set(PRESETS) and set(DOCUMENTED) == set(VENDOR_PRESETS)
    for name in VENDOR_PRESETS:
        assert DOCUMENTED[name]["pages"] and all(
            u.startswith("https://") for u in DOCUMENTED[name]["pages"]
        )
        assert DOCUMENTED[name]["open"]
    out = subprocess.run(
        [sys.executable, "-m", "db", "presets"], capture_output=True, text=True, check=True
    ).stdout
    names = [line.split("\t")[0] for line in out.splitlines() if not line.startswith("\t")]
    assert names == list(PRESETS)
    for name in VENDOR_PRESETS:
        for page in DOCUMENTED[name]["pages"]:
            assert f"\tsource: {page}" in out


def test_a_vendor_preset_sets_its_stage_design(con):
    import_file(
        con,
        h.csv_bytes(_netsuite(NETSUITE_EN, NS_VALUES["en"])),
        "netsuite_transactions",
        name="s.csv",
    )
    assert stage_keys(con) == ["opportunity", "estimate", "won"]
