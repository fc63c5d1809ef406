"""UI text of the Plan vs actual page (spec v2 section 9; merged into ui.i18n)."""

EN: dict[str, str] = {
    "page.actuals": "Plan vs actual",
    "actuals.title": "Plan vs actual",
    "actuals.caption": "Are we on track, why not, and what now? The plan of record against "
    "what the data says for the months closed so far, what made the difference, and what each "
    "division must deliver in the rest of the year to still meet the target.",
    "actuals.plan": "Plan of record",
    "actuals.plan_help": "The plan the year is tracked against: the sample company's FY2025 "
    "plan (made from the year of data before it), or a version saved on the Scenarios page.",
    "actuals.sample_plan": "Sample: FY2025 plan of record",
    "actuals.version": "Version",
    "actuals.store_unavailable": "The saved scenarios cannot be read: {reason}",
    "actuals.stages_differ": "The stages of “{name}” are not those of the data in “{source}”: "
    "choose a plan made from this data, or another data source in the sidebar.",
    "actuals.no_data": "“{source}” has no data for this plan's months yet (it starts in "
    "{start}): nothing to compare.",
    "actuals.closed": "Months closed",
    "actuals.closed_option": "to {month} ({k})",
    "actuals.closed_help": "The months of the plan that are over: the data is read as it stood "
    "at the end of the last one (later entries and resolutions left out). Default: every "
    "month with data.",
    "actuals.basis": "Re-forecast on",
    "actuals.basis.plan": "the plan's rates",
    "actuals.basis.actual": "the actual rates",
    "actuals.basis_help": "The rest of the year is run forward from where the funnel stands "
    "today with the plan's conversion rates, lead times and deal size, or with those seen in "
    "the months closed.",
    "actuals.reading": "Reading the actuals…",
    "actuals.window": "“{name}”: {k} of its {h} months closed ({start} to {end}).",
    "actuals.tile_plan": "Plan to date",
    "actuals.tile_plan_help": "The plan of record's bookings over the months closed.",
    "actuals.tile_actual": "Actual to date",
    "actuals.vs_plan": "{value} vs plan",
    "actuals.tile_share": "Share of plan delivered",
    "actuals.tile_share_help": "Actual bookings to date divided by the plan's.",
    "actuals.by_stage": "Plan against actual, by division and stage",
    "actuals.col.division": "Division",
    "actuals.col.stage": "Stage",
    "actuals.col.plan": "Plan to date",
    "actuals.col.actual": "Actual to date",
    "actuals.col.difference": "Difference",
    "actuals.col.delivered": "Delivered",
    "actuals.behind_note": "Each division delivers the arrivals into its stages; shaded rows "
    "are behind plan.",
    "actuals.panel": "{division} · {stage}",
    "actuals.lines_note": "Month by month below: the plan dashed in grey, the actual solid in "
    "blue.",
    "actuals.series.plan": "Plan",
    "actuals.series.actual": "Actual",
    "actuals.series.reforecast": "Re-forecast",
    "actuals.series.recovery": "Recovery plan",
    "actuals.monthly_table": "Month by month",
    "actuals.bridge": "Why: the bridge from plan to actual bookings",
    "actuals.bridge_caption": "Each bar is one factor's share of the difference, with the "
    "actual value in place of the plan's (its Shapley effect, so the bars do not depend on an "
    "order). The residual is what the model with every actual value does not explain: timing "
    "within months, noise, definitions. The axis does not start at zero.",
    "actuals.factor.plan": "Plan",
    "actuals.factor.actual": "Actual",
    "actuals.factor.residual": "Residual",
    "actuals.factor.inflow": "Inflow ({stage})",
    "actuals.factor.rates": "Rates {stage} → {next}",
    "actuals.factor.lags": "Lead times",
    "actuals.factor.deal_size": "Deal size",
    "actuals.every_division": "every division",
    "actuals.col.bar": "Bar",
    "actuals.col.effect": "Bookings",
    "actuals.col.share_gap": "Share of the difference",
    "actuals.bridge_sum": "Actual − plan = {gap}: the factors' effects add up to {effects} "
    "and the residual is {residual}.",
    "actuals.lags_note": "The lead-times bar also spreads the plan's opening pipeline over the "
    "actual lead times.",
    "actuals.short_window": "With {k} months closed, lead times rest on the items resolved so "
    "far: longer ones are not seen yet, so the actual lead times look short and the residual "
    "takes up the difference.",
    "actuals.estimated": "Estimated rather than counted: {parts}.",
    "actuals.est.rates": "the rates of {stage} (known only as monthly counts: shares by count, "
    "lead time 0)",
    "actuals.est.pool": "the recycle pool (how many age out is never seen: it is fitted)",
    "actuals.est.customers": "customers (no subscription data)",
    "actuals.est.mrr": "MRR (no subscription data)",
    "actuals.est.deal_size": "bookings and the deal size: the wins have no amounts, so they "
    "count as 0",
    "actuals.rates": "The actual rates, lead times and deal size against the plan's",
    "actuals.col.what": "Parameter",
    "actuals.col.plan_value": "Plan",
    "actuals.col.actual_value": "Actual",
    "actuals.col.rests_on": "Rests on",
    "actuals.rests_on": "{entered} items entered: {used} used, {censored} still open, {stale} "
    "stale set aside, {undated} undated",
    "actuals.rests_on_counts": "monthly counts only (shares by count, lead time 0)",
    "actuals.rests_on_wins": "{n} wins",
    "actuals.rest": "The rest of the year",
    "actuals.year_closed": "Every month of the plan is closed: there is nothing left to "
    "re-forecast.",
    "actuals.year_closed_target": "Every month of the plan is closed: the year ended at "
    "{actual} against a target of {target}. Choose fewer months closed to see the re-forecast "
    "and the recovery plan as they stood then.",
    "actuals.tile_rest": "Re-forecast of the rest",
    "actuals.tile_rest_help": "Bookings of the remaining months, run forward from where the "
    "funnel stands at the end of the last closed month (open items per stage, recycle pool, "
    "customers) with the plan's inflow and {basis}.",
    "actuals.tile_outlook": "Outlook for the year",
    "actuals.tile_outlook_help": "Actual to date plus the re-forecast of the rest.",
    "actuals.vs_target": "{value} vs target",
    "actuals.tile_chance": "Chance of meeting the target",
    "actuals.tile_chance_help": "Share of {draws} draws of the plan's ranges in which actual "
    "to date plus the rest, with the plan's inflow, reaches the target.",
    "actuals.no_target": "This plan has no target: no chance or recovery plan to show.",
    "actuals.recovery": "Recovery plan: what each division must now deliver",
    "actuals.recovery_caption": "To still meet the target, the months {start} to {end} must "
    "bring {target}. The inflow is solved again from where the funnel stands today; each "
    "division's numbers for those months beside the plan of record's.",
    "actuals.recovery_failed": "No recovery plan: {reason}",
    "actuals.recovery_ratio": "The recovery needs {ratio} times the {stage} the plan had for "
    "these months: with the lead times left, new inflow alone can hardly close the gap; the "
    "rates and the pipeline already there have to.",
    "actuals.recovery_ratio_ok": "The recovery needs {ratio} times the {stage} the plan had for "
    "these months.",
    "actuals.col.original": "Plan of record",
    "actuals.col.recovery": "Recovery plan",
    "actuals.col.change": "Change",
    "actuals.col.per_month": "Per month",
    "actuals.col.month": "Month",
    "actuals.col.start": "Running total before",
    "actuals.col.end": "Running total after",
    "actuals.sheet.plan_vs_actual": "Plan vs actual",
    "actuals.sheet.monthly": "By month",
    "actuals.sheet.bridge": "Bridge",
    "actuals.sheet.recovery": "Recovery plan",
    "actuals.download_xlsx": "Download the tables (Excel)",
    "actuals.download_csv": "Download the tables (CSV)",
    "actuals.save": "Save the re-forecast",
    "actuals.save_caption": "Saves the rest of the year as a new version of “{name}”: it "
    "starts from today's actual state with the plan's inflow (the re-forecast) and the target "
    "left (the Plan page solves its recovery). Its parent is the plan of record.",
    "actuals.save_button": "Save as a new version",
    "actuals.need_author": "Type your name first: every saved version says who saved it.",
    "actuals.default_note": "Re-forecast after {month}",
    "actuals.record_note": "Plan of record (sample company)",
    "actuals.saved": "Saved as version {version} of “{name}” (its parent: version {parent}).",
    "actuals.save_failed": "The re-forecast was not saved: {reason}",
    "actuals.stale": "Someone saved version {head} of “{name}” after version {parent}, the "
    "plan of record this re-forecast comes from: nothing was saved.",
    "actuals.stale_save": "Save anyway as version {next}",
}

JA: dict[str, str] = {
    "page.actuals": "予実管理",
    "actuals.title": "予実管理",
    "actuals.caption": "計画どおりか、なぜずれたか、これからどうするか。締めた月までの実績を確定"
    "計画と比べ、差の要因を分け、残りの月で目標に届くために各部門が出すべき数字を示します。",
    "actuals.plan": "確定計画",
    "actuals.plan_help": "年度を追跡する基準の計画です。サンプル企業のFY2025計画(前年度の"
    "データから作成)か、シナリオページで保存したバージョンを選びます。",
    "actuals.sample_plan": "サンプル:FY2025 確定計画",
    "actuals.version": "バージョン",
    "actuals.store_unavailable": "保存したシナリオを読めません:{reason}",
    "actuals.stages_differ": "「{name}」のステージは「{source}」のデータと異なります。このデータ"
    "から作った計画を選ぶか、サイドバーで別のデータソースを選んでください。",
    "actuals.no_data": "「{source}」にはこの計画の月のデータがまだありません({start}開始)。"
    "比べるものがありません。",
    "actuals.closed": "締めた月",
    "actuals.closed_option": "{month}まで({k}か月)",
    "actuals.closed_help": "計画のうち終わった月です。データは最後の月の末時点のものとして読み"
    "ます(それ以降の流入や結果は含めません)。既定はデータのあるすべての月です。",
    "actuals.basis": "着地見込みの前提",
    "actuals.basis.plan": "計画の率",
    "actuals.basis.actual": "実績の率",
    "actuals.basis_help": "残りの月は、いまのファネルの状態から、計画の転換率・リードタイム・"
    "受注単価、または締めた月の実績の値で先へ計算します。",
    "actuals.reading": "実績を読み込んでいます…",
    "actuals.window": "「{name}」:{h}か月のうち{k}か月を締めています({start}〜{end})。",
    "actuals.tile_plan": "計画(累計)",
    "actuals.tile_plan_help": "締めた月の確定計画の受注金額です。",
    "actuals.tile_actual": "実績(累計)",
    "actuals.vs_plan": "{value}(計画比)",
    "actuals.tile_share": "計画達成率",
    "actuals.tile_share_help": "実績の受注金額累計 ÷ 計画の累計です。",
    "actuals.by_stage": "部門・ステージ別の予実",
    "actuals.col.division": "部門",
    "actuals.col.stage": "ステージ",
    "actuals.col.plan": "計画(累計)",
    "actuals.col.actual": "実績(累計)",
    "actuals.col.difference": "差異",
    "actuals.col.delivered": "達成率",
    "actuals.behind_note": "各部門は担当ステージへの流入に責任を持ちます。色付きの行は計画未達"
    "です。",
    "actuals.panel": "{division} · {stage}",
    "actuals.lines_note": "下のグラフは月別です。灰色の破線が計画、青の実線が実績です。",
    "actuals.series.plan": "計画",
    "actuals.series.actual": "実績",
    "actuals.series.reforecast": "着地見込み",
    "actuals.series.recovery": "リカバリー計画",
    "actuals.monthly_table": "月別",
    "actuals.bridge": "要因:計画から実績の受注金額へのブリッジ",
    "actuals.bridge_caption": "各バーは、計画の値を実績に置き換えたときのその要因の寄与です"
    "(シャープレイ値なので順序に依存しません)。残差は、すべて実績の値にしたモデルでも説明"
    "できない部分(月内のタイミング、ばらつき、定義の違い)です。軸は0から始まりません。",
    "actuals.factor.plan": "計画",
    "actuals.factor.actual": "実績",
    "actuals.factor.residual": "残差",
    "actuals.factor.inflow": "新規流入({stage})",
    "actuals.factor.rates": "{stage}→{next}の各率",
    "actuals.factor.lags": "リードタイム",
    "actuals.factor.deal_size": "受注単価",
    "actuals.every_division": "全部門",
    "actuals.col.bar": "バー",
    "actuals.col.effect": "受注金額",
    "actuals.col.share_gap": "差異に占める割合",
    "actuals.bridge_sum": "実績 − 計画 = {gap}:要因の寄与の合計は{effects}、残差は{residual}です。",
    "actuals.lags_note": "リードタイムのバーには、計画の期首パイプラインを実績のリードタイムで"
    "配り直した影響も含まれます。",
    "actuals.short_window": "締めた月が{k}か月のため、リードタイムはこれまでに結果の出た案件"
    "だけに基づきます。長くかかる案件はまだ見えないので実績のリードタイムは短く見え、その差"
    "は残差に入ります。",
    "actuals.estimated": "集計ではなく推定の値:{parts}。",
    "actuals.est.rates": "{stage}の率(月次件数のみ:件数による比率、リードタイム0)",
    "actuals.est.pool": "リサイクルプール(期限切れの件数は観測できないため推定)",
    "actuals.est.customers": "顧客数(サブスクリプションのデータなし)",
    "actuals.est.mrr": "MRR(サブスクリプションのデータなし)",
    "actuals.est.deal_size": "受注金額と受注単価(受注に金額がないため0として扱います)",
    "actuals.rates": "実績の率・リードタイム・受注単価と計画の比較",
    "actuals.col.what": "パラメータ",
    "actuals.col.plan_value": "計画",
    "actuals.col.actual_value": "実績",
    "actuals.col.rests_on": "根拠",
    "actuals.rests_on": "流入{entered}件:使用{used}件、未決{censored}件、滞留として除外{stale}件、"
    "日付なし{undated}件",
    "actuals.rests_on_counts": "月次件数のみ(件数による比率、リードタイム0)",
    "actuals.rests_on_wins": "受注{n}件",
    "actuals.rest": "年度の残り",
    "actuals.year_closed": "計画のすべての月を締めています。着地見込みを出す月は残っていません。",
    "actuals.year_closed_target": "計画のすべての月を締めています。年度の実績は{actual}、目標"
    "は{target}でした。締めた月を減らすと、その時点の着地見込みとリカバリー計画を表示します。",
    "actuals.tile_rest": "残りの着地見込み",
    "actuals.tile_rest_help": "残りの月の受注金額です。最後に締めた月の末のファネルの状態"
    "(ステージごとの未決案件、リサイクルプール、顧客)から、計画の流入と{basis}で計算します。",
    "actuals.tile_outlook": "年度の着地見込み",
    "actuals.tile_outlook_help": "実績の累計+残りの着地見込みです。",
    "actuals.vs_target": "{value}(目標比)",
    "actuals.tile_chance": "目標達成の確率",
    "actuals.tile_chance_help": "計画のレンジから{draws}回抽出し、計画の流入のまま実績累計+"
    "残りが目標に届いた割合です。",
    "actuals.no_target": "この計画には目標がないため、確率とリカバリー計画はありません。",
    "actuals.recovery": "リカバリー計画:各部門がこれから出すべき数字",
    "actuals.recovery_caption": "目標に届くには、{start}〜{end}で{target}が必要です。いまの"
    "ファネルの状態から流入を解き直し、その期間の各部門の数字を確定計画と並べています。",
    "actuals.recovery_failed": "リカバリー計画を作れません:{reason}",
    "actuals.recovery_ratio": "リカバリーには、この期間の計画の{ratio}倍の{stage}が必要です。"
    "残りのリードタイムを考えると新規流入だけで差を埋めるのは難しく、転換率と既存パイプライン"
    "で埋める必要があります。",
    "actuals.recovery_ratio_ok": "リカバリーには、この期間の計画の{ratio}倍の{stage}が必要です。",
    "actuals.col.original": "確定計画",
    "actuals.col.recovery": "リカバリー計画",
    "actuals.col.change": "増減",
    "actuals.col.per_month": "月あたり",
    "actuals.col.month": "月",
    "actuals.col.start": "累計(前)",
    "actuals.col.end": "累計(後)",
    "actuals.sheet.plan_vs_actual": "予実",
    "actuals.sheet.monthly": "月別",
    "actuals.sheet.bridge": "ブリッジ",
    "actuals.sheet.recovery": "リカバリー計画",
    "actuals.download_xlsx": "表をダウンロード(Excel)",
    "actuals.download_csv": "表をダウンロード(CSV)",
    "actuals.save": "着地見込みを保存",
    "actuals.save_caption": "年度の残りを「{name}」の新しいバージョンとして保存します。いまの"
    "実績の状態から計画の流入で始まり(着地見込み)、残りの目標を持ちます(逆算プランページで"
    "リカバリーを解きます)。親は確定計画です。",
    "actuals.save_button": "新しいバージョンとして保存",
    "actuals.need_author": "先に名前を入力してください。保存したバージョンには保存した人を"
    "記録します。",
    "actuals.default_note": "{month}締めの着地見込み",
    "actuals.record_note": "確定計画(サンプル企業)",
    "actuals.saved": "「{name}」のバージョン{version}として保存しました(親:バージョン{parent})。",
    "actuals.save_failed": "着地見込みは保存されませんでした:{reason}",
    "actuals.stale": "この着地見込みの元の確定計画(バージョン{parent})の後に、「{name}」の"
    "バージョン{head}が保存されています。何も保存していません。",
    "actuals.stale_save": "それでもバージョン{next}として保存",
}
