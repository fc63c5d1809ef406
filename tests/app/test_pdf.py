"""The one-page PDF summary (issue 12): one A4 landscape page that parses, with the Overview's
and the Divisions page's figures as those pages write them, Noto Sans CJK embedded for Japanese,
English with a reason when the server has no CJK font, and its button on the pages."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.app.conftest import metric, open_app
from ui import pdf, state
from ui.common import Fmt
from ui.format import inert
from ui.i18n import translate

A4_LANDSCAPE_PT = (841.89, 595.28)


def _reader(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def _squeezed(text: str) -> str:
    """Text without whitespace, to find a sentence the page wrapped over lines (in Japanese a
    line may end between any two characters)."""
    return re.sub(r"\s+", "", text)


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(data).pages)


def _fonts(data: bytes) -> list[dict]:
    """Each font of the page: its base name, subtype and whether its glyphs are embedded."""
    out = []
    for font in _reader(data).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        leaf = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        desc = leaf.get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        out.append(
            {"name": str(font["/BaseFont"]), "subtype": leaf["/Subtype"], "embedded": embedded}
        )
    return out


needs_cjk = pytest.mark.skipif(
    not pdf.cjk_font_available(),
    reason=f"no Noto Sans CJK at {pdf.CJK_FONTS[0]} (Debian's fonts-noto-cjk; .ci/run installs it)",
)


@pytest.fixture
def cur(scenario_json) -> state.Current:
    return state.plan_of(scenario_json)


@needs_cjk
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_summary_is_one_a4_landscape_page(cur, lang):
    reader = _reader(pdf.summary_pdf(cur, lang, "JPY"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_LANDSCAPE_PT, abs=0.5)
    assert reader.metadata.title == pdf.summary_of(cur, lang, "JPY").title


@needs_cjk
@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_the_overview_figures_are_in_the_pdf_as_the_overview_writes_them(cur, locale, lang):
    at = open_app(locale, "pages/overview.py")
    bookings = translate("metric.bookings", lang)
    first = translate("stage.visitor", lang)
    shown = {
        "target": metric(at, translate("overview.target", lang, metric=bookings)).value,
        "gap": metric(at, translate("overview.gap", lang)).value,
        "confidence": metric(at, translate("overview.confidence", lang)).value,
        "chance": metric(at, translate("overview.run_rate_chance", lang)).value,
        "required": metric(at, translate("overview.required_inflow", lang, stage=first)).value,
    }
    assert shown["gap"].startswith("-")  # the sample falls short at today's inflow
    text = _text(pdf.summary_pdf(cur, lang, "JPY"))
    for what, value in shown.items():
        assert value in text, (what, value)
    assert translate("pdf.gap", lang) in text
    # the bottleneck sentence of the Overview, as it reads (without markdown's escapes)
    word = translate("pdf.bottleneck", lang).lower()
    bottleneck = [a.value for a in at.info if word in a.value.lower()]
    assert bottleneck, [a.value for a in at.info]
    assert _squeezed(pdf.plain(bottleneck[0])) in _squeezed(text)


@needs_cjk
def test_each_division_has_its_number_and_ranges_as_the_divisions_page_shows_them(cur):
    at = open_app("ja-JP", "pages/divisions.py")
    rows = pdf.summary_of(cur, "ja", "JPY").rows
    by_name = {r.division: r for r in rows}
    assert set(by_name) == {
        translate(f"division.{v.division}", "ja") for v in state.divisions_of(cur)
    }
    text = _text(pdf.summary_pdf(cur, "ja", "JPY"))
    for view in state.divisions_of(cur):
        row = by_name[translate(f"division.{view.division}", "ja")]
        if view.kpi_stage is None:
            continue
        stage = translate(f"stage.{view.kpi_stage}", "ja")
        assert row.per_month == metric(at, translate("div.kpi", "ja", stage=stage)).value
        assert row.total == metric(at, translate("div.kpi_total", "ja", stage=stage)).value
        for value in (row.division, row.per_month, row.total, row.band, *row.ranges):
            assert value in text, value
    # a range the division committed to, to a hundredth of a point as its inputs show it
    inside = by_name[translate("division.inside_sales", "ja")]
    assert any(re.search(r"\d+\.\d\d% / \d+\.\d\d% / \d+\.\d\d%", r) for r in inside.ranges)


@needs_cjk
def test_the_japanese_summary_embeds_noto_sans_cjk(cur):
    data = pdf.summary_pdf(cur, "ja", "JPY")
    fonts = _fonts(data)
    cjk = [f for f in fonts if "NotoSansCJK" in f["name"]]
    assert cjk, fonts
    assert all(f["embedded"] for f in cjk), cjk
    # subsets (a tag before the name), not the whole 20 MB face, as TrueType (Identity-H)
    assert all(re.match(r"^/[A-Z]{6}\+", f["name"]) for f in cjk), cjk
    assert all(f["subtype"] == "/CIDFontType2" for f in cjk), cjk
    assert len(data) < 1_000_000
    text = _text(data)
    assert "1ページサマリー" in text
    assert translate("sample.scenario_name", "ja") in text  # the sample's name, in Japanese
    assert translate("pdf.divisions", "ja") in text


def test_markdown_of_the_pages_reads_plainly():
    assert pdf.plain(inert("Leads [web] *new* (2.5%) → Won_deals")) == (
        "Leads [web] *new* (2.5%) → Won_deals"
    )
    assert pdf.plain("falls by **¥29.1M**") == "falls by ¥29.1M"


@pytest.fixture
def no_cjk_font(monkeypatch, tmp_path):
    missing = (tmp_path / "NotoSansCJK-Regular.ttc", tmp_path / "NotoSansCJK-Bold.ttc")
    monkeypatch.setattr(pdf, "CJK_FONTS", missing)


@pytest.mark.parametrize("latin", ["dejavu", "builtin"])
def test_without_the_cjk_font_a_japanese_summary_is_made_in_english(
    cur, no_cjk_font, monkeypatch, tmp_path, latin
):
    if latin == "builtin":  # no font file at all: the PDF's own Helvetica
        monkeypatch.setattr(pdf, "LATIN_FONTS", (tmp_path / "a.ttf", tmp_path / "b.ttf"))
    elif not pdf.LATIN_FONTS[0].is_file():
        pytest.skip(f"no DejaVu Sans at {pdf.LATIN_FONTS[0]} (Debian's fonts-dejavu-core)")
    assert pdf.summary_language("ja") == "en"
    data = pdf.summary_pdf(cur, "ja", "EUR")
    assert len(_reader(data).pages) == 1
    text = _text(data)
    assert translate("pdf.gap", "en") in text
    assert "€8.5B" in text  # the target in the currency asked for
    assert not any("NotoSansCJK" in f["name"] for f in _fonts(data))


def test_without_the_cjk_font_the_page_says_why_the_summary_is_in_english(no_cjk_font):
    at = open_app("ja-JP", "pages/scenarios.py")
    captions = [c.value for c in at.caption]
    assert translate("pdf.font_missing", "ja") in captions, captions


@pytest.mark.parametrize("page", ["pages/scenarios.py", "pages/overview.py"])
def test_the_summary_button_is_on_the_page(page):
    at = open_app("ja-JP", page)
    buttons = [b for b in at.get("download_button") if b.proto.label == "1ページサマリー(PDF)"]
    assert len(buttons) == 1, [b.proto.label for b in at.get("download_button")]
    assert buttons[0].proto.id.endswith(".dl.pdf")
    if pdf.cjk_font_available():  # made in Japanese: no word about a missing font
        assert translate("pdf.font_missing", "ja") not in [c.value for c in at.caption]


# ----- the bridge (issue 12) ----------------------------------------------------------------------
def _with_the_sample_data(
    cur: state.Current, lang: str, currency: str = "JPY"
) -> tuple[int, pdf.Summary, bytes]:
    """The months the sample data has closed of ``cur``'s plan, its summary and the PDF."""
    from db.sample import open_sample_database

    con = open_sample_database()
    try:
        closed = pdf.months_closed(cur, con)
        summary = pdf.summary_of(cur, lang, currency, con)
        return closed, summary, pdf.summary_pdf(cur, lang, currency, con)
    finally:
        con.close()


@needs_cjk
@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_a_plan_without_actuals_has_the_revenue_bridge_as_customer_success_shows_it(
    cur, locale, lang
):
    """The sample's FY2026 plan starts after the data ends: no months closed, so the summary
    has the revenue bridge, opening MRR → new → expansion → churn → closing MRR, each figure
    as the Customer success page's waterfall writes it."""
    from tests.app.test_revenue_bridge import _waterfall

    closed, summary, data = _with_the_sample_data(cur, lang)
    assert closed == 0
    assert summary.headings["bridge"] == translate("pdf.bridge", lang)
    bars = _waterfall(open_app(locale, page="pages/customers.py"))
    assert bars["key"].tolist() == ["opening", "new", "expansion", "churn", "closing"]
    parts = [f"{label} {value}" for label, value in zip(bars["label"], bars["value_text"],
                                                         strict=True)]  # fmt: skip
    assert summary.bridge == pdf.BRIDGE_JOIN.join(parts)
    text = _squeezed(_text(data))
    assert _squeezed(summary.headings["bridge"] + summary.bridge) in text


@needs_cjk
@pytest.mark.parametrize(("locale", "lang"), [("en-US", "en"), ("ja-JP", "ja")])
def test_a_plan_of_record_with_months_closed_has_the_plan_vs_actual_bridge(locale, lang):
    """The sample's FY2025 plan of record, whose twelve months the data holds: plan to date →
    each factor with its division → residual → actual, as the Plan vs actual page's bridge
    table has them."""
    from db import actuals as dba

    record = state.plan_of(dba.sample_plan_of_record())
    closed, summary, data = _with_the_sample_data(record, lang)
    assert closed == 12
    last = Fmt(lang, "JPY").month(record.plan.months[11])
    assert summary.headings["bridge"] == translate("pdf.bridge_actual", lang, k=12, end=last)
    at = open_app(locale, page="pages/actuals.py")
    bar, effect = translate("actuals.col.bar", lang), translate("actuals.col.effect", lang)
    table = next(d.value for d in at.dataframe if bar in d.value.columns)
    parts = [f"{label} {value}" for label, value in zip(table[bar], table[effect], strict=True)]
    # plan; inflow, three stages' rates, lags, deal size; residual; actual
    assert len(parts) == 1 + 6 + 2
    assert summary.bridge == pdf.BRIDGE_JOIN.join(parts)
    text = _squeezed(_text(data))
    assert _squeezed(summary.headings["bridge"] + summary.bridge) in text
    assert len(_reader(data).pages) == 1


def test_the_button_reads_the_actuals_when_clicked_through_a_cursor_it_closes(cur, monkeypatch):
    """The PDF is made when the button is clicked, outside the page's run: the run keeps the
    session's data, and the click opens a cursor of its own on it, reads the actuals for a plan
    with months closed (a plan of record), and closes it (a cursor kept by every run was never
    closed when nobody clicked)."""
    from db import actuals as dba
    from db.sample import open_sample_database

    con = open_sample_database()
    opened = []

    class Data:  # the session's data, counting its cursors
        def cursor(self):
            c = con.cursor()
            opened.append(c)
            return c

    try:
        record = state.plan_of(dba.sample_plan_of_record())
        text = _squeezed(_text(pdf._summary_with_data(record, "en", "JPY", Data())))
        assert _squeezed(translate("pdf.bridge_actual", "en", k=12, end="Mar 2026")) in text
        assert len(opened) == 1
        with pytest.raises(Exception, match="closed"):
            opened[0].execute("SELECT 1")
        text = _squeezed(_text(pdf._summary_with_data(cur, "en", "JPY", Data())))
        assert _squeezed(translate("pdf.bridge", "en")) in text  # no month closed: revenue
        assert pdf.months_closed(cur, con) == 0
        assert _text(pdf._summary_with_data(cur, "en", "JPY", None))  # no data: still a PDF
    finally:
        con.close()


def test_a_plan_converted_to_another_currency_than_the_datas_has_the_revenue_bridge(cur):
    """The data's amounts stay in yen when a plan of record is converted to dollars: a bridge
    from plan (dollars) to actual (yen) would mix them, so the summary has the revenue bridge
    in the plan's own currency."""
    from db import actuals as dba
    from ui.currency import change_currency

    usd = state.plan_of(change_currency(dba.sample_plan_of_record(), "USD", 0.0067))
    closed, summary, _ = _with_the_sample_data(usd, "en", "USD")
    assert closed == 0
    assert summary.headings["bridge"] == translate("pdf.bridge", "en")
    assert summary.bridge.startswith(translate("cs.bridge.opening", "en") + " $")
