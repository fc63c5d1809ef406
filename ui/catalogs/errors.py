"""UI text of the data layer's errors (merged into ui.i18n): ``err.code.<code>`` for every code of
``db.errors.MESSAGES`` (an import error's reason is ``data.err.code.<code>`` in data.py), with
the error's params, which ui/errors.py shows in the language (stages by name, months as months,
lists joined by ``err.list_sep``). A test checks that each code has a text in both languages."""

EN: dict[str, str] = {
    "err.list_sep": ", ",
    "err.none": "none",
    "err.in_scenario": "scenario “{name}”: {reason}",
    "err.in_scenario_version": "scenario “{name}” version {version}: {reason}",
    # the stage design
    "err.code.too_few_stages": "a stage design needs at least two stages",
    "err.code.too_many_stages": "a stage design has at most {max} stages",
    "err.code.bad_stage_key": "stage key “{stage_key}” must start with a letter and use only "
    "a-z, 0-9 and _",
    "err.code.duplicate_stage_keys": "duplicate stage keys in {keys}",
    # a mapping's shape
    "err.code.mapping_not_object": "a mapping must be a JSON object",
    "err.code.mapping_unknown_keys": "unknown mapping keys: {keys}",
    "err.code.mapping_bad_kind": "mapping kind must be one of {kinds}, got “{kind}”",
    "err.code.mapping_bad_stages": "mapping stages must be a list of stage keys (a-z, 0-9, _)",
    "err.code.mapping_unknown_field": "a {kind} mapping has no field “{field}” (fields are: "
    "{fields})",
    "err.code.mapping_bad_stage_date_key": "stage_dates: “{stage_key}” is not a stage key",
    "err.code.mapping_bad_unresolved": "unresolved must be one of {choices}",
    "err.code.mapping_bad_values": "values must map stage, outcome or status to pairs of a file "
    "value and a key",
    "err.code.value_not_a_stage": "values.{table}: “{raw}” maps to “{target}”, which is not a "
    "stage of this design",
    "err.code.value_not_an_outcome": "values.{table}: “{raw}” maps to “{target}”, which is not "
    "an outcome of this design",
    # saving and finding a mapping
    "err.code.mapping_name_length": "a mapping name must be 1 to {max} characters",
    "err.code.mapping_name_builtin": "“{name}” is a built-in preset: choose another name",
    "err.code.mapping_no_kind": "a mapping needs a kind ({kinds})",
    "err.code.no_such_mapping": "no preset or saved mapping named “{name}”",
    "err.code.unknown_preset": "unknown preset “{name}” (presets are: {presets})",
    # an import, beyond the contents of its files
    "err.code.mapping_file_count": "this mapping reads {count} file(s) ({roles}); got {files}",
    "err.code.join_file_missing": "a two-file mapping needs join.file naming the second file",
    "err.code.stage_date_not_in_design": "stage_dates names “{stage}”, which is not a stage of the "
    "design ({design})",
    "err.code.stages_do_not_fit": "the file's stages ({stages}) do not fit the database's stage "
    "design ({design}): replace the data or change the mapping",
    "err.code.design_change_with_history": "cannot change the stage design of existing history",
    "err.code.constraint_violation": "the import breaks a rule of the database: {detail}",
    # the baseline and the metrics it reads
    "err.code.no_funnel_data": "the database holds no funnel data: load the sample or import a "
    "file",
    "err.code.window_reversed": "the window ends ({end}) before it starts ({start})",
    "err.code.bad_horizon": "the horizon must be 1 to {max} months, got {horizon}",
    "err.code.no_resolved_items": "no item that entered {stage} from {start} to {end} has an "
    "outcome yet: widen the window or import its history",
    "err.code.bad_stale_after": "the stale limit for “{stage}” must be a whole number of months, "
    "0 or more, for a stage with outcomes ({stages}); got “{value}”",
    "err.code.bad_month": "{name} must be a month written YYYY-MM, got “{value}”",
    "err.code.bad_split": "cannot split by “{by}”: choose source, segment or owner",
    # the scenario store (after the scenario's name: err.in_scenario)
    "err.code.scenario_name_empty": "a scenario needs a non-empty name",
    "err.code.scenario_name_invalid": "a name has at most {max} characters and no control "
    "characters",
    "err.code.scenario_not_object": "the scenario must be a JSON object",
    "err.code.scenario_invalid": "invalid scenario: {field}: {reason}",
    "err.code.author_required": "a save needs an author",
    "err.code.archive_author_required": "archiving needs an author",
    "err.code.save_conflict": "could not save after {attempts} attempts (constant conflicts)",
    "err.code.scenario_stale_parent": "version {parent} is no longer the latest (the latest is "
    "version {head}): compare them, or save anyway",
    "err.code.archive_conflict": "could not archive after {attempts} attempts",
    "err.code.no_such_scenario": "no such scenario",
    "err.code.no_such_version": "no such scenario or version",
    "err.code.not_json": "not JSON (line {line}, column {column}: {detail})",
    "err.code.store_unavailable": "the scenario store {store} cannot be reached ({detail}): "
    "check that its database server is running and that the URL, user and password are right, "
    "then retry",
    "err.code.store_auth_failed": "the scenario store {store} refused the login ({detail}): "
    "check the user and password in the URL (and that the server admits that user); retrying "
    "will not help",
    # datasets
    "err.code.dataset_name_empty": "a dataset needs a name",
    "err.code.dataset_name_invalid": "a dataset name has at most {max} characters and no "
    "control characters",
    "err.code.dataset_name_taken": "there is already a dataset named “{name}”: choose another name",
    "err.code.dataset_read_only": "the sample data is read-only: import into a dataset of your own",
    "err.code.no_such_dataset": "the dataset “{dataset}” is not there (it may have been removed)",
    "err.code.dataset_index_damaged": "the list of datasets {path} is damaged: move it aside "
    "to start a new one",
    # a locked database file
    "err.code.database_locked": "the database {path} is in use by another process (only one "
    "process may write it at a time; close the other app or CLI and retry): {detail}",
    # a damaged database file (never called locked)
    "err.code.database_damaged": "the database {path} is damaged and cannot be read ({detail}); "
    "it is not in use by another process: restore it from a backup, or move it aside to start "
    "anew",
    "err.code.store_damaged": "the scenario store {path} is damaged and cannot be read "
    "({detail}); it is not in use by another process. Nothing can be saved in it: move the file "
    "aside (keep it, what is readable can be recovered from it) to start a new store, or "
    "restore it from a backup",
    "err.code.dataset_damaged": "this dataset's file is damaged: {path} ({detail}). Remove the "
    "dataset and import its data again, or restore the file from a backup",
}

JA: dict[str, str] = {
    "err.list_sep": "、",
    "err.none": "なし",
    "err.in_scenario": "シナリオ「{name}」: {reason}",
    "err.in_scenario_version": "シナリオ「{name}」のバージョン{version}: {reason}",
    # the stage design
    "err.code.too_few_stages": "ステージは2つ以上必要です。",
    "err.code.too_many_stages": "ステージは{max}個までです。",
    "err.code.bad_stage_key": "ステージのキー「{stage_key}」は英小文字で始め、英小文字(a-z)・数字"
    "(0-9)・_ だけで書いてください。",
    "err.code.duplicate_stage_keys": "同じステージのキーが重複しています({keys})。",
    # a mapping's shape
    "err.code.mapping_not_object": "マッピングはJSONのオブジェクト形式で書いてください。",
    "err.code.mapping_unknown_keys": "マッピングに使えない項目があります: {keys}",
    "err.code.mapping_bad_kind": "マッピングの種類(kind)「{kind}」は使えません。{kinds}"
    "のいずれかを指定してください。",
    "err.code.mapping_bad_stages": "マッピングの stages には、ステージのキー(a-z、0-9、_)の"
    "リストを指定してください。",
    "err.code.mapping_unknown_field": "種類が {kind} のマッピングに項目「{field}」はありません"
    "(使える項目: {fields})。",
    "err.code.mapping_bad_stage_date_key": "stage_dates の「{stage_key}」はステージのキーとして"
    "使えません。",
    "err.code.mapping_bad_unresolved": "unresolved には {choices} のいずれかを指定してください。",
    "err.code.mapping_bad_values": "values には、stage・outcome・status ごとに「ファイルの値」と"
    "「キー」の対応を書いてください。",
    "err.code.value_not_a_stage": "values.{table} で「{raw}」の割り当て先になっている"
    "「{target}」は、このステージ構成にありません。",
    "err.code.value_not_an_outcome": "values.{table} で「{raw}」の割り当て先になっている"
    "「{target}」は、結果として使える値ではありません。",
    # saving and finding a mapping
    "err.code.mapping_name_length": "マッピング名は1〜{max}文字で入力してください。",
    "err.code.mapping_name_builtin": "「{name}」は標準のプリセットの名前です。別の名前を"
    "付けてください。",
    "err.code.mapping_no_kind": "マッピングに種類(kind)がありません。{kinds} のいずれかを"
    "指定してください。",
    "err.code.no_such_mapping": "「{name}」という名前のプリセットや保存済みのマッピングは"
    "ありません。",
    "err.code.unknown_preset": "「{name}」というプリセットはありません(あるプリセット: "
    "{presets})。",
    # an import, beyond the contents of its files
    "err.code.mapping_file_count": "このマッピングは{count}つのファイル({roles})を読み込みますが、"
    "渡されたファイルは {files} です。",
    "err.code.join_file_missing": "2つのファイルを使うマッピングには、2つ目のファイルを示す "
    "join.file が必要です。",
    "err.code.stage_date_not_in_design": "stage_dates にある「{stage}」は、ステージ構成"
    "({design})にありません。",
    "err.code.stages_do_not_fit": "ファイルのステージ({stages})が、データベースのステージ構成"
    "({design})と合いません。データを置き換えるか、マッピングを変更してください。",
    "err.code.design_change_with_history": "すでに履歴があるため、ステージ構成は変更できません。",
    "err.code.constraint_violation": "取り込むデータがデータベースのルールに反しています: {detail}",
    # the baseline and the metrics it reads
    "err.code.no_funnel_data": "データベースにファネルのデータがありません。サンプルデータに"
    "戻すか、ファイルを取り込んでください。",
    "err.code.window_reversed": "期間の終わり({end})が始まり({start})より前になっています。",
    "err.code.bad_horizon": "計画期間は1〜{max}か月で指定してください(指定された値: {horizon})。",
    "err.code.no_resolved_items": "{start}〜{end}に「{stage}」に入った案件で、結果(次の"
    "ステージへの移行・失注など)が出たものがまだありません。期間を広げるか、このステージの"
    "履歴を取り込んでください。",
    "err.code.bad_stale_after": "「{stage}」の放置とみなす月数は、結果のあるステージ({stages})に"
    "0以上の整数で指定してください(指定された値: 「{value}」)。",
    "err.code.bad_month": "{name} は YYYY-MM の形の年月で指定してください(指定された値: "
    "「{value}」)。",
    "err.code.bad_split": "「{by}」では分けられません。source、segment、owner のいずれかを"
    "指定してください。",
    # the scenario store (after the scenario's name: err.in_scenario)
    "err.code.scenario_name_empty": "シナリオの名前が空です。名前を付けてください。",
    "err.code.scenario_name_invalid": "シナリオの名前は{max}文字以内で、タブや改行などの"
    "制御文字を含めないでください。",
    "err.code.scenario_not_object": "シナリオはJSONのオブジェクト形式で書いてください。",
    "err.code.scenario_invalid": "シナリオの内容に誤りがあります。{field}: {reason}",
    "err.code.author_required": "保存するには作成者の名前が必要です。",
    "err.code.archive_author_required": "アーカイブするには作成者の名前が必要です。",
    "err.code.save_conflict": "ほかの保存と{attempts}回続けて重なったため、保存できませんでした。"
    "少し待ってからやり直してください。",
    "err.code.scenario_stale_parent": "バージョン{parent}はもう最新ではありません(最新はバージョン"
    "{head})。比べてから保存するか、このまま保存してください。",
    "err.code.archive_conflict": "ほかの操作と{attempts}回続けて重なったため、アーカイブの変更が"
    "できませんでした。少し待ってからやり直してください。",
    "err.code.no_such_scenario": "このシナリオは保存されていません。",
    "err.code.no_such_version": "このシナリオまたはバージョンは保存されていません。",
    "err.code.not_json": "JSONとして読み取れません({line}行目、{column}文字目: {detail})。",
    "err.code.store_unavailable": "シナリオの保存先 {store} に接続できません({detail})。"
    "データベースサーバーが動いているか、URL・ユーザー名・パスワードが正しいかを確かめてから、"
    "やり直してください。",
    "err.code.store_auth_failed": "シナリオの保存先 {store} がログインを拒否しました({detail})。"
    "URLのユーザー名とパスワード(およびサーバーがそのユーザーの接続を許可しているか)を確かめて"
    "ください。このままやり直しても接続できません。",
    # datasets
    "err.code.dataset_name_empty": "データセットの名前を入力してください。",
    "err.code.dataset_name_invalid": "データセットの名前は{max}文字以内で、制御文字は使えません。",
    "err.code.dataset_name_taken": "「{name}」という名前のデータセットはすでにあります。別の名前を"
    "付けてください。",
    "err.code.dataset_read_only": "サンプルデータは読み取り専用です。自分のデータセットに取り込んで"
    "ください。",
    "err.code.no_such_dataset": "データセット「{dataset}」はありません(削除された可能性が"
    "あります)。",
    "err.code.dataset_index_damaged": "データセットの一覧 {path} が壊れています。別の場所に移すと、"
    "新しい一覧で始められます。",
    # a locked database file
    "err.code.database_locked": "データベース {path} は別のプロセスが使用中です(書き込めるのは"
    "同時に1つのプロセスだけです)。もう一方のアプリやコマンドを閉じてから、やり直してください。"
    "(詳細: {detail})",
    # a damaged database file (never called locked)
    "err.code.database_damaged": "データベース {path} が壊れていて読めません(詳細: {detail})。"
    "別のプロセスが使用中なのではありません。バックアップから戻すか、別の場所に移して新しく"
    "始めてください。",
    "err.code.store_damaged": "シナリオの保存先 {path} が壊れていて読めません(詳細: {detail})。"
    "別のプロセスが使用中なのではありません。このままでは保存できません。ファイルを別の場所に"
    "移すと(読める分はそこから復旧できるので、消さずに残してください)新しい保存先で始められます。"
    "バックアップから戻すこともできます。",
    "err.code.dataset_damaged": "このデータセットのファイルが壊れています: {path}(詳細: "
    "{detail})。データセットを削除してデータを取り込み直すか、バックアップからファイルを"
    "戻してください。",
}
