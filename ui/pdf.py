"""The plan on one A4 landscape page, as a PDF to hand round a meeting (issue 12).

What it shows is what the pages show, computed by the same calls: the Overview's target, gap at
today's inflow, the two probabilities (spec section 6) and the inflow required; the Divisions
page's numbers, bands and committed ranges (``model.responsibility`` through
``ui.state.divisions_of``); the bottleneck sentence (``ui.views.bottleneck_sentence``); the
Overview's funnel and the Divisions page's Monte Carlo band as images (``ui.charts`` builders,
rendered by vl-convert as on the Scenarios page's chart downloads).

The text is in the language asked for (``ui.i18n.speaking``), in Noto Sans CJK (Debian's
``fonts-noto-cjk``): the characters the page uses, made into a small TrueType font
(:func:`truetype_subset`) that fpdf2 embeds, so the page reads the same on a machine without the
font and its text can be searched and copied. Without that font a Japanese summary cannot be
written:
:func:`summary_language` says which language the summary will be made in (English then, with
DejaVu Sans or the PDF's built-in Helvetica), and the page says why.
"""

from __future__ import annotations

import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from model.uncertainty import PERCENTILES

from . import charts, exports, state
from .common import Fmt
from .i18n import has, speaking, t
from .views import bottleneck_sentence, funnel_rows

CJK_FONTS = (  # (regular, bold) of Debian's fonts-noto-cjk; index 0 of each is the JP face
    exports.CJK_FONT_DIR / "NotoSansCJK-Regular.ttc",
    exports.CJK_FONT_DIR / "NotoSansCJK-Bold.ttc",
)
LATIN_FONTS = (  # Debian's fonts-dejavu-core: the English fallback without the CJK font
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
FAMILY = "summary"
CORE_ENCODING = "windows-1252"  # of the PDF's built-in fonts (WinAnsi)

# the page, in millimetres (A4 landscape)
PAGE_W, PAGE_H, MARGIN = 297.0, 210.0, 10.0
INNER_W = PAGE_W - 2 * MARGIN
INK, GREY, RULE, PANEL, ACCENT, RED = (
    "#102a43",
    "#52606d",
    "#bcccdc",
    "#eaf2fb",
    "#1f5aa6",
    "#b8433f",
)
CHART_PX = (560, 300)  # the charts' width and height in CSS pixels (the funnel's labels fit 540)
MIN_CHART_H = 35.0  # mm: below this the charts are left out rather than drawn unreadably
CHART_AXES_PX = (70, 60)  # about what a chart's axes and labels add beside and below its plot


# ----- the figures, in words ---------------------------------------------------------------------
@dataclass(frozen=True)
class Tile:
    """One headline figure: its label, its value as the pages write it, a line under it."""

    label: str
    value: str
    note: str = ""
    falls_short: bool = False  # written in red (a gap below the target)


@dataclass(frozen=True)
class DivisionRow:
    """A division's line of the table (the Divisions page's panel in one row)."""

    division: str
    number: str  # what it is measured on: "Leads", "Customers at the end"
    per_month: str
    total: str
    band: str  # required with every range at its low end – at its stretch
    ranges: tuple[str, ...]  # "Leads · Conversion: 25.37% / 26.07% / 26.82%"
    low_cost: str  # revenue lost if the division lands at its low end


@dataclass(frozen=True)
class Summary:
    """Everything the page says, as text and charts (no layout)."""

    lang: str
    title: str
    period: str
    tiles: tuple[Tile, ...]
    bottleneck: str
    rows: tuple[DivisionRow, ...]
    charts: tuple[tuple[str, object], ...]  # (title, Altair chart)
    footer: str
    headings: dict[str, str] = field(default_factory=dict)
    bridge: str = ""  # the bridge in one line (headings["bridge"] says which), or none


_MARKDOWN = re.compile(r"\\(.)|\*\*|\u2060")


def plain(markdown: str) -> str:
    """Text the pages render as markdown, as it reads: bold marks and the escapes of
    ``ui.format.inert`` removed."""
    return _MARKDOWN.sub(lambda m: m.group(1) or "", markdown)


def _stage(scenario, key: str) -> str:
    return t(f"stage.{key}") if has(f"stage.{key}") else scenario.stage(key).display_label


def headline_tiles(cur: state.Current, F: Fmt) -> tuple[Tile, ...]:
    """The Overview's headline: target, at today's inflow, the gap, the plan's confidence, the
    chance at today's inflow, the inflow required (each as the Overview's tiles write it)."""
    scenario, plan = cur.scenario, cur.plan
    target = scenario.target
    at_current = state.current_inflow_plan(json.loads(cur.text)).plan
    inflow_now = at_current.inflow.mean() if at_current is not None else 0.0
    first = _stage(scenario, scenario.stage_keys[0])
    required = Tile(
        t("pdf.required", stage=first),
        F.count(plan.required_inflow_per_month),
        t("pdf.required_note", inflow=F.count(inflow_now)),
    )
    if target is None:
        return (
            Tile(t("pdf.no_target"), "—"),
            Tile(t("metric.bookings"), F.money(plan.totals["bookings"])),
            Tile(t("metric.revenue"), F.money(plan.totals["revenue"])),
            Tile(t("metric.wins"), F.count(plan.totals["wins"])),
            required,
        )
    metric = target.metric
    got_now = at_current.totals[metric] if at_current is not None else 0.0
    gap = got_now - target.horizon_total
    mc = state.monte_carlo_of(cur)
    plan_inflow = F.count(plan.required_inflow_per_month)
    return (
        Tile(
            t("pdf.target", metric=t(f"metric.{metric}")),
            F.metric_value(metric, target.horizon_total),
            t(f"target.kind.{target.kind}"),
        ),
        Tile(t("pdf.at_current"), F.metric_value(metric, got_now)),
        Tile(
            t("pdf.gap"),
            F.metric_value(metric, gap, signed=True),
            t(
                "pdf.gap_ratio",
                pct=F.pct(gap / target.horizon_total if target.horizon_total else 0),
            ),
            falls_short=F.metric_value(metric, gap).startswith("-"),
        ),
        Tile(
            t("pdf.confidence"),
            F.pct(mc.confidence, digits=0) if mc.confidence is not None else "—",
            t("pdf.confidence_note", inflow=plan_inflow),
        ),
        Tile(
            t("pdf.run_rate"),
            F.pct(mc.run_rate_chance, digits=0) if mc.run_rate_chance is not None else "—",
            t("pdf.run_rate_note", inflow=F.count(mc.run_rate_inflow))
            if mc.run_rate_chance is not None
            else t("overview.run_rate_none"),
        ),
        required,
    )


def _lever_value(ref, value: float, F: Fmt) -> str:
    """A lever as the Divisions page's inputs show it: a rate to a hundredth of a point."""
    if ref.kind == "rate":
        return F.pct(value, digits=2)
    if ref.kind == "lag":
        return F.months(value)
    return F.money(value) if ref.kind == "amount" else F.count(value)


def division_rows(cur: state.Current, F: Fmt) -> tuple[DivisionRow, ...]:
    """One row per division (the Divisions page's panels): its number per month and over the
    plan, the band, its committed ranges, and the revenue its low end costs."""
    scenario, plan = cur.scenario, cur.plan
    rows = []
    for view in state.divisions_of(cur):
        ranges = []
        for ref in view.levers:
            if ref.name == "inflow":  # the Divisions page has no range for it either
                continue
            name = t(f"param.{ref.name}")
            if ref.stage:
                name = f"{_stage(scenario, ref.stage)} · {name}"
            if ref.ranged:
                ends = " / ".join(_lever_value(ref, ref.end(e), F) for e in ("low", "base", "high"))
            else:
                ends = f"{_lever_value(ref, ref.end('base'), F)} ({t('pdf.no_range')})"
            ranges.append(f"{name}: {ends}")
        if view.kpi_stage is not None:
            duty = view.duties[-1]
            number = _stage(scenario, duty.stage)
            per_month, total = F.count(duty.total / len(plan.months)), F.count(duty.total)
            band = "—"
            if duty.pessimistic_total is not None and duty.optimistic_total is not None:
                band = f"{F.count(duty.pessimistic_total)} – {F.count(duty.optimistic_total)}"
        else:
            number, per_month, total, band = (
                t("pdf.customers"),
                "—",
                F.count(plan.customers[-1]),
                "—",
            )
        cost = view.revenue_low
        low_cost = (F.money(-cost) if cost < 0 else F.money(0)) if view.ranged else "—"
        rows.append(
            DivisionRow(
                t(f"division.{view.division}"),
                number,
                per_month,
                total,
                band,
                tuple(ranges),
                low_cost,
            )
        )
    return tuple(rows)


def summary_charts(cur: state.Current, F: Fmt) -> tuple[tuple[str, object], ...]:
    """The Overview's funnel and the Divisions page's Monte Carlo band, built as there."""
    scenario, plan = cur.scenario, cur.plan
    funnel = charts.funnel_frame(*funnel_rows(scenario, plan, F))
    out: list[tuple[str, object]] = [
        (
            t("pdf.funnel"),
            charts.funnel_chart(
                funnel, t("overview.funnel_value"), t("overview.funnel_conversion")
            ),
        )
    ]
    metric = scenario.target.metric if scenario.target is not None else "revenue"
    mc = state.monte_carlo_of(cur)
    fan = mc.fan_frame(metric)
    fan["month"] = [F.month_short(m) for m in fan["month"]]
    for p in PERCENTILES:
        fan[f"p{p}_text"] = [F.metric_value(metric, v) for v in fan[f"p{p}"]]
    name = t(f"metric.{metric}")
    fan_chart = charts.fan_chart(
        fan,
        t("div.fan_axis", metric=name),
        F.money_axis() if metric != "wins" else None,
        {f"p{p}": t(f"mc.p{p}") for p in PERCENTILES},
    )
    out.append((t("pdf.fan", metric=name), fan_chart))
    return tuple(out)


# ----- the bridge ---------------------------------------------------------------------------------
BRIDGE_JOIN = " → "


def months_closed(cur: state.Current, con) -> int:
    """How many of the plan's months the data ``con`` has closed: the Plan vs actual page's
    default (``db.actuals.months_with_data``); 0 without data for its first month, when the
    data's stages are not the plan's, or when the data's amounts are in another currency (a
    plan converted since it was built from them: a bridge would mix the two)."""
    from db import actuals as dba
    from db.schema import stage_keys

    from .currency import data_currency

    data = json.loads(cur.text)
    if data_currency(data) != data.get("currency", "JPY"):
        return 0
    if con is None or list(cur.scenario.stage_keys) != stage_keys(con):
        return 0
    return dba.months_with_data(con, data["start"], cur.scenario.months)


def actual_bridge(cur: state.Current, con, k: int, F: Fmt) -> tuple[str, str]:
    """The Plan vs actual page's bridge over the first ``k`` months (spec section 9): plan to
    date → each factor's effect, with the division that owns it → residual → actual, as
    (heading, line)."""
    from db import actuals as dba
    from model import bridge as mb

    from . import actuals as ua

    scenario, plan = cur.scenario, cur.plan
    a = dba.actuals(con, json.loads(cur.text), k)
    b = mb.bridge(scenario, a.scenario(scenario), k, inflow=plan.inflow)
    bars = ua.bridge_rows(scenario, b, a.totals()["bookings"])
    ends = {key: t(f"actuals.factor.{key}") for key in ("plan", "actual", "residual")}
    line = BRIDGE_JOIN.join(
        f"{ua.factor_label(scenario, r.key, r.division, ends)} "
        f"{F.money(r.value, signed=r.kind != 'total')}"
        for r in bars
    )
    heading = t("pdf.bridge_actual", k=k, end=F.month(plan.months[k - 1]))
    return heading, line


def revenue_bridge(cur: state.Current, F: Fmt) -> tuple[str, str]:
    """The Customer success page's revenue bridge over the plan: opening MRR → new customers →
    expansion → churn → closing MRR, as (heading, line); none for one-time deals."""
    from .revenue_bridge import revenue_bridge_rows

    if cur.scenario.deal.revenue != "subscription":
        return "", ""
    rows = revenue_bridge_rows(cur.scenario, cur.plan)
    line = BRIDGE_JOIN.join(
        f"{t(f'cs.bridge.{r.key}')} {F.money(r.value, signed=r.kind == 'effect')}" for r in rows
    )
    return t("pdf.bridge"), line


def bridge_of(cur: state.Current, F: Fmt, con=None) -> tuple[str, str]:
    """The plan vs actual bridge when the data ``con`` has closed some of the plan's months
    (a plan of record), else the revenue bridge."""
    from db.errors import DataLayerError
    from model import ScenarioError

    k = months_closed(cur, con)
    if k:
        try:
            return actual_bridge(cur, con, k, F)
        except (DataLayerError, ScenarioError, ValueError):  # the page says why; here: revenue
            pass
    return revenue_bridge(cur, F)


def summary_of(cur: state.Current, lang: str, currency: str, con=None) -> Summary:
    """The summary's text and charts in ``lang``, from the figures the pages show; ``con``,
    the session's data, gives a plan with months closed the plan vs actual bridge."""
    with speaking(lang):
        F = Fmt(lang, currency)
        scenario, plan = cur.scenario, cur.plan
        name = state.scenario_name(json.loads(cur.text)) or t("sidebar.unnamed")
        mc = state.monte_carlo_of(cur)
        bridge_heading, bridge = bridge_of(cur, F, con)
        return Summary(
            lang=lang,
            title=t("pdf.title", name=name),
            period=t(
                "pdf.period",
                start=F.month(plan.months[0]),
                end=F.month(plan.months[-1]),
                months=len(plan.months),
                currency=currency,
            ),
            tiles=headline_tiles(cur, F),
            bottleneck=plain(bottleneck_sentence(scenario, state.sensitivity_of(cur), F)),
            rows=division_rows(cur, F),
            charts=summary_charts(cur, F),
            footer=t("pdf.footer", name=name, draws=F.count(mc.draws)),
            bridge=bridge,
            headings={
                "bridge": bridge_heading,
                **{
                    k: t(f"pdf.{k}")
                    for k in (
                        "bottleneck",
                        "divisions",
                        "col.division",
                        "col.number",
                        "col.per_month",
                        "col.total",
                        "col.band",
                        "col.ranges",
                        "col.low_cost",
                    )
                },
            },
        )


# ----- fonts -------------------------------------------------------------------------------------
def cjk_font_available() -> bool:
    return CJK_FONTS[0].is_file()


def summary_language(lang: str) -> str:
    """The language the summary is made in: ``lang``, or English when it needs the CJK font and
    the server has none (the page says so: ``pdf.font_missing``)."""
    return lang if lang == "en" or cjk_font_available() else "en"


@dataclass(frozen=True)
class _Fonts:
    """The font the page is set in and how to keep text within its glyphs."""

    regular: Path | None  # None: the PDF's built-in Helvetica
    bold: Path | None
    keep: Callable[[str], str]


def truetype_subset(path: Path, text: str) -> bytes:
    """The glyphs of ``text`` from the first face of ``path`` (Noto Sans CJK: CFF outlines in a
    collection) as a small TrueType font. Its cubic outlines become quadratic ones (fontTools'
    cu2qu, within 1/1000 em: invisible at any size), so fpdf2 embeds it as a CIDFontType2 with
    the Identity-H encoding, which every viewer, printer and text extractor reads; embedded as
    CFF, fpdf2 maps codes to glyphs with a CMap of its own that some readers (pypdf) cannot
    decode, so the PDF's text could not be searched or copied there."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    options = subset.Options()
    options.layout_features = []  # no shaping: the text is set glyph by glyph
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    with TTFont(str(path), fontNumber=0, lazy=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        order = font.getGlyphOrder()
        outlines = font.getGlyphSet()
        glyphs = {}
        for name in order:
            pen = TTGlyphPen(outlines)
            outlines[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyphs[name] = pen.glyph()
        for tag in ("CFF ", "VORG"):
            if tag in font:
                del font[tag]
        font["loca"] = newTable("loca")
        glyf = font["glyf"] = newTable("glyf")
        glyf.glyphOrder, glyf.glyphs = order, glyphs
        glyf.compile(font)
        hmtx = font["hmtx"]
        for name, glyph in glyphs.items():  # left side bearings from the new outlines
            hmtx[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))
        maxp = font["maxp"] = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.maxZones = 1
        for field_ in (
            "maxTwilightPoints maxStorage maxFunctionDefs maxInstructionDefs "
            "maxStackElements maxSizeOfInstructions maxComponentElements maxComponentDepth"
        ).split():
            setattr(maxp, field_, 0)
        post = font["post"]
        post.formatType, post.extraNames, post.mapping = 2.0, [], {}
        font.sfntVersion = "\x00\x01\x00\x00"
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def _characters(summary: Summary) -> str:
    """Every character the page writes (and the ellipsis of a line cut short)."""
    parts = [summary.title, summary.period, summary.bottleneck, summary.bridge, summary.footer,
             "…"]  # fmt: skip
    parts += [*summary.headings.values(), *(title for title, _ in summary.charts)]
    for tile in summary.tiles:
        parts += [tile.label, tile.value, tile.note]
    for row in summary.rows:
        parts += [row.division, row.number, row.per_month, row.total, row.band, row.low_cost]
        parts += row.ranges
    return "".join(sorted(set("".join(parts)) - {"\n"}))


def _fonts(text: str, folder: Path) -> _Fonts:
    """The fonts to set ``text`` in, written to ``folder`` where they are made here."""
    if cjk_font_available():
        faces = []
        for style, path in zip(("regular", "bold"), CJK_FONTS, strict=True):
            face = folder / f"{style}.ttf"
            face.write_bytes(truetype_subset(path if path.is_file() else CJK_FONTS[0], text))
            faces.append(face)
        return _Fonts(faces[0], faces[1], lambda s: s)
    if LATIN_FONTS[0].is_file():
        from fontTools.ttLib import TTFont

        with TTFont(str(LATIN_FONTS[0]), lazy=True) as latin:
            cmap = set(latin.getBestCmap())
        bold = LATIN_FONTS[1] if LATIN_FONTS[1].is_file() else LATIN_FONTS[0]
        keep = lambda s: "".join(c if c == "\n" or ord(c) in cmap else "?" for c in s)  # noqa: E731
        return _Fonts(LATIN_FONTS[0], bold, keep)
    # the built-in Helvetica: Windows-1252 (€, ¥, dashes and quotes; → written ->)
    return _Fonts(
        None,
        None,
        lambda s: s.replace("→", "->").encode(CORE_ENCODING, "replace").decode(CORE_ENCODING),
    )


# ----- the page ----------------------------------------------------------------------------------
class _Page:
    """An fpdf2 page with the summary's font, colours and text kept within the font."""

    def __init__(self, fonts: _Fonts, lang: str, title: str) -> None:
        from fpdf import FPDF
        from fpdf.enums import WrapMode

        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.core_fonts_encoding = CORE_ENCODING
        pdf.set_auto_page_break(False)  # one page, always: the layout below fits it
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_title(fonts.keep(title))
        pdf.set_lang(lang)
        pdf.set_creator("The Model planner")
        if fonts.regular is not None:
            pdf.add_font(FAMILY, "", str(fonts.regular))
            pdf.add_font(FAMILY, "B", str(fonts.bold))
            self.family = FAMILY
        else:
            self.family = "helvetica"
        pdf.add_page()
        self.pdf, self.keep = pdf, fonts.keep
        self.wrap = WrapMode.CHAR if lang == "ja" else WrapMode.WORD

    def font(self, size: float, bold: bool = False, color: str = INK) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_text_color(color)

    def text(self, x: float, y: float, w: float, h: float, text: str, align: str = "L") -> None:
        """One line at (x, y), cut with an ellipsis where it would run past ``w``."""
        s = self.keep(text)
        if self.pdf.get_string_width(s) > w:
            ell = self.keep("…")
            while s and self.pdf.get_string_width(s + ell) > w:
                s = s[:-1]
            s += ell
        self.pdf.set_xy(x, y)
        self.pdf.cell(w, h, s, align=align)

    def paragraph(self, x: float, y: float, w: float, h: float, text: str, **kw) -> float:
        """Wrapped text from (x, y); returns where it ends."""
        self.pdf.set_xy(x, y)
        self.pdf.multi_cell(w, h, self.keep(text), wrapmode=self.wrap, align="L", **kw)
        return self.pdf.get_y()


def _tiles(page: _Page, tiles: tuple[Tile, ...], y: float) -> float:
    gap = 3.0
    w = (INNER_W - gap * (len(tiles) - 1)) / len(tiles)
    h = 21.0
    pdf = page.pdf
    for i, tile in enumerate(tiles):
        x = MARGIN + i * (w + gap)
        pdf.set_fill_color(PANEL)
        pdf.set_draw_color(RULE)
        pdf.rect(x, y, w, h, style="DF")
        page.font(7.5, color=GREY)
        page.text(x + 2.5, y + 1.8, w - 5, 4, tile.label)
        page.font(15, bold=True, color=RED if tile.falls_short else INK)
        page.text(x + 2.5, y + 6.8, w - 5, 7.5, tile.value)
        page.font(7, color=GREY)
        page.text(x + 2.5, y + 15, w - 5, 4, tile.note)
    return y + h


def _labelled(page: _Page, label: str, text: str, y: float) -> float:
    """A line of text after its label in the accent colour (wrapped under itself)."""
    page.font(8.5, bold=True, color=ACCENT)
    label_w = page.pdf.get_string_width(page.keep(label)) + 4
    page.text(MARGIN, y, label_w, 4.6, label)
    page.font(8.5)
    return page.paragraph(MARGIN + label_w, y, INNER_W - label_w, 4.6, text)


def _table(page: _Page, summary: Summary, y: float) -> float:
    from fpdf.fonts import FontFace

    h = summary.headings
    page.font(10, bold=True)
    page.text(MARGIN, y, INNER_W, 5.5, h["divisions"])
    pdf = page.pdf
    pdf.set_xy(MARGIN, y + 6.5)
    page.font(7.5)
    pdf.set_draw_color(RULE)
    pdf.set_fill_color("#ffffff")
    heads = ("division", "number", "per_month", "total", "band", "ranges", "low_cost")
    with pdf.table(
        col_widths=(28, 26, 20, 24, 44, 95, 30),
        width=INNER_W,
        line_height=3.8,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT", "RIGHT"),
        wrapmode=page.wrap,
        padding=(1.0, 1.5, 1.0, 1.5),
        headings_style=FontFace(emphasis="BOLD", color=GREY, fill_color=PANEL),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        head = table.row()
        for k in heads:
            head.cell(page.keep(h[f"col.{k}"]))
        for r in summary.rows:
            row = table.row()
            for value in (r.division, r.number, r.per_month, r.total, r.band):
                row.cell(page.keep(value))
            row.cell(page.keep("\n".join(r.ranges) or "—"))
            row.cell(page.keep(r.low_cost))
    return pdf.get_y()


def _charts(page: _Page, summary: Summary, y: float, bottom: float) -> None:
    gap = 6.0
    n = len(summary.charts)
    w = (INNER_W - gap * (n - 1)) / n
    h = bottom - y - 6
    if h < MIN_CHART_H:  # a table of many long ranges took the room: the figures come first
        return
    # as tall as the space left (less the axes' room), within what reads on a page
    px_h = int(min(max((CHART_PX[0] + CHART_AXES_PX[0]) * h / w - CHART_AXES_PX[1], 180), 420))
    for i, (title, chart) in enumerate(summary.charts):
        x = MARGIN + i * (w + gap)
        page.font(9, bold=True)
        page.text(x, y, w, 5, title)
        sized = chart.properties(width=CHART_PX[0], height=px_h).configure_view(strokeWidth=0)
        png = exports.chart_png(sized, scale=2)
        page.pdf.image(io.BytesIO(png), x=x, y=y + 6, w=w, h=h, keep_aspect_ratio=True)


def render(summary: Summary) -> bytes:
    """The one page, laid out from the top: title, headline tiles, the bottleneck, the
    divisions' table, the two charts side by side in the rest, and the footer."""
    with tempfile.TemporaryDirectory(prefix="summary-fonts-") as folder:
        fonts = _fonts(_characters(summary), Path(folder))
        page = _Page(fonts, summary.lang, summary.title)
        page.font(16, bold=True)
        page.text(MARGIN, MARGIN, INNER_W, 8, summary.title)
        page.font(8.5, color=GREY)
        page.text(MARGIN, MARGIN + 8, INNER_W, 4.5, summary.period)
        y = _tiles(page, summary.tiles, MARGIN + 14.5)
        y = _labelled(page, summary.headings["bottleneck"], summary.bottleneck, y + 3.5)
        if summary.bridge:
            y = _labelled(page, summary.headings["bridge"], summary.bridge, y + 1)
        y = _table(page, summary, y + 3)
        footer_y = PAGE_H - MARGIN - 3.5
        _charts(page, summary, y + 4, footer_y - 2)
        page.font(6.5, color=GREY)
        page.text(MARGIN, footer_y, INNER_W, 3.5, summary.footer)
        return bytes(page.pdf.output())


def summary_pdf(cur: state.Current, lang: str, currency: str, con=None) -> bytes:
    """The plan of ``cur`` on one A4 landscape page in ``lang`` (English when the CJK font is
    missing: :func:`summary_language`), amounts labelled in ``currency``; ``con``: the data
    (for the plan vs actual bridge)."""
    return render(summary_of(cur, summary_language(lang), currency, con))


# ----- on a page ---------------------------------------------------------------------------------
def _summary_with_data(cur: state.Current, lang: str, currency: str, db) -> bytes:
    """The PDF made when clicked, outside the run: a cursor of its own on the session's data
    ``db`` (for the plan vs actual bridge), closed when the PDF is made."""
    if db is None:
        return summary_pdf(cur, lang, currency)
    con = db.cursor()
    try:
        return summary_pdf(cur, lang, currency, con)
    finally:
        con.close()


def download_button(cur: state.Current, F: Fmt, key: str) -> None:
    """The "One-page summary (PDF)" button in the page's language (the PDF is made when it is
    clicked), and a line saying why it comes in English where the server lacks the font."""
    import streamlit as st

    language = summary_language(F.lang)
    with speaking(language):  # the sample's name in the summary's language
        name = state.scenario_name(json.loads(cur.text))
    from db.errors import DataLayerError

    try:  # the session's data, read now: the click runs outside the script's run
        db = state.funnel()
    except DataLayerError:
        db = None
    st.download_button(
        t("pdf.download"),
        data=lambda: _summary_with_data(cur, language, F.currency, db),
        file_name=f"{exports.file_stem(name)}-summary.pdf",
        mime="application/pdf",
        key=key,
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        help=t("pdf.download_help"),
    )
    if language != F.lang:
        st.caption(t("pdf.font_missing"))
