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
    "pdf.bridge": "Revenue bridge",
    "pdf.bridge_actual": "Plan vs actual to {end} ({k} months)",
    "pdf.footer": "Made by The Model planner from scenario “{name}”; the figures are those of "
    "its Overview and Divisions pages (Monte Carlo: {draws} draws).",
    # the workbook's live sheets (ui/exports.py, issues 10 and 12)
    "export.measure.resolved": "resolved (left the stage)",
    "export.col.new_customers": "New customers (billing starts)",
    "export.assumptions_note_live": "Yellow cells are inputs (the base of a range). Change one "
    "and every sheet follows: Reverse (the steady-state formulas), and Monthly plan, Division "
    "targets, Revenue and Capacity (the forward flow month by month, for the "
    "inflow on the Monthly plan).",
    "export.monthly.note": "Formulas over Assumptions, month by month: a stage "
    "resolves its arrivals after its lead time (INT(lead time) months later, the fraction of a "
    "month one month after that) and its opening stock evenly over its first ROUNDUP(lead time) "
    "months; what it resolves converts, is disqualified, recycled or lost by its rates. The pool "
    "sends its reactivation rate of last month's balance (volume mode: the volume, at most the "
    "balance) back into the re-entry stage and loses its expiry rate. Change a rate, lead time, "
    "opening stock or the pool on Assumptions and every month follows.",
    "export.monthly.note_solved": "Inflow (yellow): the model solved it to meet the target "
    "(the app's solver), which Excel does not do again. A changed assumption moves the flow for "
    "this inflow, not the inflow itself (the Reverse sheet shows the steady-state inflow the "
    "change asks for); type another inflow here to see its flow.",
    "export.monthly.note_listed": "Inflow (yellow): the scenario's inflow month by month, an "
    "input; type another here to see its flow.",
    "export.monthly.lead_times": "Each stage's lead time, under its resolved column:",
    "export.monthly.whole_months": "Whole months: INT(lead time)",
    "export.monthly.later_share": "Share resolved one month later: lead time − whole months",
    "export.monthly.opening_months": "Months the opening stock resolves over: "
    "MAX(1, ROUNDUP(lead time))",
    "capacity.export.note_live": "Inputs in yellow: change a team's per-head workload, heads or "
    "cost per head and the formulas recompute. Workload is a formula over the Monthly plan "
    "(arrivals or stock of the stage the team works) or Revenue (customers), so it follows "
    "Assumptions too. Heads needed = workload ÷ per head; today's team carries heads × per "
    "head; today's team's utilisation = workload ÷ that; cost = heads on the payroll × cost per "
    "head; acquisition cost = spend per new arrival × inflow + spend per stage arrival × new "
    "arrivals + fixed spend + every team's cost but customer success's; CAC = acquisition cost "
    "÷ wins. Joiners, requisitions and heads on the payroll are the model's figures (the hiring "
    "rule looks ahead over the whole plan).",
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
    "pdf.bridge": "売上ブリッジ",
    "pdf.bridge_actual": "予実({end}まで{k}か月)",
    "pdf.footer": "The Model プランナーがシナリオ「{name}」から作成。数字は概要・責任範囲ページと"
    "同じです(モンテカルロ:{draws}回の試行)。",
    # the workbook's live sheets (ui/exports.py, issues 10 and 12)
    "export.measure.resolved": "処理(ステージを出た数)",
    "export.col.new_customers": "新規顧客(課金開始)",
    "export.assumptions_note_live": "黄色のセルが入力です(レンジは目標値)。変更するとすべての"
    "シートが追随します。逆算シートは定常状態の数式、月次プラン・部門別目標・売上・体制は月次プラン"
    "の流入に対する月ごとのフォワード計算です。",
    "export.monthly.note": "前提シートを参照する月ごとの数式: 各ステージは流入を"
    "リードタイム後に処理します(INT(リードタイム)か月後、端数の割合はその1か月後)。期首残高は"
    "最初のROUNDUP(リードタイム)か月に均等に処理します。処理した数はステージの率で転換・育成対象外"
    "・リサイクル・失注に分かれます。リサイクルプールは前月末残高の再活性化率(固定件数の場合は"
    "その件数、残高が上限)を戻り先ステージへ送り、失効率の分を失います。前提シートの率・"
    "リードタイム・期首残高・プールを変えると、すべての月が追随します。",
    "export.monthly.note_solved": "流入(黄色): 目標を達成するようモデルが解いた値です。"
    "Excelでは解き直しません。前提を変えるとこの流入に対するフローが変わり、流入自体は"
    "変わりません(変更後に必要な定常状態の流入は逆算シートにあります)。ここに別の流入を入力すると"
    "そのフローが見られます。",
    "export.monthly.note_listed": "流入(黄色): シナリオの月ごとの流入(入力)です。ここに別の"
    "流入を入力するとそのフローが見られます。",
    "export.monthly.lead_times": "各ステージのリードタイム(処理の列の下):",
    "export.monthly.whole_months": "整数の月数: INT(リードタイム)",
    "export.monthly.later_share": "1か月後に処理する割合: リードタイム − 整数の月数",
    "export.monthly.opening_months": "期首残高を処理する月数: MAX(1, ROUNDUP(リードタイム))",
    "capacity.export.note_live": "黄色のセルが入力です。チームの1人あたり処理量・人数・1人"
    "あたりコストを変えると数式が再計算されます。業務量は月次プラン(担当ステージの流入または残高)"
    "や売上シート(顧客数)を参照する数式なので、前提シートの変更にも追随します。必要人数 = 業務量"
    " ÷ 1人あたり処理量、現在のチームの処理能力 = 人数 × 1人あたり処理量、稼働率 = 業務量 ÷ "
    "処理能力、コスト = 在籍人数 × 1人あたりコスト、獲得コスト = 新規流入単価 × 流入 + "
    "ステージ流入単価 × 新規の流入 + 固定費 + カスタマーサクセス以外のチームのコスト、CAC = "
    "獲得コスト ÷ 受注数。入社・採用枠・在籍人数はモデルの値です(採用ルールが計画全体を先読み"
    "するため)。",
}
