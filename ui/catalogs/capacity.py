"""UI text of capacity, hiring and cost (spec section 8; merged into ui.i18n)."""

EN: dict[str, str] = {
    "page.capacity": "Capacity and hiring",
    "capacity.title": "Capacity and hiring plan",
    "capacity.caption": "The people behind the plan: the heads each division needs month by "
    "month against its team today, the requisitions to open and when, what the team costs, the "
    "cost of acquiring a customer, and the most today's team can carry.",
    "capacity.none": "This scenario has no team yet. Add one for a division below to see the "
    "heads the plan needs, when to hire and what it costs.",
    "capacity.ceiling": "With today's team the most you can book is **{bookings}** over the "
    "plan ({stage} at a steady {inflow} a month); **{division}** binds in **{month}**.",
    "capacity.ceiling_help": "Today's team kept as it is (leavers replaced, nobody added). The "
    "ceiling is the largest steady monthly inflow at which no division's workload exceeds what "
    "its team handles in any month.",
    "capacity.ceiling_none": "Today's team carries any inflow: no division's workload grows "
    "with it.",
    "capacity.over_ceiling": "The plan books {plan}, {gap} more than today's team can carry "
    "({ceiling}): it needs the hires below.",
    "capacity.within_ceiling": "The plan ({plan}) is within what today's team can carry "
    "({ceiling}).",
    "capacity.over_ceiling_short": "above the ceiling",
    "capacity.within_ceiling_short": "within the ceiling",
    "capacity.over_opening": "The pipeline already there overloads {division} in {months}, "
    "whatever the inflow: these months are left out of the ceiling.",
    "capacity.tile_hires": "Hires over the plan",
    "capacity.tile_hires_help": "Joiners over the plan, every division: the hires that keep "
    "each team fully productive when its workload needs them, leavers included. Below: whether "
    "the plan books more than today's team can carry (the capacity ceiling).",
    "capacity.tile_today": "Heads today",
    "capacity.tile_needed": "Heads needed at peak",
    "capacity.tile_needed_help": "The most heads the plan's workload needs in a month (the "
    "workload divided by what one productive head handles), against the team at the start.",
    "capacity.tile_needed_ok": "today {today}: enough",
    "capacity.tile_needed_over": "today {today}: short",
    "capacity.binds_here": "This division sets the capacity ceiling: it is the first to run "
    "out of people as the inflow grows.",
    "capacity.tile_cost": "Team cost",
    "capacity.tile_cost_help": "Heads on the payroll times the cost per head, month by month, "
    "over the plan.",
    "capacity.tile_acq": "Acquisition cost",
    "capacity.tile_acq_help": "Over the plan: spend per new arrival and per stage arrival, fixed "
    "spend, and the cost of every team but customer success.",
    "capacity.cac": "CAC",
    "capacity.cac_help": "Customer acquisition cost: the acquisition cost over the plan "
    "divided by the plan's wins.",
    "capacity.payback": "CAC payback",
    "capacity.payback_help": "Months of a new customer's subscription that pay back its CAC "
    "(CAC ÷ monthly deal value); none for one-time deals.",
    "capacity.heatmap": "Utilisation by division and month",
    "capacity.heatmap_caption": "Workload as a share of what the productive heads handle. Red: "
    "over 100%, the team is short that month.",
    "capacity.heatmap_view": "Team",
    "capacity.view.plan": "with the hiring plan",
    "capacity.view.today": "today's team, no hires",
    "capacity.utilisation": "Utilisation",
    "capacity.hiring": "Hiring plan",
    "capacity.hiring_caption": "Requisitions open in the month shown and fill after the hiring "
    "lead time; joiners are fully productive after the ramp-up.",
    "capacity.divisions": "Divisions",
    "capacity.open_now": "**Open {n} requisitions now**: they join in {joins} and are fully "
    "productive in {productive}.",
    "capacity.late": "Hiring is already too late for the first months: **{division} is short by "
    "up to {short} heads until {month}**.",
    "capacity.over_team": "From {month} the plan needs more than today's {today} heads carry.",
    "capacity.heads_axis": "Heads",
    "capacity.series.required": "Heads needed",
    "capacity.series.effective": "Productive heads (with hires)",
    "capacity.series.heads": "Heads on the payroll",
    "capacity.series.team": "Today's team",
    "capacity.row.workload": "Workload",
    "capacity.row.required": "Heads needed",
    "capacity.row.joiners": "Joiners",
    "capacity.row.requisitions": "Requisitions to open",
    "capacity.row.heads": "Heads on the payroll",
    "capacity.row.effective": "Productive heads",
    "capacity.row.shortfall": "Heads short",
    "capacity.row.utilisation": "Utilisation",
    "capacity.row.cost": "Cost",
    "capacity.monthly": "Month by month",
    "capacity.edit": "Edit the team",
    "capacity.works": "Workload",
    "capacity.works_help": "What the team works: the arrivals into a stage (or its stock at "
    "the end of the month), or the customers.",
    "capacity.works.customers": "Customers",
    "capacity.basis": "Counted as",
    "capacity.basis.arrivals": "arrivals",
    "capacity.basis.stock": "month-end stock",
    "capacity.heads": "Heads today",
    "capacity.heads_help": "Heads at the start of the plan, all productive.",
    "capacity.per_head": "Per head a month",
    "capacity.per_head_help": "The workload one fully productive head handles in a month.",
    "capacity.cost_per_head": "Cost per head a month ({cur})",
    "capacity.cost_per_head_help": "Fully loaded: salary, social insurance, tools, office.",
    "capacity.ramp_months": "Ramp-up (months)",
    "capacity.ramp_months_help": "Months a joiner takes to be fully productive (productivity rises "
    "evenly until then).",
    "capacity.hiring_months": "Hiring lead time (months)",
    "capacity.hiring_months_help": "Months from opening a requisition to the joiner's first day.",
    "capacity.attrition": "Attrition a year (%)",
    "capacity.attrition_help": "The share of heads that leave in a year; the plan replaces them.",
    "capacity.remove": "Remove this team",
    "capacity.add": "Add a team",
    "capacity.add_division": "Division",
    "capacity.add_button": "Add",
    "capacity.cost_chart": "Cost by month",
    "capacity.cost_axis": "Cost a month",
    "capacity.series.acquisition": "Other acquisition spend",
    "costs.title": "Acquisition costs",
    "costs.caption": "Spend that brings customers in, besides the teams: with the sales and "
    "marketing teams' cost it makes the acquisition cost, CAC and payback.",
    "costs.per_inflow": "{stage}: per new one ({cur})",
    "costs.per_inflow_help": "Spend per new arrival into the first stage (e.g. the marketing "
    "spend per visitor).",
    "costs.per_arrival": "{stage}: per arrival ({cur})",
    "costs.per_arrival_help": "Spend per arrival into this stage (e.g. per lead bought); "
    "re-nurtured leads are not bought again.",
    "costs.fixed_monthly": "Fixed a month ({cur})",
    "costs.fixed_monthly_help": "Other acquisition spend every month (events, tools, agencies).",
    "capacity.export.sheet": "Capacity",
    "capacity.export.title": "Capacity, hiring and cost",
    "capacity.export.cost_per_head": "Cost per head a month",
    "capacity.export.required_formula": "Heads needed (formula)",
    "capacity.export.required_model": "Heads needed (model)",
    "capacity.export.team": "Today's team",
    "capacity.export.carries": "Workload today's team carries",
    "capacity.export.utilisation_today": "Utilisation of today's team",
    "capacity.export.economics": "Acquisition cost, CAC and payback",
    "capacity.export.per_inflow": "Spend per new arrival",
    "capacity.export.fixed_monthly": "Fixed spend a month",
    "capacity.export.per_arrival": "Spend per stage arrival",
    "capacity.export.acquisition_cost": "Acquisition cost",
    "capacity.export.cac": "CAC",
    "capacity.export.payback_months": "CAC payback (months)",
    "capacity.export.ceiling.inflow": "Ceiling: steady inflow a month",
    "capacity.export.ceiling.bookings": "Ceiling: bookings over the plan",
    "capacity.export.ceiling.division": "Ceiling: binding division",
    "capacity.export.ceiling.month": "Ceiling: binding month",
    # a sheet of heads by division and month (db/heads.py; ui/team.py names the divisions and
    # months before these are filled)
    "data.err.code.not_a_month": "Not a month: write 2026-04, 2026/4 or 2026年4月.",
    "data.err.code.too_large": "More than {limit:g}.",
    "data.err.code.heads_unknown_division": "Unknown division: this scenario's teams are "
    "{choices}.",
    "data.err.code.heads_month_outside": "{month} is outside the plan ({first} to {last}).",
    "data.err.code.heads_duplicate": "{division} in {month} is given twice (first in row "
    "{first_row}).",
    "data.err.code.heads_month_missing": "{division} has no heads for {month} ({count} month(s) "
    "of the plan missing): give every month of the plan.",
    # a team month by month (ui/team.py)
    "capacity.heads_kind": "Team",
    "capacity.heads_kind.number": "Heads today (leavers replaced by hiring)",
    "capacity.heads_kind.list": "A month-by-month team",
    "capacity.heads_kind_help": "Heads today: the team at the start, all productive; leavers "
    "leave at the attrition rate and the hiring plan replaces them. A month-by-month team: the "
    "heads you already plan each month without new hires (transfers, joiners already signed); "
    "the hiring plan adds what the workload needs beyond them.",
    "capacity.heads_table.month": "Month",
    "capacity.heads_table.heads": "Heads",
    "capacity.heads_table_caption": "The heads planned each month without new hires. Switching "
    "back to heads today keeps the first month's.",
    "capacity.heads_file_title": "Teams month by month from a sheet",
    "capacity.heads_file_caption": "A CSV or Excel sheet with one row per division and month: "
    "columns division, month and heads (or 部門, 年月, 人数). Every division it names gets its "
    "team month by month; a bad row changes nothing.",
    "capacity.heads_file": "Heads by division and month (CSV or Excel)",
    "capacity.heads_file_help": "Division as its name (Inside sales, インサイドセールス) or key "
    "(inside_sales); month as 2026-04, 2026/4, 2026年4月 or a date; heads a number, 0 or more. "
    "Each division in the sheet needs every month of the plan, once. CSV in UTF-8 or Shift_JIS "
    "(CP932), or .xlsx.",
    "capacity.heads_file_done": "{divisions}: the team month by month from {file}.",
    "capacity.heads_file_unchanged": "The scenario is unchanged.",
    "field.division": "Division",
    "field.heads": "Heads",
    # issue 10: the teams in the Monte Carlo, and a ranged per_head in the tornado
    "capacity.mc.title": "Hires when the plan's ranges play out",
    "capacity.mc.caption": "Over {draws} draws of the committed ranges (the funnel's, and per "
    "head where a division gave one), with the plan's inflow: the hires each division needs over "
    "the plan in a low, middle and high case (whole people: part of a head counts as one), and "
    "the chance its team today carries the workload every month with no hire.",
    "capacity.mc.division": "Division",
    "capacity.mc.p10": "Low (P10)",
    "capacity.mc.p50": "Median (P50)",
    "capacity.mc.p90": "High (P90)",
    "capacity.mc.enough": "Chance enough today",
    "capacity.mc.all": "Chance every team is enough at once: **{chance}**.",
    "capacity.tornado.title": "Hires: per head over its committed range",
    "capacity.tornado.caption": "Per head changes no booking and no required inflow, so it has "
    "its own chart: the change in the division's hires over the plan with per head at the low "
    "and the high end of its range, everything else at base.",
    "capacity.tornado.axis": "Change in hires over the plan",
    "capacity.tornado.low": "Low end of the range",
    "capacity.tornado.high": "High end of the range",
    "capacity.tornado.name": "{division}: per head ({low} – {high})",
    "capacity.tornado.hires": "Hires at base",
}

JA: dict[str, str] = {
    "page.capacity": "体制・採用計画",
    "capacity.title": "体制・採用計画",
    "capacity.caption": "計画を支える人員: 部門ごとに月別の必要人員と現在の体制、いつ何人の採用を"
    "始めるか、体制のコスト、顧客獲得コスト、そして現在の体制で対応できる上限。",
    "capacity.none": "このシナリオにはまだ体制がありません。下で部門の体制を追加すると、計画に"
    "必要な人員、採用の時期とコストが表示されます。",
    "capacity.ceiling": "現在の体制で受注できるのは計画期間で最大**{bookings}**です(月{inflow}の"
    "{stage}で一定)。**{month}**に**{division}**が上限に達します。",
    "capacity.ceiling_help": "現在の体制をそのまま維持した場合(退職は補充、増員なし)。上限は、"
    "どの部門の業務量もどの月も体制の処理量を超えない、最大の一定の月次流入です。",
    "capacity.ceiling_none": "現在の体制はどの流入にも対応できます(流入とともに業務量が増える部門が"
    "ありません)。",
    "capacity.over_ceiling": "計画の受注金額{plan}は、現在の体制で対応できる{ceiling}を{gap}上回り"
    "ます。下の採用が必要です。",
    "capacity.within_ceiling": "計画({plan})は現在の体制で対応できる範囲({ceiling})に収まって"
    "います。",
    "capacity.over_ceiling_short": "現体制の上限を超過",
    "capacity.within_ceiling_short": "現体制の上限内",
    "capacity.over_opening": "既存のパイプラインだけで、流入にかかわらず{division}が{months}に"
    "処理量を超えます(これらの月は上限の計算から除外)。",
    "capacity.tile_hires": "計画期間の採用",
    "capacity.tile_hires_help": "全部門の計画期間の入社人数。業務量が必要とする時点で各チームが"
    "フル稼働できるための採用で、退職の補充を含みます。下: 計画の受注金額が現在の体制で対応できる"
    "上限を超えるかどうか。",
    "capacity.tile_today": "現在の人員",
    "capacity.tile_needed": "ピーク時の必要人員",
    "capacity.tile_needed_help": "計画の業務量が必要とする月の最大人員(業務量÷1人が処理できる量)"
    "と、期初の体制との比較。",
    "capacity.tile_needed_ok": "現在{today}人: 足りる",
    "capacity.tile_needed_over": "現在{today}人: 不足",
    "capacity.binds_here": "この部門が体制の上限を決めています。流入が増えると最初に人員が"
    "足りなくなります。",
    "capacity.tile_cost": "人件費",
    "capacity.tile_cost_help": "在籍人員×1人あたりコストの、計画期間の合計。",
    "capacity.tile_acq": "獲得コスト",
    "capacity.tile_acq_help": "計画期間の合計: 新規流入・ステージ流入あたりの費用、固定費、"
    "カスタマーサクセス以外の全チームの人件費。",
    "capacity.cac": "CAC",
    "capacity.cac_help": "顧客獲得コスト: 計画期間の獲得コスト÷計画の受注件数。",
    "capacity.payback": "CAC回収期間",
    "capacity.payback_help": "新規顧客のサブスクリプションで CAC を回収するまでの月数"
    "(CAC÷月額の受注金額)。単発の受注ではありません。",
    "capacity.heatmap": "部門別・月別の稼働率",
    "capacity.heatmap_caption": "稼働している人員が処理できる量に対する業務量の割合。赤は100%超で、"
    "その月は人員が不足しています。",
    "capacity.heatmap_view": "体制",
    "capacity.view.plan": "採用計画どおり",
    "capacity.view.today": "現在の体制のまま(採用なし)",
    "capacity.utilisation": "稼働率",
    "capacity.hiring": "採用計画",
    "capacity.hiring_caption": "採用枠は表示の月に開き、採用リードタイム後に入社します。入社者は"
    "立ち上がり期間の後にフル稼働します。",
    "capacity.divisions": "部門",
    "capacity.open_now": "**今すぐ{n}人の採用を開始**: {joins}に入社し、{productive}にフル稼働"
    "します。",
    "capacity.late": "最初の数か月は採用が間に合いません: **{division}は{month}まで最大{short}人"
    "不足します**。",
    "capacity.over_team": "{month}以降、計画は現在の{today}人で対応できる量を超えます。",
    "capacity.heads_axis": "人員",
    "capacity.series.required": "必要人員",
    "capacity.series.effective": "稼働人員(採用込み)",
    "capacity.series.heads": "在籍人員",
    "capacity.series.team": "現在の体制",
    "capacity.row.workload": "業務量",
    "capacity.row.required": "必要人員",
    "capacity.row.joiners": "入社",
    "capacity.row.requisitions": "採用開始",
    "capacity.row.heads": "在籍人員",
    "capacity.row.effective": "稼働人員",
    "capacity.row.shortfall": "不足人員",
    "capacity.row.utilisation": "稼働率",
    "capacity.row.cost": "人件費",
    "capacity.monthly": "月別",
    "capacity.edit": "体制を編集",
    "capacity.works": "業務量",
    "capacity.works_help": "チームが担う業務: ステージへの流入(または月末の在庫)か、顧客。",
    "capacity.works.customers": "顧客",
    "capacity.basis": "数え方",
    "capacity.basis.arrivals": "流入",
    "capacity.basis.stock": "月末在庫",
    "capacity.heads": "現在の人員",
    "capacity.heads_help": "計画開始時の人員(全員フル稼働)。",
    "capacity.per_head": "1人あたり月間処理量",
    "capacity.per_head_help": "フル稼働の1人が1か月に処理できる業務量。",
    "capacity.cost_per_head": "1人あたり月額コスト({cur})",
    "capacity.cost_per_head_help": "給与、社会保険、ツール、オフィスを含む総額。",
    "capacity.ramp_months": "立ち上がり期間(月)",
    "capacity.ramp_months_help": "入社者がフル稼働になるまでの月数(それまで生産性は均等に"
    "上がります)。",
    "capacity.hiring_months": "採用リードタイム(月)",
    "capacity.hiring_months_help": "採用枠を開いてから入社までの月数。",
    "capacity.attrition": "年間離職率(%)",
    "capacity.attrition_help": "1年間に退職する人員の割合。計画では補充します。",
    "capacity.remove": "この体制を削除",
    "capacity.add": "体制を追加",
    "capacity.add_division": "部門",
    "capacity.add_button": "追加",
    "capacity.cost_chart": "月別コスト",
    "capacity.cost_axis": "月額コスト",
    "capacity.series.acquisition": "その他の獲得費用",
    "costs.title": "獲得コスト",
    "costs.caption": "チーム以外で顧客獲得にかかる費用。セールス・マーケティングの人件費と合わせて"
    "獲得コスト、CAC、回収期間になります。",
    "costs.per_inflow": "{stage}: 新規1件あたり({cur})",
    "costs.per_inflow_help": "最初のステージへの新規流入1件あたりの費用(例: 訪問者あたりの"
    "マーケティング費用)。",
    "costs.per_arrival": "{stage}: 1件あたり({cur})",
    "costs.per_arrival_help": "このステージへの流入1件あたりの費用(例: 購入リード単価)。"
    "再育成で戻ったリードは再購入しません。",
    "costs.fixed_monthly": "月額固定費({cur})",
    "costs.fixed_monthly_help": "毎月のその他の獲得費用(イベント、ツール、代理店)。",
    "capacity.export.sheet": "体制",
    "capacity.export.title": "体制・採用・コスト",
    "capacity.export.cost_per_head": "1人あたり月額コスト",
    "capacity.export.required_formula": "必要人員(数式)",
    "capacity.export.required_model": "必要人員(モデル)",
    "capacity.export.team": "現在の体制",
    "capacity.export.carries": "現在の体制の処理量",
    "capacity.export.utilisation_today": "現在の体制の稼働率",
    "capacity.export.economics": "獲得コスト、CAC、回収期間",
    "capacity.export.per_inflow": "新規流入1件あたりの費用",
    "capacity.export.fixed_monthly": "月額固定費",
    "capacity.export.per_arrival": "ステージ流入1件あたりの費用",
    "capacity.export.acquisition_cost": "獲得コスト",
    "capacity.export.cac": "CAC",
    "capacity.export.payback_months": "CAC回収期間(月)",
    "capacity.export.ceiling.inflow": "上限: 一定の月次流入",
    "capacity.export.ceiling.bookings": "上限: 計画期間の受注金額",
    "capacity.export.ceiling.division": "上限: 制約となる部門",
    "capacity.export.ceiling.month": "上限: 制約となる月",
    "data.err.code.not_a_month": "年月として読めません。2026-04、2026/4、2026年4月のように書いて"
    "ください。",
    "data.err.code.too_large": "{limit:g}を超えています。",
    "data.err.code.heads_unknown_division": "部門が分かりません。このシナリオの体制は{choices}"
    "です。",
    "data.err.code.heads_month_outside": "{month}は計画期間({first}〜{last})の外です。",
    "data.err.code.heads_duplicate": "{division}の{month}が2回あります(最初は{first_row}行目)。",
    "data.err.code.heads_month_missing": "{division}の{month}の人数がありません(計画期間のうち"
    "{count}か月分が不足)。計画期間のすべての月を入れてください。",
    "capacity.heads_kind": "体制",
    "capacity.heads_kind.number": "現在の人員(退職は採用で補充)",
    "capacity.heads_kind.list": "月別の体制",
    "capacity.heads_kind_help": "現在の人員: 計画開始時の体制(全員フル稼働)。退職率で人が抜け、"
    "採用計画が補充します。月別の体制: 新規採用なしで各月に見込む人員(異動、内定済みの入社など)。"
    "業務量がそれを超える分を採用計画が加えます。",
    "capacity.heads_table.month": "月",
    "capacity.heads_table.heads": "人員",
    "capacity.heads_table_caption": "新規採用なしで各月に見込む人員。「現在の人員」に戻すと"
    "最初の月の人数を使います。",
    "capacity.heads_file_title": "月別の体制をシートから",
    "capacity.heads_file_caption": "部門と月ごとに1行のCSVまたはExcelのシート: 列は部門、年月、"
    "人数(division、month、headsでも可)。シートにある部門はすべて月別の体制になります。"
    "誤りのある行が1つでもあれば何も変わりません。",
    "capacity.heads_file": "部門・月別の人数(CSVまたはExcel)",
    "capacity.heads_file_help": "部門は名前(インサイドセールス、Inside sales)またはキー"
    "(inside_sales)、年月は2026-04、2026/4、2026年4月または日付、人数は0以上の数値。シートにある"
    "部門には計画期間のすべての月が1回ずつ必要です。CSVはUTF-8またはShift_JIS(CP932)、"
    "またはExcel(.xlsx)。",
    "capacity.heads_file_done": "{divisions}: {file}から月別の体制を読み込みました。",
    "capacity.heads_file_unchanged": "シナリオは変更されていません。",
    "field.division": "部門",
    "field.heads": "人数",
    "capacity.mc.title": "レンジを踏まえた採用数",
    "capacity.mc.caption": "各部門がコミットしたレンジ(ファネルの各値と、レンジがある部門は"
    "1人あたり処理量)から{draws}回抽出し、計画の流入で試算: 計画期間に各部門が必要とする採用数の"
    "少ない場合・中央・多い場合(人数は整数: 1人に満たない分も1人と数えます)と、採用なしで現在の"
    "体制が毎月の業務量をこなせる確率です。",
    "capacity.mc.division": "部門",
    "capacity.mc.p10": "少ない(P10)",
    "capacity.mc.p50": "中央値(P50)",
    "capacity.mc.p90": "多い(P90)",
    "capacity.mc.enough": "現体制で足りる確率",
    "capacity.mc.all": "すべての部門が現在の体制で同時に足りる確率: **{chance}**",
    "capacity.tornado.title": "採用数: 1人あたり処理量のレンジ",
    "capacity.tornado.caption": "1人あたり処理量は受注金額にも必要な流入にも影響しないため、別の"
    "グラフで示します: レンジの下限と上限で、その部門の計画期間の採用数がどれだけ変わるか(他の値は"
    "基準値のまま)。",
    "capacity.tornado.axis": "計画期間の採用数の変化",
    "capacity.tornado.low": "レンジの下限",
    "capacity.tornado.high": "レンジの上限",
    "capacity.tornado.name": "{division}: 1人あたり処理量({low}〜{high})",
    "capacity.tornado.hires": "基準値での採用数",
}
