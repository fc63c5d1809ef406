"""UI text of the one-page PDF summary (ui/pdf.py; merged into ui.i18n)."""

EN: dict[str, str] = {
    "pdf.download": "One-page summary (PDF)",
    "pdf.download_help": "The plan on one A4 landscape page for a meeting: the target, the gap, "
    "the two probabilities, the inflow required, each division's number and committed ranges, "
    "the bottleneck, the funnel and the Monte Carlo band, in the language of this page.",
    "pdf.font_missing": "The Japanese font (Noto Sans CJK, Debian's fonts-noto-cjk) is not "
    "installed on this server, so the summary is made in English.",
    "pdf.title": "{name}: one-page summary",
    "pdf.period": "{start} – {end} ({months} months) · amounts in {currency}",
    "pdf.no_target": "No target",
    "pdf.target": "Target ({metric})",
    "pdf.at_current": "At today's inflow",
    "pdf.gap": "Gap at today's inflow",
    "pdf.gap_ratio": "{pct} of the target",
    "pdf.confidence": "Plan's confidence",
    "pdf.confidence_note": "at the plan's {inflow} a month",
    "pdf.run_rate": "Chance at today's inflow",
    "pdf.run_rate_note": "at today's {inflow} a month",
    "pdf.required": "Required {stage} / month",
    "pdf.required_note": "today {inflow}",
    "pdf.bottleneck": "Bottleneck",
    "pdf.divisions": "Divisions: their numbers and committed ranges",
    "pdf.col.division": "Division",
    "pdf.col.number": "Number",
    "pdf.col.per_month": "Per month",
    "pdf.col.total": "Over the plan",
    "pdf.col.band": "Required: all low ends – all stretches",
    "pdf.col.ranges": "Committed range (low / target / stretch)",
    "pdf.col.low_cost": "Low end costs (revenue)",
    "pdf.customers": "Customers at the end",
    "pdf.no_range": "no range",
    "pdf.funnel": "Funnel: arrivals over the plan",
    "pdf.fan": "Monte Carlo band: {metric} per month (P10–P90)",
    "pdf.footer": "Made by The Model planner from scenario “{name}”; the figures are those of "
    "its Overview and Divisions pages (Monte Carlo: {draws} draws).",
}

JA: dict[str, str] = {
    "pdf.download": "1ページサマリー(PDF)",
    "pdf.download_help": "会議用に計画をA4横1ページにまとめます。目標、ギャップ、2つの確率、"
    "必要な流入、各部門の数字とコミットしたレンジ、ボトルネック、ファネル、モンテカルロの帯を、"
    "このページの言語で出力します。",
    "pdf.font_missing": "このサーバーに日本語フォント(Noto Sans CJK、Debianのfonts-noto-cjk)が"
    "入っていないため、サマリーは英語で作成します。",
    "pdf.title": "{name}:1ページサマリー",
    "pdf.period": "{start}〜{end}({months}か月)・金額の単位 {currency}",
    "pdf.no_target": "目標なし",
    "pdf.target": "目標({metric})",
    "pdf.at_current": "現在の流入での見込み",
    "pdf.gap": "現在の流入でのギャップ",
    "pdf.gap_ratio": "目標の{pct}",
    "pdf.confidence": "計画の達成確率",
    "pdf.confidence_note": "計画の流入 月{inflow}",
    "pdf.run_rate": "現在の流入での達成確率",
    "pdf.run_rate_note": "現在の流入 月{inflow}",
    "pdf.required": "必要な{stage}(月)",
    "pdf.required_note": "現在 {inflow}",
    "pdf.bottleneck": "ボトルネック",
    "pdf.divisions": "部門別の数字とコミットしたレンジ",
    "pdf.col.division": "部門",
    "pdf.col.number": "担う数字",
    "pdf.col.per_month": "月あたり",
    "pdf.col.total": "計画期間の合計",
    "pdf.col.band": "必要数(全て下限〜全てストレッチ)",
    "pdf.col.ranges": "コミットしたレンジ(下限/目標/ストレッチ)",
    "pdf.col.low_cost": "下限時の売上減",
    "pdf.customers": "期末の顧客数",
    "pdf.no_range": "レンジなし",
    "pdf.funnel": "ファネル:計画期間の到達数",
    "pdf.fan": "モンテカルロの帯:月次の{metric}(P10〜P90)",
    "pdf.footer": "The Model プランナーがシナリオ「{name}」から作成。数字は概要・責任範囲ページと"
    "同じです(モンテカルロ:{draws}回の試行)。",
}
