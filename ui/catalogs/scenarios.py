"""UI text of the scenarios pages (merged into ui.i18n)."""

EN: dict[str, str] = {
    "page.scenarios": "Scenarios",
    # shared links
    "share.unknown": "The shared link names a scenario that is not saved here: “{name}”, "
    "version {version}. The default scenario is open instead.",
    "share.bad_param": "The shared link has invalid values ({params}); they were ignored.",
    "share.invalid": "The shared link's scenario “{name}”, version {version}, cannot be opened: "
    "{reason} The default scenario is open instead.",
    "share.store_damaged": "The shared link's scenario “{name}”, version {version}, cannot be "
    "opened: the scenario store {path} is damaged and cannot be read (it is not in use by another "
    "process). The default scenario is open instead. Whoever runs this server can move the file "
    "aside (keeping it) to start a new store, or restore it from a backup.",
    # the store's warnings (db.errors.STORE_WARNINGS), by code
    "scn.warn.store_recovered": "The scenario store's log was damaged or cut off (found {at} "
    "UTC). It is kept as {aside} and everything readable in it was recovered. Versions that may "
    "be missing: {missing}. Save them again if you still have them open; once checked, delete "
    "{record}.",
    # the page
    "scn.title": "Scenarios",
    "scn.active": "Active scenario",
    "scn.active_ref": "{name} · version {version}",
    "scn.edited": "Edited since it was loaded or saved: save to keep the changes.",
    "scn.not_saved": "Not saved yet.",
    "scn.share": "Share link",
    "scn.share_help": "Opens this scenario version, page and language for a colleague on this "
    "server. Changes not saved are not in the link.",
    "scn.share_unsaved": "Save the scenario to put it in the link; until then the link opens "
    "the default scenario.",
    "scn.store_unavailable": "The saved scenarios cannot be read: {reason}",
    "scn.author": "Your name",
    "scn.author_help": "Recorded with every save, archive and import.",
    "scn.tab.save": "Save",
    "scn.tab.history": "History",
    "scn.tab.compare": "Compare",
    "scn.tab.json": "Import / export",
    "scn.tab.downloads": "Downloads",
    "scn.name": "Scenario name",
    "scn.name_help": "Saving under an existing name adds a new version; nothing is overwritten.",
    "scn.note": "Note",
    "scn.save": "Save as a new version",
    "scn.save_help": "Each save is a new version with its time, your name and the note.",
    "scn.stale": "Not saved: “{name}” has changed since you opened version {parent}. {author} "
    "saved version {head} at {when}. Saving now would hide their changes behind yours.",
    "scn.stale_exists": "Not saved: a scenario named “{name}” already exists, and you have not "
    "opened it. Its latest version {head} was saved by {author} at {when}.",
    "scn.stale_diff": "How your scenario differs from version {head}:",
    "scn.stale_same": "Your scenario and version {head} are the same.",
    "scn.stale_save": "Save anyway as version {next}",
    "scn.stale_open": "Open version {head} instead (drops your edits)",
    "scn.stale_cancel": "Cancel",
    "scn.inputs": "Inputs that differ",
    "scn.data.same": "Version {v} was built from the dataset “{name}”, whose data is unchanged "
    "since.",
    "scn.data.changed": "Version {v} was built from the dataset “{name}”, whose data has "
    "changed since: its figures are from the data as it was then.",
    "scn.data.removed": "Version {v} was built from the dataset “{name}”, which has been "
    "removed since.",
    "scn.data.damaged": "Version {v} was built from the dataset “{name}”, whose file is damaged "
    "now.",
    "scn.bridge": "What changed: {a} → {b}",
    "scn.bridge.other": "Other differences (opening stock, recycle pool)",
    "scn.bridge_caption": "Bookings over the plan, from {a} to {b}: each bar is what one lever's "
    "change is worth, shared out exactly (Shapley, as plan vs actual), so the bars add up to the "
    "difference; what the levers leave is the last bar.",
    "scn.bridge_none": "These two scenarios cannot be bridged lever by lever: they have other "
    "stages or another horizon (or more than 10 stages).",
    "scn.inputs_same": "The scenarios have the same inputs.",
    "scn.col.theirs": "Theirs (v{v})",
    "scn.col.yours": "Yours",
    "scn.need_name": "Give the scenario a name to save it.",
    "scn.need_author": "Enter your name first (it is recorded with the change).",
    "scn.save_failed": "Not saved: {reason}",
    "scn.saved": "Saved “{name}” as version {version}.",
    "scn.load_failed": "Could not load: {reason}",
    "scn.loaded": "Loaded “{name}” version {version}: it is now the active scenario.",
    "scn.archived": "Archived “{name}”. Its versions are kept; show archived scenarios to "
    "restore it.",
    "scn.restored": "Restored “{name}”.",
    "scn.show_archived": "Show archived scenarios",
    "scn.none_saved": "No scenario is saved yet. Save the current plan on the Save tab.",
    "scn.col.name": "Scenario",
    "scn.col.latest": "Latest version",
    "scn.col.saved_at": "Saved at",
    "scn.col.author": "Author",
    "scn.col.note": "Note",
    "scn.col.status": "Status",
    "scn.col.version": "Version",
    "scn.archived_flag": "archived",
    "scn.scenario": "Scenario",
    "scn.versions": "Versions of “{name}”",
    "scn.version": "Version",
    "scn.load": "Load this version",
    "scn.archive": "Archive",
    "scn.restore": "Restore",
    "scn.archived_help": "This scenario is archived: hidden from the list, every version kept.",
    "scn.diff": "Differences between two versions",
    "scn.diff_one": "A scenario with one version has nothing to compare yet.",
    "scn.diff_old": "Old version",
    "scn.diff_new": "New version",
    "scn.diff_none": "Versions {a} and {b} are identical.",
    "scn.col.parameter": "Parameter",
    "scn.col.path": "Path",
    "scn.col.old": "Old (v{v})",
    "scn.col.new": "New (v{v})",
    "scn.current": "Current (unsaved edits included)",
    "scn.compare_pick": "Scenarios to compare (two to four)",
    "scn.compare_help": "Pick two to four scenarios or versions to see them side by side.",
    "scn.compare_problem": "Left out: {text}",
    "scn.key_figures": "Key figures",
    "scn.key_figures_help": "Target, wins, bookings and revenue over the plan; inflow and leads "
    "per month; differences against “{first}”.",
    "scn.fig.target": "Target",
    "scn.delta": "Δ {label}",
    "scn.division_targets": "What each division must deliver (per month)",
    "scn.division_targets_help": "Arrivals into each division's stage per month, on average "
    "over the plan.",
    "scn.monthly": "Month by month",
    "scn.leads_series": "{stage} (arrivals)",
    "scn.export_json": "Export",
    "scn.export_version": "The saved version “{name}” v{version}, with its author and note.",
    "scn.export_current": "The current scenario (not saved, or edited since saving).",
    "scn.download_json": "Download JSON",
    "scn.import_json": "Import",
    "scn.import_file": "Scenario JSON file",
    "scn.import_help": "An export of this app, or a scenario file on its own.",
    "scn.import_name": "Save as (optional)",
    "scn.import_name_help": "By default the name in the file.",
    "scn.import": "Import as a new version",
    "scn.import_none": "Choose a JSON file first.",
    "scn.import_too_big": "The file is too large ({size} kB; at most 1,000 kB).",
    "scn.not_utf8": "the file is not UTF-8 text",
    "scn.import_invalid": "Not imported: {reason}",
    "scn.imported": "Imported “{name}” as version {version}; it is now the active scenario.",
    "scn.downloads_help": "The active plan as a workbook (one sheet per table, live formulas "
    "over the Assumptions sheet: change a rate there and the monthly plan, division targets, "
    "revenue, reverse calculation and capacity sheets follow), as CSV files, or as chart "
    "images.",
    "scn.download_xlsx": "Excel workbook (.xlsx)",
    "scn.download_csv": "CSV tables (.zip)",
    "scn.reverse_preview": "Required arrivals per month: formula (annual, steady state) and model "
    "(exact)",
    "scn.reverse_help": "The formulas divide the required wins by each conversion up the "
    "funnel (and, with recycle, count the items the pool sends back in steady state). They "
    "ignore lead times, the opening pipeline and pool and how the pool fills up, which the "
    "model's month-by-month solve includes.",
    "scn.chart_images": "Chart images",
    "scn.chart_pick": "Chart",
    "scn.download_png": "PNG image",
    "scn.download_svg": "SVG image",
    # the exports
    "export.sheet.assumptions": "Assumptions",
    "export.sheet.reverse": "Reverse",
    "export.sheet.monthly_plan": "Monthly plan",
    "export.sheet.division_targets": "Division targets",
    "export.sheet.revenue": "Revenue",
    "export.sheet.asis": "AsIs vs ToBe",
    "export.asis.unit": "Unit",
    "export.asis.months": "months",
    "export.asis.low": "Historical low",
    "export.asis.high": "Historical high",
    "export.col.month": "Month",
    "export.col.parameter": "Parameter",
    "export.col.key": "Key",
    "export.col.value": "Value",
    "export.col.division": "Division",
    "export.col.stage": "Stage",
    "export.col.per_month": "Per month",
    "export.col.total": "Over the plan",
    "export.col.mrr": "MRR",
    "export.col.customers": "Customers",
    "export.col.pool_balance": "Recycle pool · balance",
    "export.col.reactivated": "Recycle pool · reactivated",
    "export.measure.arrivals": "arrivals",
    "export.measure.stock": "stock",
    "export.measure.converted": "converted",
    "export.measure.disqualified": "disqualified",
    "export.measure.recycled": "recycled",
    "export.measure.lost": "lost",
    "export.a.name": "Scenario name",
    "export.a.months": "Horizon (months)",
    "export.a.start": "First month",
    "export.a.currency": "Currency",
    "export.a.target_metric": "Target metric (bookings, wins, revenue or none)",
    "export.a.target_total": "Target over the plan",
    "export.a.inflow": "Stated inflow per month (forward mode)",
    "export.a.recycle_mode": "Reactivation mode (rate or volume)",
    "export.a.reentry": "Stage that reactivated items re-enter",
    "export.reverse.title": "Reverse calculation: formula (annual, steady state) beside the "
    "model (exact)",
    "export.reverse.note": "Formulas, per month: required wins = target ÷ deal size ÷ months "
    "(a wins target: target ÷ months; a revenue target has no closed form: #N/A). Without "
    "recycle, walking up the funnel: arrivals(stage) = arrivals(next stage) ÷ conversion. With "
    "recycle, in steady state the pool sends back f = ρ ÷ (ρ + e − ρe) of what enters it "
    "(ρ reactivation, e expiry; volume mode: V a month, f = 0) into the re-entry stage k; "
    "stages from k down are unchanged and the inflow is I = (arrivals(k) − f × Σ recycle × "
    "arrivals below k − V) ÷ (Π conversions above k + f × Σ recycle × coefficient above k). "
    "These ignore lead times, the opening pipeline and pool, and the months the pool takes to "
    "fill: the model (exact) column is the plan's month-by-month solve, averaged per month.",
    "export.reverse.wins_total": "Required wins over the plan",
    "export.reverse.wins_month": "Required wins per month",
    "export.reverse.pool_share": "f: share of recycled items sent back (steady state)",
    "export.reverse.volume": "V: fixed reactivation per month (volume mode)",
    "export.reverse.inflow": "Required new inflow per month",
    "export.reverse.model_inflow": "Model (exact)",
    "export.reverse.conversion": "Conversion to next",
    "export.reverse.recycle": "Recycle share",
    "export.reverse.coef": "Coefficient on the inflow (Π conversions above)",
    "export.reverse.simple": "Formula, no recycle",
    "export.reverse.with_recycle": "Formula, with recycle",
    "export.reverse.model": "Model (exact)",
    "export.reverse.gap": "Model ÷ formula − 1",
}

JA: dict[str, str] = {
    "page.scenarios": "シナリオ",
    "share.unknown": "共有リンクのシナリオはこのサーバーに保存されていません:「{name}」"
    "バージョン{version}。既定のシナリオを開いています。",
    "share.bad_param": "共有リンクに無効な値があります({params})。無視しました。",
    "share.invalid": "共有リンクのシナリオ「{name}」(バージョン{version})は開けません: {reason} "
    "代わりに既定のシナリオを開いています。",
    "share.store_damaged": "共有リンクのシナリオ「{name}」(バージョン{version})は開けません。"
    "シナリオの保存先 {path} が壊れていて読めません(別のプロセスが使用中なのではありません)。"
    "代わりに既定のシナリオを開いています。サーバーの管理者は、ファイルを(消さずに)別の場所に"
    "移して新しい保存先で始めるか、バックアップから戻せます。",
    "scn.warn.store_recovered": "シナリオの保存先のログが壊れているか途中で切れていました({at} "
    "UTCに検出)。ログは {aside} として残し、読める分はすべて復旧しました。失われた可能性のある"
    "バージョン: {missing}。手元に開いていれば保存し直してください。確認が済んだら {record} を"
    "削除してください。",
    "scn.title": "シナリオ",
    "scn.active": "現在のシナリオ",
    "scn.active_ref": "{name} · バージョン{version}",
    "scn.edited": "読み込み・保存の後に変更があります。残すには保存してください。",
    "scn.not_saved": "まだ保存されていません。",
    "scn.share": "共有リンク",
    "scn.share_help": "同じサーバーの同僚が、このシナリオのバージョン・ページ・言語で開けます。"
    "保存していない変更はリンクに含まれません。",
    "scn.share_unsaved": "シナリオを保存するとリンクに含まれます。保存するまでは既定の"
    "シナリオが開きます。",
    "scn.store_unavailable": "保存したシナリオを読めません: {reason}",
    "scn.author": "あなたの名前",
    "scn.author_help": "保存・アーカイブ・インポートのたびに記録されます。",
    "scn.tab.save": "保存",
    "scn.tab.history": "履歴",
    "scn.tab.compare": "比較",
    "scn.tab.json": "インポート/エクスポート",
    "scn.tab.downloads": "ダウンロード",
    "scn.name": "シナリオ名",
    "scn.name_help": "既存の名前で保存すると新しいバージョンが追加されます。上書きはされません。",
    "scn.note": "メモ",
    "scn.save": "新しいバージョンとして保存",
    "scn.save_help": "保存のたびに、日時・名前・メモ付きの新しいバージョンになります。",
    "scn.stale": "保存していません:バージョン{parent}を開いた後に「{name}」が更新されました。"
    "{author}さんが{when}にバージョン{head}を保存しています。今保存すると、その変更があなたの変更で"
    "上書きされます。",
    "scn.stale_exists": "保存していません:「{name}」という名前のシナリオはすでにあり、"
    "まだ開いていません。最新のバージョン{head}は{author}さんが{when}に保存しました。",
    "scn.stale_diff": "あなたのシナリオとバージョン{head}の違い:",
    "scn.stale_same": "あなたのシナリオはバージョン{head}と同じです。",
    "scn.stale_save": "それでもバージョン{next}として保存",
    "scn.stale_open": "バージョン{head}を開く(編集は破棄)",
    "scn.stale_cancel": "キャンセル",
    "scn.inputs": "入力の違い",
    "scn.data.same": "バージョン{v}はデータセット「{name}」から作成しました。その後データは"
    "変わっていません。",
    "scn.data.changed": "バージョン{v}はデータセット「{name}」から作成しました。その後データが"
    "変わったため、数値は作成時のデータによるものです。",
    "scn.data.removed": "バージョン{v}はデータセット「{name}」から作成しました。このデータセットは"
    "その後削除されました。",
    "scn.data.damaged": "バージョン{v}はデータセット「{name}」から作成しました。現在そのファイルは"
    "壊れています。",
    "scn.bridge": "何が変わったか:{a} → {b}",
    "scn.bridge.other": "その他の違い(期首パイプライン・リサイクルプール)",
    "scn.bridge_caption": "計画期間の受注金額を{a}から{b}へ:各バーは1つのレバーの変化の効果で、"
    "予実管理と同じシャープレイ値で正確に配分しているため、バーの合計が差額になります。"
    "レバーで説明できない分は最後のバーです。",
    "scn.bridge_none": "この2つのシナリオはステージか計画期間が異なる(またはステージが10を"
    "超える)ため、レバーごとに分解できません。",
    "scn.inputs_same": "入力はすべて同じです。",
    "scn.col.theirs": "相手(v{v})",
    "scn.col.yours": "あなた",
    "scn.need_name": "保存するにはシナリオ名を入力してください。",
    "scn.need_author": "先に名前を入力してください(変更とともに記録されます)。",
    "scn.save_failed": "保存できませんでした: {reason}",
    "scn.saved": "「{name}」をバージョン{version}として保存しました。",
    "scn.load_failed": "読み込めませんでした: {reason}",
    "scn.loaded": "「{name}」バージョン{version}を読み込みました。現在のシナリオになりました。",
    "scn.archived": "「{name}」をアーカイブしました。バージョンは残っています。アーカイブを"
    "表示すると復元できます。",
    "scn.restored": "「{name}」を復元しました。",
    "scn.show_archived": "アーカイブしたシナリオを表示",
    "scn.none_saved": "保存されたシナリオはまだありません。「保存」タブで現在のプランを"
    "保存してください。",
    "scn.col.name": "シナリオ",
    "scn.col.latest": "最新バージョン",
    "scn.col.saved_at": "保存日時",
    "scn.col.author": "保存者",
    "scn.col.note": "メモ",
    "scn.col.status": "状態",
    "scn.col.version": "バージョン",
    "scn.archived_flag": "アーカイブ済み",
    "scn.scenario": "シナリオ",
    "scn.versions": "「{name}」のバージョン",
    "scn.version": "バージョン",
    "scn.load": "このバージョンを読み込む",
    "scn.archive": "アーカイブ",
    "scn.restore": "復元",
    "scn.archived_help": "このシナリオはアーカイブ済みです。一覧には出ませんが、すべての"
    "バージョンが残っています。",
    "scn.diff": "2つのバージョンの差分",
    "scn.diff_one": "バージョンが1つだけなので、まだ比較できません。",
    "scn.diff_old": "古いバージョン",
    "scn.diff_new": "新しいバージョン",
    "scn.diff_none": "バージョン{a}と{b}は同じです。",
    "scn.col.parameter": "パラメータ",
    "scn.col.path": "パス",
    "scn.col.old": "変更前(v{v})",
    "scn.col.new": "変更後(v{v})",
    "scn.current": "現在のシナリオ(未保存の変更を含む)",
    "scn.compare_pick": "比較するシナリオ(2〜4件)",
    "scn.compare_help": "シナリオまたはバージョンを2〜4件選ぶと、並べて比較できます。",
    "scn.compare_problem": "除外しました: {text}",
    "scn.key_figures": "主要な数値",
    "scn.key_figures_help": "目標・受注数・受注金額・売上は計画期間の合計、流入とリードは"
    "月あたり。差は「{first}」との比較です。",
    "scn.fig.target": "目標",
    "scn.delta": "Δ {label}",
    "scn.division_targets": "部門ごとに必要な流入(月あたり)",
    "scn.division_targets_help": "各部門が担当するステージへの流入の、計画期間の月平均。",
    "scn.monthly": "月別の推移",
    "scn.leads_series": "{stage}(流入)",
    "scn.export_json": "エクスポート",
    "scn.export_version": "保存済みの「{name}」v{version}(保存者とメモ付き)。",
    "scn.export_current": "現在のシナリオ(未保存、または保存後に変更あり)。",
    "scn.download_json": "JSONをダウンロード",
    "scn.import_json": "インポート",
    "scn.import_file": "シナリオのJSONファイル",
    "scn.import_help": "このアプリのエクスポート、またはシナリオ単体のファイル。",
    "scn.import_name": "保存名(任意)",
    "scn.import_name_help": "省略するとファイル内の名前を使います。",
    "scn.import": "新しいバージョンとしてインポート",
    "scn.import_none": "先にJSONファイルを選んでください。",
    "scn.import_too_big": "ファイルが大きすぎます({size} kB、上限1,000 kB)。",
    "scn.not_utf8": "ファイルがUTF-8のテキストではありません",
    "scn.import_invalid": "インポートできませんでした: {reason}",
    "scn.imported": "「{name}」をバージョン{version}としてインポートしました。現在のシナリオに"
    "なりました。",
    "scn.downloads_help": "現在のプランを、ブック(表ごとに1シート。前提シートを参照する数式で、"
    "前提の転換率などを変えると月次計画・部門目標・売上・逆算・体制の各シートが追従します)、"
    "CSVファイル、グラフ画像としてダウンロードできます。",
    "scn.download_xlsx": "Excelブック(.xlsx)",
    "scn.download_csv": "CSVの表(.zip)",
    "scn.reverse_preview": "月あたりの必要流入: 数式(年間・定常状態)とモデル(厳密)",
    "scn.reverse_help": "数式は必要な受注数をファネルを遡って各転換率で割ります(リサイクルが"
    "あれば、定常状態でプールから戻る分を差し引きます)。リードタイム、期首パイプラインと"
    "プール、プールが貯まるまでの期間は含みません。モデルの月次の解はそれらを含みます。",
    "scn.chart_images": "グラフ画像",
    "scn.chart_pick": "グラフ",
    "scn.download_png": "PNG画像",
    "scn.download_svg": "SVG画像",
    "export.sheet.assumptions": "前提",
    "export.sheet.reverse": "逆算",
    "export.sheet.monthly_plan": "月次プラン",
    "export.sheet.division_targets": "部門別目標",
    "export.sheet.revenue": "売上",
    "export.sheet.asis": "AsIsとToBe",
    "export.asis.unit": "単位",
    "export.asis.months": "か月",
    "export.asis.low": "過去の下限",
    "export.asis.high": "過去の上限",
    "export.col.month": "月",
    "export.col.parameter": "パラメータ",
    "export.col.key": "キー",
    "export.col.value": "値",
    "export.col.division": "部門",
    "export.col.stage": "ステージ",
    "export.col.per_month": "月あたり",
    "export.col.total": "計画期間",
    "export.col.mrr": "MRR",
    "export.col.customers": "顧客数",
    "export.col.pool_balance": "リサイクルプール · 残高",
    "export.col.reactivated": "リサイクルプール · 再活性化",
    "export.measure.arrivals": "流入",
    "export.measure.stock": "残高",
    "export.measure.converted": "転換",
    "export.measure.disqualified": "育成対象外",
    "export.measure.recycled": "リサイクル",
    "export.measure.lost": "失注・離脱",
    "export.a.name": "シナリオ名",
    "export.a.months": "計画期間(か月)",
    "export.a.start": "開始月",
    "export.a.currency": "通貨",
    "export.a.target_metric": "目標の指標(bookings・wins・revenue・none)",
    "export.a.target_total": "計画期間の目標",
    "export.a.inflow": "シナリオの月間流入(フォワード計算)",
    "export.a.recycle_mode": "再活性化の方式(rate・volume)",
    "export.a.reentry": "再活性化したものが戻るステージ",
    "export.reverse.title": "逆算: 数式(年間・定常状態)とモデル(厳密)",
    "export.reverse.note": "数式(月あたり): 必要受注数 = 目標 ÷ 受注単価 ÷ 月数(受注数の目標は"
    "目標 ÷ 月数。売上の目標は閉じた式がなく #N/A)。リサイクルなし: ファネルを遡り、流入"
    "(ステージ) = 流入(次のステージ) ÷ 転換率。リサイクルあり: 定常状態ではプールに入った分の"
    " f = ρ ÷ (ρ + e − ρe) が戻りステージ k に戻ります(ρ 再活性化率、e 失効率。固定件数の"
    "場合は毎月 V、f = 0)。k 以下のステージは変わらず、新規流入は I = (流入(k) − f × k 以下の"
    "Σ リサイクル率 × 流入 − V) ÷ (k より上の転換率の積 + f × k より上の Σ リサイクル率 × 係数)。"
    "リードタイム、期首パイプラインとプール、プールが貯まるまでの期間は含みません。"
    "モデル(厳密)の列はプランの月次の解の月平均です。",
    "export.reverse.wins_total": "計画期間の必要受注数",
    "export.reverse.wins_month": "月あたりの必要受注数",
    "export.reverse.pool_share": "f: リサイクルから戻る割合(定常状態)",
    "export.reverse.volume": "V: 毎月の固定再活性化数(固定件数の場合)",
    "export.reverse.inflow": "月あたりの必要な新規流入",
    "export.reverse.model_inflow": "モデル(厳密)",
    "export.reverse.conversion": "次への転換率",
    "export.reverse.recycle": "リサイクル率",
    "export.reverse.coef": "新規流入に掛かる係数(上の転換率の積)",
    "export.reverse.simple": "数式(リサイクルなし)",
    "export.reverse.with_recycle": "数式(リサイクルあり)",
    "export.reverse.model": "モデル(厳密)",
    "export.reverse.gap": "モデル ÷ 数式 − 1",
}
