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

Every preset of a vendor's export names, in ``DOCUMENTED``, the vendor pages its headers and values
come from, and says what those pages leave open (``python -m db presets`` prints both).
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

# -- Marketing Cloud Account Engagement (Pardot) -----------------------------------------------
# Lifecycle stages (Visitor, Prospect, MQL, SQL, Won opportunity): the Lifecycle Stage object;
# prospect and opportunity fields (score, grade, source, campaign, assigned user, created date;
# opportunity value, status Won/Lost/Open, created and closed dates, its prospects): the Object
# Field References. The UI's CSV headers are the field labels; the Japanese labels are those of
# the Japanese UI as we chose them (the pages do not list them).
PARDOT_OPPORTUNITY_STATUS = {
    "Won": "won",
    "Lost": "lost",
    "Open": "open",
    "成立": "won",
    "不成立": "lost",
    "オープン": "open",
    "未完了": "open",
}

# -- Oracle Eloqua -------------------------------------------------------------------------------
# The contact export's lead-stage dates are the fields a lead-lifecycle program stamps (Eloqua
# ships no standard MQL/SQL date fields: the names below are the common ones, our choice); the
# activity export's fields (ActivityId, ActivityType, ActivityDate, ContactId, CampaignName) are
# the Bulk API's documented export definitions, and a campaign response export adds its member
# status.
ELOQUA_LEAD_STATUS = {
    "Open": "open",
    "Working": "open",
    "Nurture": "recycled",
    "Recycled": "recycled",
    "Disqualified": "disqualified",
    "Rejected": "disqualified",
    "Lost": "lost",
    "Closed Lost": "lost",
    "未対応": "open",
    "対応中": "open",
    "ナーチャリング": "recycled",
    "リサイクル": "recycled",
    "不適格": "disqualified",
    "失注": "lost",
}
ELOQUA_RESPONSE = {
    # activity types that are a response (the Bulk API's activity export definitions)
    "FormSubmit": "open",
    "Form Submit": "open",
    "Subscribe": "open",
    "WebVisit": "open",
    "Web Visit": "open",
    "EmailClickthrough": "open",
    "Email Clickthrough": "open",
    # campaign response member statuses (our choice: the pages do not list them)
    "Responded": "open",
    "Registered": "open",
    "Attended": "open",
    "No Show": "lost",
    "Unsubscribe": "disqualified",
    "Bounceback": "disqualified",
    "反応あり": "open",
    "登録済み": "open",
    "参加": "open",
    "欠席": "lost",
}

# -- Oracle NetSuite -----------------------------------------------------------------------------
# A transaction saved search of opportunities, estimates and sales orders (Type, Date, Document
# Number, Status, Amount, Sales Rep, Lead Source), one row per transaction; the deal a row
# belongs to is its Opportunity column (an estimate's or sales order's opportunity; on the
# opportunity's own row, the saved search shows the opportunity itself, e.g. a formula column
# named Opportunity). The statuses are those of NetSuite's UI in English and Japanese (the record
# pages name the fields, not every status: our choice where they do not).
NETSUITE_TYPE = {
    "Opportunity": "opportunity",
    "Estimate": "estimate",
    "Quote": "estimate",
    "Sales Order": "won",
    "商談": "opportunity",
    "見積": "estimate",
    "見積書": "estimate",
    "受注": "won",
    "販売注文": "won",
}
NETSUITE_STATUS = {
    # opportunities
    "In Progress": "open",
    "Issued Estimate": "converted",
    "Closed - Won": "converted",
    "Closed Won": "converted",
    "Closed - Lost": "lost",
    "Closed Lost": "lost",
    # estimates
    "Open": "open",
    "Processed": "converted",
    "Closed": "lost",
    "Expired": "lost",
    "Voided": "disqualified",
    # sales orders (the terminal stage: its row is the win, whatever its fulfilment)
    "Pending Approval": "open",
    "Pending Fulfillment": "open",
    "Partially Fulfilled": "open",
    "Pending Billing": "open",
    "Pending Billing/Partially Fulfilled": "open",
    "Billed": "open",
    "Cancelled": "lost",
    "進行中": "open",
    "見積発行済み": "converted",
    "クローズ - 受注": "converted",
    "クローズ - 失注": "lost",
    "未処理": "open",
    "処理済み": "converted",
    "期限切れ": "lost",
    "無効": "disqualified",
    "承認待ち": "open",
    "配送待ち": "open",
    "請求済み": "open",
    "キャンセル": "lost",
}


LIFECYCLE = ["lead", "mql", "sql", "opportunity", "won"]


def _lifecycle(label: str, columns: dict, stage_dates: dict, status: dict, **more: Any) -> dict:
    """A one-row-per-person export with a date per lifecycle stage (month/day order, as US
    exports write dates), its status mapped by ``status``, open when nothing says otherwise."""
    return {"label": label, "kind": "items", "stages": list(LIFECYCLE), "dayfirst": False,
            "columns": columns, "stage_dates": stage_dates, "values": {"status": status},
            "unresolved": "open", **more}  # fmt: skip


PARDOT = _lifecycle(
    "Account Engagement (Pardot) prospects + their opportunities",
    {
        "item_id": ["Prospect Id", "Id", "プロスペクト ID", "プロスペクトID"],
        "source": ["Source", "ソース", "Campaign", "キャンペーン"],
        "segment": ["Grade", "グレード"],
        "owner": ["Assigned User", "Assigned To", "割り当てユーザー", "担当者"],
        "amount": ["opportunities.Value", "opportunities.金額"],
        "status": ["opportunities.Status", "opportunities.状況", "opportunities.ステータス"],
        "closed_at": [
            "opportunities.Closed At",
            "opportunities.Closed Date",
            "opportunities.完了日",
        ],
    },
    {
        "lead": ["Created At", "Created Date", "作成日"],
        "mql": ["MQL Date", "Marketing Qualified Date", "MQL 日付", "MQL日"],
        "sql": ["SQL Date", "Sales Qualified Date", "SQL 日付", "SQL日"],
        "opportunity": [
            "opportunities.Created At",
            "opportunities.Created Date",
            "opportunities.作成日",
        ],
    },
    PARDOT_OPPORTUNITY_STATUS,
    files=["prospects", "opportunities"],
    join={"file": "opportunities", "on": "Prospect Id", "right_on": "Prospect Id"},
)
# the join names one column per file: the Japanese UI's export joins on its own header
PARDOT_JA = {
    **copy.deepcopy(PARDOT),
    "label": "Account Engagement (Pardot) prospects + their opportunities (Japanese headers)",
    "join": {"file": "opportunities", "on": "プロスペクト ID", "right_on": "プロスペクト ID"},
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
    "pardot_prospects": PARDOT,
    "pardot_prospects_ja": PARDOT_JA,
    "eloqua_contacts": _lifecycle(
        "Oracle Eloqua contact export with lead-stage dates (English or Japanese)",
        {
            "item_id": [
                "Eloqua Contact ID",
                "Contact ID",
                "ContactId",
                "Eloqua 連絡先 ID",
                "連絡先 ID",
            ],
            "source": [
                "Lead Source - Most Recent",
                "Lead Source - Original",
                "Lead Source",
                "リードソース - 最新",
                "リードソース - 最初",
                "リードソース",
            ],
            "segment": ["Lead Rating", "Industry", "リード評価", "業種"],
            "owner": ["Contact Owner", "Sales Rep", "連絡先所有者", "営業担当者"],
            "status": ["Lead Status", "リードステータス"],
            "closed_at": ["Date Modified", "更新日"],
        },
        {
            "lead": ["Date Created", "作成日"],
            "mql": ["MQL Date", "Date Became MQL", "MQL 日付"],
            "sql": ["SQL Date", "Date Became SQL", "SQL 日付"],
            "opportunity": ["Opportunity Date", "Date Became Opportunity", "商談化日"],
            "won": ["Won Date", "Date Became Customer", "受注日"],
        },
        ELOQUA_LEAD_STATUS,
    ),
    "eloqua_responses": _lifecycle(
        "Oracle Eloqua activity or campaign-response export (each response a lead)",
        {
            "item_id": [
                "ActivityId",
                "Activity ID",
                "CampaignResponseId",
                "Response ID",
                "アクティビティ ID",
                "レスポンス ID",
            ],
            "source": ["CampaignName", "Campaign Name", "キャンペーン名"],
            "segment": ["AssetType", "Asset Type", "アセットタイプ"],
            "status": [
                "MemberStatus",
                "Member Status",
                "ActivityType",
                "Activity Type",
                "メンバーステータス",
                "アクティビティタイプ",
            ],
        },
        {
            "lead": [
                "ActivityDate",
                "Activity Date",
                "CreatedAt",
                "Response Date",
                "アクティビティ日",
                "レスポンス日",
            ],
        },
        ELOQUA_RESPONSE,
    ),
    "netsuite_transactions": {
        "label": "Oracle NetSuite saved search: opportunities, estimates, sales orders (EN or JA)",
        "kind": "history",
        "stages": ["opportunity", "estimate", "won"],
        "dayfirst": False,
        "columns": {
            "item_id": ["Opportunity", "商談"],
            "stage": ["Type", "種類"],
            "entered_at": ["Date", "日付"],
            "outcome": ["Status", "ステータス"],
            "source": ["Lead Source", "リードソース"],
            "segment": ["Class", "Department", "クラス", "部門"],
            "owner": ["Sales Rep", "営業担当者"],
            "amount": ["Amount", "金額"],
        },
        "values": {"stage": NETSUITE_TYPE, "outcome": NETSUITE_STATUS},
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

# preset -> the vendor pages its headers and values come from, and what they leave open
DOCUMENTED: dict[str, dict[str, Any]] = {
    "pardot_prospects": {
        "pages": [
            "https://developer.salesforce.com/docs/marketing/pardot/guide/lifecycle-stage-v5.html",
            "https://developer.salesforce.com/docs/marketing/pardot/guide/object-field-reference.html",
        ],
        "open": "MQL and SQL dates are not standard prospect fields (the lifecycle report keeps "
        "them): export them as fields named MQL Date / SQL Date; one opportunity per prospect "
        "(the most recent); score is not imported (grade is the segment); Japanese headers are "
        "our choice",
    },
    "eloqua_contacts": {
        "pages": [
            "https://docs.oracle.com/cloud/latest/marketingcs_gs/OMCAB/Developers/BulkAPI/Tutorials/FieldsMetadata.htm",
            "https://docs.oracle.com/cloud/latest/marketingcs_gs/OMCAB/Developers/BulkAPI/Tutorials/Export.htm",
        ],
        "open": "Eloqua has no standard lead-stage date fields: the names are those a lead "
        "lifecycle program commonly stamps (our choice), as are the lead status values and the "
        "Japanese headers",
    },
    "eloqua_responses": {
        "pages": [
            "https://docs.oracle.com/cloud/latest/marketingcs_gs/OMCAB/Developers/BulkAPI/Tutorials/ExportingActivities/Activities-export-definitions.htm",
            "https://docs.oracle.com/cloud/latest/marketingcs_gs/OMCAC/op-api-bulk-2.0-campaignresponses-exports-post.html",
        ],
        "open": "campaign response member status values are not listed (our choice); every "
        "response is a lead, so import it into a dataset of its own, not beside the contacts",
    },
    "netsuite_transactions": {
        "pages": [
            "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N3196490.html",
            "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1068218.html",
        ],
        "open": "the pages name the records and fields, not every status value nor the "
        "Japanese labels (our choice); every row needs its opportunity in an Opportunity column "
        "(the opportunity's own row too, e.g. a formula column)",
    },
}

DOCUMENTED["pardot_prospects_ja"] = DOCUMENTED["pardot_prospects"]


def preset(name: str) -> dict[str, Any]:
    """A copy of a ready mapping."""
    from db.errors import DataLayerError

    if name not in PRESETS:
        raise DataLayerError(code="unknown_preset", params={"name": name, "presets": list(PRESETS)})
    return copy.deepcopy(PRESETS[name])
