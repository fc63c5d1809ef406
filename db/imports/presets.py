"""Ready column mappings for common exports (a saved mapping has the same shape).

A mapping is a JSON object:

- ``kind``: ``history`` (one row per item per stage), ``items`` (one row per item with a date
  column per stage, as CRM reports export), ``counts`` (monthly counts per stage),
  ``subscriptions`` or ``spend``;
- ``stages``: the stage design the file implies (optional; default: the database's);
- ``columns``: field -> the file's header (or a list of alternative headers, e.g. English and
  Japanese; the first one present is used). Fields per kind are listed in ``mapping.FIELDS``;
- ``stage_dates`` (items): stage -> the column holding the date the item entered it;
- ``owners`` (items, optional): stage -> column of the owner of that stage;
- ``values``: ``stage``/``outcome``/``status`` -> {file value: stage key or outcome}; keys are
  compared after NFKC and case folding. A ``status`` maps to an outcome (lost, disqualified,
  recycled, open) or to a stage key (the item reached that stage at ``closed_at``);
- ``unresolved`` (items): outcome of an item's last stage when nothing says otherwise
  (``open`` or ``lost``); ``dayfirst``: read ``01-02-2018`` as 1 February (true) or 2 January;
- ``join`` (two files): ``{"file": role, "on": column, "right_on": column}``; the joined file's
  columns are addressed as ``role.column``.
"""

from __future__ import annotations

import copy
from typing import Any

SALESFORCE_LEAD_STATUS = {
    # English default picklist
    "Open - Not Contacted": "open",
    "Working - Contacted": "open",
    "Closed - Converted": "opportunity",
    "Closed - Not Converted": "lost",
    "Unqualified": "disqualified",
    "Nurturing": "recycled",
    # Japanese org picklists
    "未対応": "open",
    "対応中": "open",
    "取引開始済み": "opportunity",
    "クローズ - 取引開始済み": "opportunity",
    "クローズ - 取引未開始": "lost",
    "不適格": "disqualified",
    "対象外": "disqualified",
    "ナーチャリング": "recycled",
    "育成中": "recycled",
}

SALESFORCE_OPPORTUNITY_STAGE = {
    "Closed Won": "won",
    "Closed Lost": "lost",
    "成立": "won",
    "不成立": "lost",
    "クローズ (成立)": "won",
    "クローズ (不成立)": "lost",
    "Prospecting": "open",
    "Qualification": "open",
    "Needs Analysis": "open",
    "Value Proposition": "open",
    "Id. Decision Makers": "open",
    "Perception Analysis": "open",
    "Proposal/Price Quote": "open",
    "Negotiation/Review": "open",
    "見込み": "open",
    "評価": "open",
    "提案": "open",
    "交渉": "open",
}

PRESETS: dict[str, dict[str, Any]] = {
    "salesforce_leads": {
        "label": "Salesforce lead report (English or Japanese headers)",
        "kind": "items",
        "stages": ["lead", "opportunity", "won"],
        "dayfirst": False,
        "columns": {
            "item_id": ["Lead ID", "リード ID", "リードID"],
            "source": ["Lead Source", "リードソース"],
            "segment": ["Industry", "業種"],
            "owner": ["Lead Owner", "リード所有者"],
            "status": ["Lead Status", "リード状況", "リードの状況"],
            "closed_at": ["Last Modified Date", "最終更新日"],
        },
        "stage_dates": {
            "lead": ["Created Date", "作成日"],
            "opportunity": ["Converted Date", "取引開始日"],
        },
        "values": {"status": SALESFORCE_LEAD_STATUS},
        "unresolved": "open",
    },
    "salesforce_opportunities": {
        "label": "Salesforce opportunity report (English or Japanese headers)",
        "kind": "items",
        "stages": ["lead", "opportunity", "won"],
        "dayfirst": False,
        "columns": {
            "item_id": ["Opportunity ID", "商談 ID", "商談ID"],
            "source": ["Lead Source", "リードソース"],
            "segment": ["Type", "種別"],
            "owner": ["Opportunity Owner", "商談 所有者", "商談所有者"],
            "amount": ["Amount", "金額"],
            "status": ["Stage", "フェーズ"],
            "closed_at": ["Close Date", "完了予定日"],
        },
        "stage_dates": {"opportunity": ["Created Date", "作成日"]},
        "values": {"status": SALESFORCE_OPPORTUNITY_STAGE},
        "unresolved": "open",
    },
    "hubspot_contacts": {
        "label": "HubSpot contacts export with lifecycle-stage dates",
        "kind": "items",
        "stages": ["lead", "mql", "sql", "opportunity", "won"],
        "dayfirst": False,
        "columns": {
            "item_id": ["Record ID", "Contact ID", "レコードID"],
            "source": ["Original Source", "Original source", "元のソース"],
            "segment": ["Industry", "業種"],
            "owner": ["Contact owner", "Contact Owner", "コンタクト担当者"],
            "status": ["Lead Status", "リードステータス"],
        },
        "stage_dates": {
            "lead": ["Became a Lead Date", "リードになった日"],
            "mql": ["Became a Marketing Qualified Lead Date", "MQLになった日"],
            "sql": ["Became a Sales Qualified Lead Date", "SQLになった日"],
            "opportunity": ["Became an Opportunity Date", "商談になった日"],
            "won": ["Became a Customer Date", "顧客になった日"],
        },
        "values": {
            "status": {
                "New": "open",
                "Open": "open",
                "In Progress": "open",
                "Open Deal": "open",
                "Attempted to Contact": "open",
                "Connected": "open",
                "Unqualified": "disqualified",
                "Bad Timing": "recycled",
                "新規": "open",
                "対応中": "open",
                "対象外": "disqualified",
                "タイミングが悪い": "recycled",
            }
        },
        "unresolved": "open",
    },
    "monthly_counts": {
        "label": "Monthly counts per stage (month, stage, count[, source])",
        "kind": "counts",
        "dayfirst": False,
        "columns": {
            "month": ["month", "Month", "年月", "月"],
            "stage": ["stage", "Stage", "ステージ"],
            "count": ["count", "Count", "arrivals", "件数", "数"],
            "source": ["source", "Source", "流入元", "ソース"],
            "segment": ["segment", "Segment", "セグメント"],
        },
        "values": {
            "stage": {
                "visitors": "visitor",
                "訪問者": "visitor",
                "訪問": "visitor",
                "leads": "lead",
                "リード": "lead",
                "opportunities": "opportunity",
                "商談": "opportunity",
                "受注": "won",
                "wins": "won",
            }
        },
    },
    "olist": {
        "label": "Olist marketing funnel (qualified leads + closed deals)",
        "kind": "items",
        "stages": ["mql", "won"],
        "dayfirst": True,
        "files": ["leads", "deals"],
        "join": {"file": "deals", "on": "mql_id", "right_on": "mql_id"},
        "columns": {
            "item_id": "mql_id",
            "source": "origin",
            "segment": "deals.business_segment",
        },
        "owners": {"mql": "deals.sdr_id", "won": "deals.sr_id"},
        "stage_dates": {"mql": "first_contact_date", "won": "deals.won_date"},
        "unresolved": "lost",
    },
}


def preset(name: str) -> dict[str, Any]:
    """A copy of a ready mapping."""
    from db.errors import DataLayerError

    if name not in PRESETS:
        raise DataLayerError(code="unknown_preset", params={"name": name, "presets": list(PRESETS)})
    return copy.deepcopy(PRESETS[name])
