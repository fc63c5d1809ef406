"""UI text of the data pages (merged into ui.i18n)."""

EN: dict[str, str] = {
    "page.data": "CRM data",
    "page.sources": "Sources and ROI",
    "source.imported": "Imported CRM data ({name})",
    # the database
    "data.title": "CRM data",
    "data.caption": "Import your CRM exports, check their quality, read the AsIs metrics and "
    "build the baseline scenario that the plan starts from.",
    "data.locked": "The funnel database {path} is in use by another process (only one may "
    "write it). Close the other app or command and reload this page.",
    "data.db_origin": "**In the database:** {source}",
    "data.db_stages": "**Stages:** {stages}",
    "data.db_rows": "**Stage history:** {rows} rows",
    "data.db_months": "**Months:** {start} to {end}",
    "data.db_empty": "The database holds no funnel data yet: import a file.",
    "data.db_dataset": "**Dataset:** {name}",
    "data.db_read_only": "Built in and read-only: an import makes a dataset of its own.",
    "data.sample_help": "Choose another dataset in the sidebar's “Data source”.",
    "data.remove": "Remove this dataset",
    "data.rename": "Rename",
    "data.rename_name": "New name",
    "data.rename_do": "Rename the dataset",
    "data.renamed": "The dataset is now called “{name}” in every session.",
    "data.remove_help": "Deletes the dataset's data for everyone on this server. Scenarios "
    "built from it keep their numbers and say that their data is gone.",
    "data.remove_confirm": "Remove the dataset “{name}” and its {rows} stage-history rows? "
    "This cannot be undone.",
    "data.remove_yes": "Remove",
    "data.cancel": "Cancel",
    "data.removed": "Removed the dataset “{name}”. You are back on the sample data.",
    # import
    "data.import": "Import",
    "data.import_caption": "CSV or TSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932, UTF-16), Excel "
    ".xlsx or Parquet, up to {mb} MB per file. Two files at once for a two-file preset (Olist).",
    "data.upload_help": "Files are read in memory and imported all rows or none: a bad value "
    "stops the import and leaves the database as it was. Limit: {mb} MB per file.",
    # the uploader's label and a hint about its box, whose texts Streamlit does not let us set
    # (1.67: "Drag and drop files here", "Limit … per file • CSV, …", "Browse files")
    "data.upload_label": "CRM export files (up to {mb} MB each)",
    "data.upload_box": "Drop the files on the box below, or choose them with “Browse files”.",
    "data.encoding": "Text encoding",
    "data.encoding_auto": "Detect automatically",
    "data.encoding_help": "Detected from the file (BOM, then UTF-8, then Shift_JIS/CP932). "
    "Choose one when the preview shows garbled text.",
    "data.encoding_binary": "none ({format})",
    "data.mapping": "Preset or saved mapping",
    "data.mapping_help": "How the file's columns become stage history. The first mapping whose "
    "columns the file has is chosen for you.",
    "data.saved_preset": "{name} (saved)",
    "data.roles_count": "This mapping reads {n} file(s) ({roles}); you uploaded {got}.",
    "data.role": "File for “{role}”",
    "data.columns": "Columns: target field ← file column ({kind})",
    "data.columns_help": "Fields marked * are required. Changing a column turns the preset into "
    "a mapping of your own, which you can save below.",
    "data.stage_dates": "**Date the item entered each stage**",
    "data.dayfirst": "Dates are day first (26-02-2018 is 26 February)",
    "data.dayfirst_help": "Set from the file when a day above 12 shows the order; otherwise "
    "from the preset.",
    "data.missing_required": "No column chosen for the required field(s): {fields}.",
    "data.preview": "Preview",
    "data.file_facts": "{name}: {rows} rows, {cols} columns · encoding: {encoding} · dates: "
    "{dates}",
    "data.dates.ymd": "year first (2018-02-26)",
    "data.dates.dmy": "day first (26-02-2018)",
    "data.dates.mdy": "month first (02/26/2018)",
    "data.dates.ambiguous": "day and month both ≤ 12: order not visible",
    "data.dates.serial": "Excel day numbers",
    "data.dates.typed": "typed dates",
    "data.dates.none": "no date column mapped",
    "data.save_mapping": "Save this mapping as a preset",
    "data.mapping_name": "Name",
    "data.save": "Save",
    "data.saved": "Saved the mapping “{name}”: it is now in the list of presets.",
    "data.save_failed": "The mapping is not saved: {reason}",
    "data.import_into": "Import into",
    "data.target_new": "A new dataset",
    "data.target_help": "Each import goes into a dataset of its own, which other people see "
    "only when they choose it. Choose one of the imported datasets to add to it (or replace "
    "it), e.g. an opportunity report after a lead report.",
    "data.dataset_name": "Name of the new dataset",
    "data.replace": "Replace this dataset's data",
    "data.replace_help": "Off (the default): the rows are added to the dataset. On: the import "
    "replaces every row of the dataset, after you confirm; all or nothing.",
    "data.replace_confirm": "This replaces all {rows} rows of the dataset “{name}” with the "
    "file's rows, for everyone who uses it. Replace?",
    "data.replace_yes": "Replace the data",
    "data.imported_into": "Dataset: “{name}”.",
    "data.imported_into_replaced": "The data of the dataset “{name}” was replaced.",
    "data.do_import": "Import",
    "data.importing": "Importing…",
    "data.step_read": "Read {n} file(s)",
    "data.step_write": "Checking every value and writing the rows (all or none)…",
    "data.step_quality": "Running the data-quality checks…",
    "data.step_done": "Done",
    "data.import_done": "Imported",
    "data.import_failed": "Import stopped: nothing was written",
    "data.imported": "Imported {rows} rows into {table} from {files} ({read} rows read).",
    "data.table.stage_history": "the stage history",
    "data.table.stage_counts": "the monthly counts",
    "data.table.subscriptions": "the subscriptions",
    "data.table.marketing_spend": "the marketing spend",
    "data.err.file": "**File** {file}",
    "data.err.row": "**row** {row}",
    "data.err.column": "**column** {column}",
    "data.err.reason": "**Why:** {reason}",
    "data.err.value": "**Value:** {value}",
    "data.err.more": "{n} more row(s) have the same problem.",
    "data.err.unchanged": "The database is unchanged.",
    # import errors by db.errors.IMPORT_REASONS code; the params: field and stage are shown by
    # their names, looked_for quoted, lists joined by data.err.or
    "data.err.or": " or ",
    "data.err.quoted": "“{text}”",
    "data.err.code.unknown_encoding": "Unknown encoding “{encoding}”: choose utf-8, utf-8-sig, "
    "cp932 or utf-16.",
    "data.err.code.bad_encoding": "The file is not {encodings} text (an unreadable byte "
    "0x{byte:02x} at byte {offset}). Choose the file's text encoding above.",
    "data.err.code.empty_file": "The file is empty.",
    "data.err.code.no_header": "The file has no header row.",
    "data.err.code.blank_header": "Column {position} has no header.",
    "data.err.code.duplicate_header": "Two columns have the same header.",
    "data.err.code.reserved_header": "The app keeps this column name for itself: rename the "
    "column.",
    "data.err.code.ragged_row": "This row has a different number of columns than the header "
    "({columns}).",
    "data.err.code.bad_csv": "The file cannot be read as CSV: {detail}",
    "data.err.code.not_xlsx": "Not an Excel .xlsx workbook (not a zip archive).",
    "data.err.code.xlsx_too_large": "The workbook unpacks to {mb:.0f} MB, more than this app "
    "reads.",
    "data.err.code.bad_xlsx": "The workbook cannot be opened: {detail}",
    "data.err.code.no_sheet": "There is no sheet “{sheet}” (the sheets are: {sheets}).",
    "data.err.code.empty_sheet": "The sheet is empty.",
    "data.err.code.bad_parquet": "Not a readable Parquet file: {detail}",
    "data.err.code.unreadable_file": "The file cannot be read: {detail}",
    "data.err.code.xls_unsupported": "Old .xls workbooks are not supported: save the file as "
    ".xlsx or CSV.",
    "data.err.code.unknown_file_type": "Unknown file type “{format}”: use CSV, Excel (.xlsx) or "
    "Parquet.",
    "data.err.code.too_many_rows": "The file has too many rows ({found:,} or more; this app "
    "imports at most {limit:,}): split it, or export fewer rows.",
    "data.err.code.too_many_columns": "The file has too many columns ({found:,}; this app imports "
    "at most {limit:,}): export only the columns the mapping needs.",
    "data.err.code.too_many_cells": "The file has too many cells, rows × columns ({found:,} or "
    "more; at most {limit:,}): export fewer rows or only the columns the mapping needs.",
    "data.err.code.file_too_large": "The file is {mb:,.0f} MB, more than this app reads "
    "({limit_mb:,.0f} MB).",
    "data.err.code.no_rows": "The file has a header but no rows: there is nothing to import.",
    "data.err.code.bad_field_ref": "The mapping of {field} must be a column name or a list of "
    "them.",
    "data.err.code.bad_stage_date_ref": "The mapping of the {stage} date must be a column name or "
    "a list of them.",
    "data.err.code.bad_owner_ref": "The mapping of the {stage} owner must be a column name or a "
    "list of them.",
    "data.err.code.missing_column": "The file has no column for {field} (looked for {looked_for}).",
    "data.err.code.unmapped_field": "The mapping names no column for the required field {field}.",
    "data.err.code.no_stage_dates": "None of the mapping's stage date columns is in the file.",
    "data.err.code.missing_join_column": "The column the two files are joined on is missing.",
    "data.err.code.duplicate_join_key": "This key appears {count} times: each row of the {role} "
    "file must match one item.",
    "data.err.code.not_a_date": "Not a date (for example 2024-04-01 or 2024/4/1).",
    "data.err.code.not_a_number": "Not a number.",
    "data.err.code.negative": "Must not be negative.",
    "data.err.code.empty_field": "{field} is empty.",
    "data.err.code.unknown_value": "Unknown {field} value: the mapping does not say which of "
    "{choices} it is.",
    # an import's warnings, by code (db.errors.IMPORT_WARNINGS), with the warning's params
    "data.warn.code.unmatched_join_rows": "{count} row(s) of {file} match no row of {main} and "
    "were left out.",
    "data.warn.code.rows_without_stage_date": "{count} row(s) have no stage date and were skipped.",
    "data.warn.code.duplicate_ids": "{count} row(s) of {file} repeat the {column} of a later row "
    "and were left out (the first is row {row}, “{value}”): the last row of each ID was imported.",
    "data.warn.code.implausible_dates": "{count} date(s) in {file} are before {earliest} or after "
    "{latest} (the first is row {row}, column {column}: “{value}”): check the years.",
    "data.kind.history": "one row per item per stage",
    "data.kind.items": "one row per item, a date column per stage",
    "data.kind.counts": "monthly counts per stage",
    "data.kind.subscriptions": "subscriptions",
    "data.kind.spend": "marketing spend",
    "field.item_id": "Item ID",
    "field.stage": "Stage",
    "field.entered_at": "Entered at",
    "field.resolved_at": "Resolved at",
    "field.outcome": "Outcome",
    "field.source": "Source",
    "field.segment": "Segment",
    "field.owner": "Owner",
    "field.amount": "Amount",
    "field.status": "Status",
    "field.closed_at": "Closed at",
    "field.month": "Month",
    "field.count": "Count",
    "field.customer_id": "Customer ID",
    "field.start_date": "Start date",
    "field.end_date": "End date",
    "field.mrr": "MRR",
    "field.spend": "Spend",
    "preset.salesforce_leads": "Salesforce lead report",
    "preset.salesforce_opportunities": "Salesforce opportunity report",
    "preset.hubspot_contacts": "HubSpot contacts (lifecycle-stage dates)",
    "preset.monthly_counts": "Monthly counts per stage",
    "preset.olist": "Olist marketing funnel (leads + closed deals)",
    "preset.pardot_prospects": "Account Engagement (Pardot) prospects + opportunities",
    "preset.pardot_prospects_ja": "Account Engagement (Pardot), Japanese headers",
    "preset.eloqua_contacts": "Oracle Eloqua contacts (lead-stage dates)",
    "preset.eloqua_responses": "Oracle Eloqua activities or campaign responses",
    "preset.netsuite_transactions": "Oracle NetSuite saved search (opportunities, quotes, orders)",
    # quality
    "data.quality": "Data quality",
    "data.quality_caption": "{n} of {total} checks found something. Each finding distorts the "
    "AsIs metrics; open it for examples.",
    "data.q.check": "Check",
    "data.q.count": "Found",
    "data.q.status": "Status",
    "data.q.ok": "OK",
    "data.q.found": "Review",
    "data.q.examples": "{check}: {n}",
    "quality.skipped_stages": "Items that skip a stage",
    "quality.skipped_stages.help": "They entered a later stage without the one before: the "
    "skipped stage's conversion looks lower than it is.",
    "quality.dates_out_of_order": "Dates out of order",
    "quality.dates_out_of_order.help": "Resolved before entered, or entered a stage before the "
    "stage above it: lags come out negative or too short.",
    "quality.duplicates": "Duplicate rows",
    "quality.duplicates.help": "Same item, stage and entry time: counted twice.",
    "quality.rising_counts": "More arrivals than the stage above",
    "quality.rising_counts.help": "A lower stage has more arrivals than the one above it: items "
    "enter the funnel mid-way, or a stage is missing from the export.",
    "quality.stale_open": "Open items older than 180 days",
    "quality.stale_open.help": "Probably lost without being closed in the CRM: they keep the "
    "stock high and the conversion unknown.",
    "quality.unmapped_stages": "Unmapped stage values",
    "quality.unmapped_stages.help": "Stage values that are not a stage of the design.",
    "quality.implausible_dates": "Dates before 1990 or over a year ahead",
    "quality.implausible_dates.help": "Most likely a mistyped year (2099, 0001) or a number read "
    "as a date: such items fall outside every window, or stretch the lags.",
    # AsIs beside ToBe (the Divisions page, ui/asis.py)
    "data.qcol.item_id": "Item",
    "data.qcol.from_stage": "From stage",
    "data.qcol.to_stage": "To stage",
    "data.qcol.entered_at": "Entered on",
    "data.qcol.stage": "Stage",
    "data.qcol.resolved_at": "Resolved on",
    "data.qcol.problem": "Problem",
    "data.qcol.rows": "Rows",
    "data.qcol.upper_stage": "Upper stage",
    "data.qcol.upper_arrivals": "Upper stage arrivals",
    "data.qcol.lower_stage": "Lower stage",
    "data.qcol.lower_arrivals": "Lower stage arrivals",
    "data.qcol.days_open": "Days open",
    "data.qcol.raw_value": "Value in the file",
    "data.qcol.tab": "Sheet",
    "data.qcol.column": "Column",
    "data.qcol.value": "Value",
    "data.qcol.month": "Month",
    "data.qcol.items_before": "Items before",
    "data.qcol.items_after": "Items after",
    "data.qcol.horizon_days": "Measured at (days)",
    "data.qcol.metric": "Measure",
    "data.qcol.before": "Before",
    "data.qcol.after": "After",
    "data.qcol.z": "z",
    "data.qcol.p": "p",
    "data.qcol.p_adjusted": "p (corrected)",
    "data.qcol.pooled_conversion": "Conversion, all items",
    "data.qcol.conversion_without": "Conversion without them",
    "data.qcol.owner": "Owner",
    "data.qcol.items": "Items",
    "data.qcol.count": "Found",
    "data.qcol.rate": "Share",
    "data.qcol.rest": "The team's share",
    "data.qcol.open": "Open",
    "data.qcol.limit_days": "Older than (days)",
    "data.qcol.months": "Months",
    "data.qcol.owners": "Owners",
    "div.asis": "AsIs beside ToBe",
    "div.asis_caption": "AsIs: the baseline built from the data of {start} to {end} ({items} "
    "items in all; each stage's in the Items column). ToBe: this plan. The historical range is the "
    "10th to 90th percentile of the monthly values, where the baseline recorded one.",
    "div.asis_none": "No AsIs to compare: this scenario was not built from data (build a "
    "baseline on the CRM data page).",
    "div.asis.stage": "Stage",
    "div.asis.param": "Parameter",
    "div.asis.asis": "AsIs",
    "div.asis.tobe": "ToBe",
    "div.asis.change": "Change",
    "div.asis.change_pct": "Change (%)",
    "div.asis.range": "Historical range",
    "div.asis.inside": "ToBe within the range",
    "div.asis.items": "Items",
    "div.asis.yes": "Yes",
    "div.asis.no": "No: outside",
    # the numbers that lie (db.lies)
    "quality.stage_drift": "Stage definitions that drift",
    "quality.stage_drift.help": "A stage's conversion or lag jumps between months by more than "
    "sampling error explains (the three months before against the three after; two-proportion "
    "and Welch z-tests, Benjamini–Hochberg corrected): what the stage means has likely changed. "
    "The baseline pools the whole window, both definitions mixed.",
    "quality.stage_drift.hit_conversion": "{stage}: converts {before} in the three months before "
    "{month} and {after} from then on ({n_before} and {n_after} items, counted {horizon} days "
    "after entry). The baseline pools both: {pooled}.",
    "quality.stage_drift.hit_lag_days": "{stage}: the days to convert went from {before} to "
    "{after} in {month} ({n_before} and {n_after} items). The baseline's lag mixes both.",
    "quality.owner_outlier": "Owners far from their team",
    "quality.owner_outlier.help": "An owner's conversion differs from the team's (the median of "
    "the other owners) by more than sampling error explains (exact binomial test, Holm "
    "corrected): another definition of the stage, or other items. The baseline includes them.",
    "quality.owner_outlier.hit": "{stage}: {owner} converts {rate} of {items} items, the team "
    "{rest}. Without them the stage converts {without} instead of {pooled}. Their months: "
    "{months}.",
    "quality.instant_closes": "Owners who close items within a day",
    "quality.instant_closes.help": "An owner resolves far more items within a day of creating "
    "them than the team (binomial test, Holm corrected): items logged after the deal was done "
    "inflate the stage's entries and conversion and shorten its lag.",
    "quality.instant_closes.hit": "{stage}: {owner} closed {count} of {items} items within a day "
    "({rate}; the team {rest}). Without those the stage converts {without} instead of {pooled}. "
    "Months: {months}.",
    "quality.quick_losses": "Items lost the day they arrived",
    "quality.quick_losses.help": "Items lost or disqualified on the day they entered: entries "
    "nobody worked, which lower the stage's conversion.",
    "quality.quick_losses.hit": "{stage}: {count} of {items} items ({rate}) were lost the day "
    "they entered. Without them the stage converts {without} instead of {pooled}. Months: "
    "{months}. Owners: {owners}.",
    "quality.never_touched": "Open items that never moved",
    "quality.never_touched.help": "Open items still in the stage they entered, older than twice "
    "the stage's usual time to resolve (its 95th percentile) and younger than 180 days: the data "
    "shows no movement since they arrived. They inflate the open stock the plan starts from.",
    "quality.never_touched.hit": "{stage}: {count} of {open} open items ({rate}) have not moved "
    "in over {limit} days. Months they entered: {months}. Owners: {owners}.",
    # metrics
    "data.metrics": "AsIs metrics",
    "data.window": "Window (months the items entered)",
    "data.window_help": "Metrics and the baseline use the items that entered a stage in these "
    "months. The metrics count resolved items only, so recent months, still open, lean to the "
    "quick outcomes; the baseline counts open items as unresolved up to their age (censored).",
    "data.stage_table_caption": "Shares and lead times of the resolved items alone (open items "
    "left out). The baseline below estimates them with open items censored, so its figures can "
    "differ.",
    "data.tab.stages": "By stage",
    "data.tab.sources": "By source",
    "data.tab.stock": "Stock",
    "data.tab.pool": "Recycle pool",
    "data.col.stage": "Stage",
    "data.col.entered": "Entered",
    "data.col.resolved": "Resolved",
    "data.col.open": "Still open",
    "data.col.lost": "Lost",
    "data.col.lag_days": "Lead time (median days)",
    "data.col.source": "Source",
    "data.col.items": "Items",
    "data.col.win_rate": "Win rate",
    "data.col.days_to_win": "Days to win (median)",
    "data.share_axis": "Share of resolved items",
    "outcome.converted": "Converted",
    "outcome.disqualified": "Disqualified",
    "outcome.recycled": "Recycled",
    "outcome.lost": "Lost",
    "data.unknown": "(unknown)",
    "data.conversion_by_source": "Conversion per stage and source",
    "data.stock_axis": "Items in the stage",
    "data.stock_caption": "Items that entered the stage and were not resolved by the month end.",
    "data.no_history": "No item-level stage history in the database.",
    "data.pool": "Pool (observed)",
    "data.recycled": "Recycled",
    "data.reactivated": "Reactivated",
    "data.pool_end": "Pool at the window end",
    "data.reactivated_total": "Reactivated in the window",
    "data.no_recycle": "No recycled items in the data.",
    # baseline
    "data.baseline": "Baseline scenario",
    "data.baseline_caption": "Rates, lags, inflow, deal size and the recycle pool from the "
    "items that entered in {start} to {end} (the window above), planned from the month after.",
    "data.horizon": "Plan horizon (months)",
    "data.uplift": "Bookings target: growth over the window's run-rate (%)",
    "data.uplift_help": "The target is the window's monthly bookings × horizon × (1 + growth). "
    "No target when the data has no amounts.",
    "data.build": "Build the baseline",
    "data.baseline_name": "AsIs baseline {start}..{end}",
    "data.build_failed": "The baseline cannot be built: {reason}",
    "data.built": "**{name}**: plan from {start}, {months} months.",
    "data.inflow": "Inflow: {stage} per month",
    "data.opening_pool": "Recycle pool at the start",
    "data.target": "Bookings target",
    "data.no_amounts": "The data has no deal amounts, so the deal size is 0 and bookings and "
    "revenue stay at 0: set the deal size on the Plan page.",
    "data.backtest": "Backtest: actual against planned arrivals",
    "data.actual": "Actual",
    "data.planned": "Planned",
    "data.wape": "Error (WAPE)",
    "data.backtest_caption": "The baseline run forward from the window's start with the actual "
    "inflow. Total error = Σ planned / Σ actual − 1; WAPE = Σ|planned − actual| / Σ actual over "
    "the months; the worst month is the one furthest off its actual arrivals. The verdict "
    "compares each with sampling error (√actual).",
    "data.open_items": "Open items",
    "data.stale_after": "{stage}: stale after (months)",
    "data.stale_auto": "auto: {n}",
    "data.stale_after_help": "An item still open at the data's end and older than this is "
    "stale (a deal nobody closed): set aside, reported, and left out of the opening stock. "
    "Empty: twice the 95th percentile of the stage's resolution ages, at least 3 months.",
    "data.stale_as_lost": "Count stale items as lost",
    "data.stale_as_lost_help": "Instead of setting them aside, count stale items as lost one "
    "month after the limit: a lower conversion and a longer lead time.",
    "data.rests_on": "**What each rate rests on** (items that entered in the window)",
    "data.col.used": "Used",
    "data.col.dated": "Resolved",
    "data.col.censored": "Open",
    "data.col.stale": "Stale, set aside",
    "data.col.stale_lost": "Stale, lost",
    "data.col.undated": "No date",
    "data.col.stale_after": "Stale after (mo.)",
    "data.provenance_caption": "Used = resolved + no date + open. Shares and lead times follow "
    "the Aalen–Johansen estimate: an open item counts as unresolved up to its age at the data's "
    "end ({end}) and no further (censored); a stale one (open longer than the limit) is {stale}; "
    "a resolved item without a date counts in the shares but not in the lead time.",
    "data.left_out": "{n} item(s) resolved before they entered are left out (the quality report "
    "lists them as dates out of order).",
    "data.stale_set_aside": "set aside",
    "data.stale_counted_lost": "counted as lost",
    "data.bwarn.code.lag_unknown": "{stage}: no resolved item has a date, so its shares are "
    "counts and its lead time is unknown (0 in the plan).",
    "data.bwarn.code.lag_from_dated": "{stage}: {undated} resolved items have no date. They "
    "count in the shares; the lead time rests on the dated ones alone.",
    "data.col.total_error": "Total error",
    "data.col.worst_month": "Worst month",
    "data.col.worst_error": "Worst-month error",
    "data.col.verdict": "Verdict",
    "data.bt.input": "Input (actual inflow)",
    "data.bt.ok": "Trusted",
    "data.bt.off": "Not trusted",
    "data.bt.trusted": "**Trusted.** Every stage's planned arrivals are within sampling error "
    "of the actual ones: the window's total within 3 and each month within 4 sampling errors "
    "(√actual).",
    "data.bt.not_trusted": "**Not trusted.** Beyond sampling error (the window's total within "
    "3, each month within 4 × √actual):",
    "data.bt.reason.total_off": "{stage}: the window's total is {error} off the actual "
    "(sampling error allows ±{bound}).",
    "data.bt.reason.month_off": "{stage}: {month} planned {planned} against {actual} actual "
    "({error}; sampling error allows ±{bound}).",
    "data.bt.reason.month_off_none": "{stage}: {month} planned {planned} against none actual.",
    "data.use": "Make it the active scenario",
    "data.is_active": "This baseline is the active scenario: every page now plans from it.",
    "data.to_overview": "Go to the overview",
    # sources
    "src.title": "Sources and ROI",
    "src.caption": "Per source of the items that entered in the window: cost, leads, wins, "
    "bookings and return on the marketing spend.",
    "src.window": "Window (months the items entered)",
    "src.sort": "Rank by",
    "src.col.source": "Source",
    "src.col.spend": "Spend",
    "src.col.items": "Leads",
    "src.col.won": "Wins",
    "src.col.win_rate": "Win rate",
    "src.col.bookings": "Bookings",
    "src.col.cost_per_lead": "Cost per lead",
    "src.col.cost_per_win": "Cost per win",
    "src.col.roi": "ROI",
    "src.col.days": "Days to win (median)",
    "src.total_spend": "Spend",
    "src.total_bookings": "Bookings",
    "src.total_roi": "ROI",
    "src.roi_help": "ROI = (bookings − spend) / spend, for the sources with spend data.",
    "src.no_spend": "No marketing spend in the data for this window: cost and ROI are empty. "
    "Import a spend file (month, source, spend) to see them.",
    "src.no_data": "No item-level history in the database.",
}

JA: dict[str, str] = {
    "page.data": "CRMデータ",
    "page.sources": "流入元とROI",
    "source.imported": "取り込んだCRMデータ({name})",
    "data.title": "CRMデータ",
    "data.caption": "CRMのエクスポートを取り込み、品質を確認し、現状(AsIs)の指標を見て、"
    "計画の出発点となるベースラインのシナリオを作ります。",
    "data.locked": "ファネルのデータベース {path} は別のプロセスが使用中です(書き込めるのは"
    "1つだけです)。他のアプリやコマンドを閉じてから、このページを再読み込みしてください。",
    "data.db_origin": "**データベースの内容:** {source}",
    "data.db_stages": "**ステージ:** {stages}",
    "data.db_rows": "**ステージ履歴:** {rows}行",
    "data.db_months": "**期間:** {start}〜{end}",
    "data.db_empty": "データベースにまだファネルのデータがありません。ファイルを取り込んで"
    "ください。",
    "data.db_dataset": "**データセット:** {name}",
    "data.db_read_only": "組み込みで読み取り専用です。取り込むと別のデータセットができます。",
    "data.sample_help": "ほかのデータセットはサイドバーの「データソース」で選べます。",
    "data.remove": "このデータセットを削除",
    "data.rename": "名前を変更",
    "data.rename_name": "新しい名前",
    "data.rename_do": "データセットの名前を変更",
    "data.renamed": "データセットの名前を「{name}」に変更しました"
    "(すべてのセッションに反映されます)。",
    "data.remove_help": "このサーバーの全員から、このデータセットのデータを削除します。これを"
    "もとに作ったシナリオは数値を保ち、データがなくなったことを表示します。",
    "data.remove_confirm": "データセット「{name}」とそのステージ履歴{rows}行を削除しますか?"
    "元に戻せません。",
    "data.remove_yes": "削除する",
    "data.cancel": "キャンセル",
    "data.removed": "データセット「{name}」を削除しました。サンプルデータに戻りました。",
    "data.import": "取り込み",
    "data.import_caption": "CSV/TSV(UTF-8、BOM付きUTF-8、Shift_JIS/CP932、UTF-16)、"
    "Excel .xlsx、Parquet。1ファイル{mb}MBまで。2ファイルのプリセット(Olist)は2つ同時に。",
    "data.upload_help": "ファイルはメモリ上で読み、全行か0行かで取り込みます。読めない値が"
    "あれば取り込みを止め、データベースは元のままです。上限: 1ファイル{mb}MB。",
    "data.upload_label": "CRMのエクスポートファイル(CSV・TSV・TXT・Excel .xlsx・Parquet、"
    "1つ{mb}MBまで)",
    "data.upload_box": "下の枠にファイルをドラッグ&ドロップするか、「Browse files」で選んで"
    "ください(枠内の英語はStreamlitの固定表示で、日本語にできません)。",
    "data.encoding": "文字コード",
    "data.encoding_auto": "自動判定",
    "data.encoding_help": "ファイルから判定します(BOM、次にUTF-8、次にShift_JIS/CP932)。"
    "プレビューが文字化けしているときは指定してください。",
    "data.encoding_binary": "なし({format})",
    "data.mapping": "プリセットまたは保存したマッピング",
    "data.mapping_help": "ファイルの列をステージ履歴にする方法。ファイルにある列で使える"
    "最初のマッピングを自動で選びます。",
    "data.saved_preset": "{name}(保存済み)",
    "data.roles_count": "このマッピングは{n}ファイル({roles})を読みます。アップロードされたのは"
    "{got}ファイルです。",
    "data.role": "「{role}」のファイル",
    "data.columns": "列の対応: 項目 ← ファイルの列({kind})",
    "data.columns_help": "*は必須です。列を変えるとプリセットが独自のマッピングになり、"
    "下で保存できます。",
    "data.stage_dates": "**各ステージに入った日**",
    "data.dayfirst": "日付は日が先(26-02-2018 は2月26日)",
    "data.dayfirst_help": "12より大きい日があれば順序をファイルから判定し、なければプリセット"
    "の設定を使います。",
    "data.missing_required": "必須項目の列が選ばれていません: {fields}。",
    "data.preview": "プレビュー",
    "data.file_facts": "{name}: {rows}行、{cols}列 ・ 文字コード: {encoding} ・ 日付: {dates}",
    "data.dates.ymd": "年が先(2018-02-26)",
    "data.dates.dmy": "日が先(26-02-2018)",
    "data.dates.mdy": "月が先(02/26/2018)",
    "data.dates.ambiguous": "日・月とも12以下で順序が判別できません",
    "data.dates.serial": "Excelの日付シリアル値",
    "data.dates.typed": "日付型",
    "data.dates.none": "日付の列が対応付けられていません",
    "data.save_mapping": "このマッピングをプリセットとして保存",
    "data.mapping_name": "名前",
    "data.save": "保存",
    "data.saved": "マッピング「{name}」を保存しました。プリセットの一覧に加わりました。",
    "data.save_failed": "マッピングを保存できませんでした: {reason}",
    "data.import_into": "取り込み先",
    "data.target_new": "新しいデータセット",
    "data.target_help": "取り込みごとに専用のデータセットができ、ほかの人はそれを選んだときだけ"
    "見られます。取り込み済みのデータセットを選ぶと、そこに追加(または置き換え)します"
    "(リードのレポートの後に商談のレポートなど)。",
    "data.dataset_name": "新しいデータセットの名前",
    "data.replace": "このデータセットのデータを置き換える",
    "data.replace_help": "オフ(既定): 行をデータセットに追加します。オン: 確認のあと、"
    "データセットのすべての行を取り込むデータで置き換えます(全行か0行か)。",
    "data.replace_confirm": "データセット「{name}」の{rows}行をすべて、ファイルの行で置き換えます"
    "(このデータセットを使う全員に反映されます)。置き換えますか?",
    "data.replace_yes": "置き換える",
    "data.imported_into": "データセット: 「{name}」。",
    "data.imported_into_replaced": "データセット「{name}」のデータを置き換えました。",
    "data.do_import": "取り込む",
    "data.importing": "取り込み中…",
    "data.step_read": "{n}ファイルを読みました",
    "data.step_write": "すべての値を確認して書き込み中(全行か0行か)…",
    "data.step_quality": "データ品質を確認中…",
    "data.step_done": "完了",
    "data.import_done": "取り込みました",
    "data.import_failed": "取り込みを中止しました(何も書き込んでいません)",
    "data.imported": "{files}から{table}に{rows}行を取り込みました(読んだ行: {read})。",
    "data.table.stage_history": "ステージ履歴",
    "data.table.stage_counts": "月次件数",
    "data.table.subscriptions": "サブスクリプション",
    "data.table.marketing_spend": "マーケティング費用",
    "data.err.file": "**ファイル** {file}",
    "data.err.row": "**行** {row}",
    "data.err.column": "**列** {column}",
    "data.err.reason": "**理由:** {reason}",
    "data.err.value": "**値:** {value}",
    "data.err.more": "ほかに{n}行で同じ問題があります。",
    "data.err.unchanged": "データベースは変更されていません。",
    "data.err.or": "または",
    "data.err.quoted": "「{text}」",
    "data.err.code.unknown_encoding": "文字コード「{encoding}」は扱えません。utf-8、utf-8-sig、"
    "cp932、utf-16のいずれかを選んでください。",
    "data.err.code.bad_encoding": "このファイルは{encodings}のテキストとして読めません"
    "({offset}バイト目に読めないバイト0x{byte:02x}があります)。上の「文字コード」でファイルの"
    "文字コードを選んでください。",
    "data.err.code.empty_file": "ファイルが空です。",
    "data.err.code.no_header": "ファイルに見出し行がありません。",
    "data.err.code.blank_header": "{position}列目に見出しがありません。",
    "data.err.code.duplicate_header": "同じ見出しの列が2つあります。",
    "data.err.code.reserved_header": "この列名はアプリが内部で使うため使えません。列名を変えて"
    "ください。",
    "data.err.code.ragged_row": "この行の列数が見出し行({columns}列)と合いません。",
    "data.err.code.bad_csv": "CSVとして読み取れません: {detail}",
    "data.err.code.not_xlsx": "Excelの.xlsxブックではありません(zip形式になっていません)。",
    "data.err.code.xlsx_too_large": "このブックは展開すると{mb:.0f} MBになり、このアプリで"
    "読める大きさを超えています。",
    "data.err.code.bad_xlsx": "ブックを開けません: {detail}",
    "data.err.code.no_sheet": "シート「{sheet}」がありません(あるシート: {sheets})。",
    "data.err.code.empty_sheet": "シートが空です。",
    "data.err.code.bad_parquet": "Parquetファイルとして読めません: {detail}",
    "data.err.code.unreadable_file": "ファイルを読めません: {detail}",
    "data.err.code.xls_unsupported": "古い.xls形式のブックには対応していません。.xlsxかCSVで"
    "保存し直してください。",
    "data.err.code.unknown_file_type": "「{format}」は扱えないファイル形式です。CSV、Excel"
    "(.xlsx)、Parquetのいずれかを使ってください。",
    "data.err.code.too_many_rows": "行が多すぎます({found:,}行以上。取り込めるのは{limit:,}行"
    "まで)。ファイルを分けるか、出力する行を減らしてください。",
    "data.err.code.too_many_columns": "列が多すぎます({found:,}列。取り込めるのは{limit:,}列"
    "まで)。マッピングで使う列だけを出力してください。",
    "data.err.code.too_many_cells": "セル(行数×列数)が多すぎます({found:,}以上。取り込める"
    "のは{limit:,}まで)。行を減らすか、マッピングで使う列だけを出力してください。",
    "data.err.code.file_too_large": "ファイルが{mb:,.0f}MBあり、このアプリで読める大きさ"
    "({limit_mb:,.0f}MB)を超えています。",
    "data.err.code.no_rows": "見出しの行しかなく、取り込むデータの行がありません。",
    "data.err.code.bad_field_ref": "マッピングの「{field}」には、列名か列名のリストを指定して"
    "ください。",
    "data.err.code.bad_stage_date_ref": "マッピングの「{stage}」の日付には、列名か列名のリストを"
    "指定してください。",
    "data.err.code.bad_owner_ref": "マッピングの「{stage}」の担当者には、列名か列名のリストを"
    "指定してください。",
    "data.err.code.missing_column": "「{field}」にあたる列がファイルにありません(探した列名: "
    "{looked_for})。",
    "data.err.code.unmapped_field": "マッピングで必須項目「{field}」の列が指定されていません。",
    "data.err.code.no_stage_dates": "マッピングにあるステージの日付列が、ファイルに1つも"
    "ありません。",
    "data.err.code.missing_join_column": "2つのファイルをつなぐキーの列がありません。",
    "data.err.code.duplicate_join_key": "このキーが{count}回出てきます。「{role}」ファイルの"
    "各行は、1つの項目にだけ対応させてください。",
    "data.err.code.not_a_date": "日付として読めません(例: 2024-04-01、2024/4/1、2024年4月1日)。",
    "data.err.code.not_a_number": "数値として読めません。",
    "data.err.code.negative": "マイナスの値は取り込めません。",
    "data.err.code.empty_field": "「{field}」が空です。",
    "data.err.code.unknown_value": "「{field}」の値として認識できません。マッピングに、この値を"
    "{choices}のどれとして扱うかの指定がありません。",
    "data.warn.code.unmatched_join_rows": "{file}の{count}行は、{main}に対応する行がないため"
    "取り込みませんでした。",
    "data.warn.code.rows_without_stage_date": "{count}行はステージの日付が入っていないため、"
    "取り込みませんでした。",
    "data.warn.code.duplicate_ids": "{file}の{count}行は、後の行と{column}が同じため取り込み"
    "ませんでした(最初は{row}行目の「{value}」)。IDごとに最後の行を取り込みました。",
    "data.warn.code.implausible_dates": "{file}の{count}件の日付が{earliest}より前か{latest}より"
    "後です(最初は{row}行目、{column}列の「{value}」)。年を確かめてください。",
    "data.kind.history": "項目×ステージごとに1行",
    "data.kind.items": "項目ごとに1行、ステージごとの日付列",
    "data.kind.counts": "ステージ別の月次件数",
    "data.kind.subscriptions": "サブスクリプション",
    "data.kind.spend": "マーケティング費用",
    "field.item_id": "項目ID",
    "field.stage": "ステージ",
    "field.entered_at": "開始日時",
    "field.resolved_at": "解決日時",
    "field.outcome": "結果",
    "field.source": "流入元",
    "field.segment": "セグメント",
    "field.owner": "担当者",
    "field.amount": "金額",
    "field.status": "状況",
    "field.closed_at": "クローズ日",
    "field.month": "年月",
    "field.count": "件数",
    "field.customer_id": "顧客ID",
    "field.start_date": "開始日",
    "field.end_date": "終了日",
    "field.mrr": "MRR",
    "field.spend": "費用",
    "preset.salesforce_leads": "Salesforce リードレポート",
    "preset.salesforce_opportunities": "Salesforce 商談レポート",
    "preset.hubspot_contacts": "HubSpot コンタクト(ライフサイクルステージの日付)",
    "preset.monthly_counts": "ステージ別の月次件数",
    "preset.olist": "Olist マーケティングファネル(リード+成約)",
    "preset.pardot_prospects": "Account Engagement(Pardot)プロスペクト+商談",
    "preset.pardot_prospects_ja": "Account Engagement(Pardot)日本語の見出し",
    "preset.eloqua_contacts": "Oracle Eloqua 連絡先(リードステージの日付)",
    "preset.eloqua_responses": "Oracle Eloqua アクティビティまたはキャンペーンレスポンス",
    "preset.netsuite_transactions": "Oracle NetSuite 保存検索(商談・見積・受注)",
    "data.quality": "データ品質",
    "data.quality_caption": "{total}項目のチェックのうち{n}項目で問題が見つかりました。"
    "問題はAsIsの指標をゆがめます。開くと例を表示します。",
    "data.q.check": "チェック",
    "data.q.count": "件数",
    "data.q.status": "状態",
    "data.q.ok": "問題なし",
    "data.q.found": "要確認",
    "data.q.examples": "{check}: {n}",
    "quality.skipped_stages": "ステージを飛ばした項目",
    "quality.skipped_stages.help": "前のステージを経ずに後のステージに入っています。飛ばされた"
    "ステージの転換率が実際より低く見えます。",
    "quality.dates_out_of_order": "日付の順序の誤り",
    "quality.dates_out_of_order.help": "開始より前に解決、または上のステージより前に下の"
    "ステージに入っています。リードタイムが負または短くなります。",
    "quality.duplicates": "重複行",
    "quality.duplicates.help": "同じ項目・ステージ・開始日時の行が2回数えられています。",
    "quality.rising_counts": "上のステージより多い流入",
    "quality.rising_counts.help": "下のステージの流入が上のステージより多くなっています。途中"
    "から入る項目があるか、エクスポートにステージが欠けています。",
    "quality.stale_open": "180日を超えて未解決の項目",
    "quality.stale_open.help": "CRMでクローズされずに失注した可能性が高く、残高を押し上げ、"
    "転換率を不明にします。",
    "quality.unmapped_stages": "対応付けのないステージの値",
    "quality.unmapped_stages.help": "ステージ設計にないステージの値です。",
    "quality.implausible_dates": "1990年より前か1年以上先の日付",
    "quality.implausible_dates.help": "年の入力ミス(2099年、0001年など)や、数値が日付として"
    "読まれたものと思われます。どの期間にも入らないか、リードタイムを引き延ばします。",
    "data.qcol.item_id": "項目ID",
    "data.qcol.from_stage": "元のステージ",
    "data.qcol.to_stage": "次のステージ",
    "data.qcol.entered_at": "流入日",
    "data.qcol.stage": "ステージ",
    "data.qcol.resolved_at": "結果日",
    "data.qcol.problem": "問題",
    "data.qcol.rows": "行数",
    "data.qcol.upper_stage": "上のステージ",
    "data.qcol.upper_arrivals": "上のステージの流入",
    "data.qcol.lower_stage": "下のステージ",
    "data.qcol.lower_arrivals": "下のステージの流入",
    "data.qcol.days_open": "未解決の日数",
    "data.qcol.raw_value": "ファイルの値",
    "data.qcol.tab": "シート",
    "data.qcol.column": "列",
    "data.qcol.value": "値",
    "data.qcol.month": "月",
    "data.qcol.items_before": "前の件数",
    "data.qcol.items_after": "後の件数",
    "data.qcol.horizon_days": "計測時点(日)",
    "data.qcol.metric": "指標",
    "data.qcol.before": "前",
    "data.qcol.after": "後",
    "data.qcol.z": "z",
    "data.qcol.p": "p",
    "data.qcol.p_adjusted": "p(補正後)",
    "data.qcol.pooled_conversion": "全体の転換率",
    "data.qcol.conversion_without": "除いた転換率",
    "data.qcol.owner": "担当者",
    "data.qcol.items": "件数",
    "data.qcol.count": "該当数",
    "data.qcol.rate": "割合",
    "data.qcol.rest": "チームの割合",
    "data.qcol.open": "未解決",
    "data.qcol.limit_days": "基準(日)",
    "data.qcol.months": "月",
    "data.qcol.owners": "担当者",
    "div.asis": "AsIsとToBeの比較",
    "div.asis_caption": "AsIs:{start}〜{end}のデータから作ったベースライン(ステージごとに使った"
    "件数は「件数」列、計{items}件)。ToBe:このプラン。過去の範囲は月次の値の10〜90パーセン"
    "タイルで、ベースラインが記録した場合に表示します。",
    "div.asis_none": "比較するAsIsがありません。このシナリオはデータから作られていません(CRMデータ"
    "のページでベースラインを作成してください)。",
    "div.asis.stage": "ステージ",
    "div.asis.param": "パラメータ",
    "div.asis.asis": "AsIs",
    "div.asis.tobe": "ToBe",
    "div.asis.change": "変化",
    "div.asis.change_pct": "変化率(%)",
    "div.asis.range": "過去の範囲",
    "div.asis.inside": "ToBeが範囲内か",
    "div.asis.items": "件数",
    "div.asis.yes": "はい",
    "div.asis.no": "いいえ:範囲外",
    "quality.stage_drift": "定義が途中で変わったステージ",
    "quality.stage_drift.help": "ステージの転換率やリードタイムが、標本誤差では説明できないほど"
    "月の間で跳ねています(前の3か月と後の3か月を比較。2標本比率のz検定とWelchのz検定、"
    "Benjamini–Hochberg法で補正)。ステージの定義が変わった可能性があります。ベースラインは期間"
    "全体をまとめて数えるため、二つの定義が混ざります。",
    "quality.stage_drift.hit_conversion": "{stage}:{month}より前の3か月の転換率は{before}、"
    "それ以降は{after}({n_before}件と{n_after}件、流入から{horizon}日で計測)。ベースラインは"
    "両方をまとめた{pooled}です。",
    "quality.stage_drift.hit_lag_days": "{stage}:転換までの日数が{month}に{before}から{after}"
    "に変わりました({n_before}件と{n_after}件)。ベースラインのリードタイムは両方の混合です。",
    "quality.owner_outlier": "チームから大きく外れた担当者",
    "quality.owner_outlier.help": "担当者の転換率がチーム(他の担当者の中央値)と、標本誤差では"
    "説明できないほど違います(正確二項検定、Holm法で補正)。ステージの定義か扱う案件が違う"
    "可能性があります。ベースラインにはこの担当者の分も含まれます。",
    "quality.owner_outlier.hit": "{stage}:{owner}の転換率は{items}件中{rate}、チームは{rest}。"
    "この担当者を除くとステージの転換率は{pooled}ではなく{without}です。件数の多い月:{months}。",
    "quality.instant_closes": "作成から1日以内に案件を閉じる担当者",
    "quality.instant_closes.help": "作成から1日以内に結果が決まった案件がチームより大幅に多い"
    "担当者です(二項検定、Holm法で補正)。成約後に登録された案件は、ステージの流入数と転換率を"
    "水増しし、リードタイムを短く見せます。",
    "quality.instant_closes.hit": "{stage}:{owner}は{items}件中{count}件を1日以内に閉じました"
    "({rate}、チームは{rest})。それらを除くとステージの転換率は{pooled}ではなく{without}です。"
    "月:{months}。",
    "quality.quick_losses": "流入当日に失注した案件",
    "quality.quick_losses.help": "流入したその日に失注・対象外になった案件です。誰も対応して"
    "いない流入で、ステージの転換率を下げます。",
    "quality.quick_losses.hit": "{stage}:{items}件中{count}件({rate})が流入当日に失注しました。"
    "それらを除くとステージの転換率は{pooled}ではなく{without}です。月:{months}。担当者:"
    "{owners}。",
    "quality.never_touched": "一度も動いていない未完了の案件",
    "quality.never_touched.help": "流入したステージに留まったままの未完了案件のうち、ステージの"
    "通常の所要日数(95パーセンタイル)の2倍より古く、180日以内のものです。流入後の動きが"
    "データにありません。計画の初期在庫を水増しします。",
    "quality.never_touched.hit": "{stage}:未完了{open}件中{count}件({rate})が{limit}日以上"
    "動いていません。流入月:{months}。担当者:{owners}。",
    "data.metrics": "AsIsの指標",
    "data.window": "期間(項目がステージに入った月)",
    "data.window_help": "指標とベースラインは、この期間にステージに入った項目から計算します。"
    "指標は解決済みの項目だけを数えるため、未解決の多い直近の月は早く決まる結果に偏ります。"
    "ベースラインは未解決の項目を経過月数まで未解決として数えます(打ち切り)。",
    "data.stage_table_caption": "解決済みの項目だけの割合とリードタイムです(未解決の項目は"
    "除外)。下のベースラインは未解決の項目を打ち切りとして推定するため、値が異なることが"
    "あります。",
    "data.tab.stages": "ステージ別",
    "data.tab.sources": "流入元別",
    "data.tab.stock": "残高",
    "data.tab.pool": "リサイクルプール",
    "data.col.stage": "ステージ",
    "data.col.entered": "流入",
    "data.col.resolved": "解決済み",
    "data.col.open": "未解決",
    "data.col.lost": "失注",
    "data.col.lag_days": "リードタイム(日、中央値)",
    "data.col.source": "流入元",
    "data.col.items": "件数",
    "data.col.win_rate": "受注率",
    "data.col.days_to_win": "受注までの日数(中央値)",
    "data.share_axis": "解決済み項目に占める割合",
    "outcome.converted": "転換",
    "outcome.disqualified": "育成対象外",
    "outcome.recycled": "リサイクル",
    "outcome.lost": "失注",
    "data.unknown": "(不明)",
    "data.conversion_by_source": "ステージ別・流入元別の転換率",
    "data.stock_axis": "ステージ内の件数",
    "data.stock_caption": "ステージに入り、月末までに解決していない項目の数です。",
    "data.no_history": "データベースに項目単位のステージ履歴がありません。",
    "data.pool": "プール残高(観測)",
    "data.recycled": "リサイクル",
    "data.reactivated": "再活性化",
    "data.pool_end": "期間末のプール残高",
    "data.reactivated_total": "期間中の再活性化",
    "data.no_recycle": "データにリサイクルされた項目がありません。",
    "data.baseline": "ベースラインのシナリオ",
    "data.baseline_caption": "{start}〜{end}(上の期間)に入った項目から、率・リードタイム・"
    "流入・受注単価・リサイクルプールを求め、その翌月から計画します。",
    "data.horizon": "計画期間(月)",
    "data.uplift": "受注金額の目標: 期間の実績ペースに対する伸び(%)",
    "data.uplift_help": "目標 = 期間の月平均受注金額 × 計画期間 × (1 + 伸び)。金額のない"
    "データでは目標を付けません。",
    "data.build": "ベースラインを作る",
    "data.baseline_name": "AsIsベースライン {start}..{end}",
    "data.build_failed": "ベースラインを作れません: {reason}",
    "data.built": "**{name}**: {start}から{months}か月の計画。",
    "data.inflow": "流入: {stage}(月あたり)",
    "data.opening_pool": "期首のリサイクルプール",
    "data.target": "受注金額の目標",
    "data.no_amounts": "データに受注金額がないため、受注単価は0で、受注金額と売上は0の"
    "ままです。計画ページで受注単価を設定してください。",
    "data.backtest": "バックテスト: 実績と計画の流入",
    "data.actual": "実績",
    "data.planned": "計画",
    "data.wape": "誤差(WAPE)",
    "data.backtest_caption": "ベースラインを期間の初月から実際の流入で動かした結果です。"
    "合計の誤差 = Σ計画 / Σ実績 − 1、WAPE = Σ|計画 − 実績| / Σ実績、最も外れた月は実績の流入"
    "から最も離れた月です。判定はそれぞれを標本誤差(√実績)と比べます。",
    "data.open_items": "未解決の項目",
    "data.stale_after": "{stage}: 放置とみなす月数",
    "data.stale_auto": "自動: {n}",
    "data.stale_after_help": "データの最終日に未解決のまま、この月数より古い項目を放置"
    "(誰も閉じていない案件)とみなします。率とリードタイムの計算と期首残高から外し、件数を"
    "示します。空欄なら、このステージの解決までの月数の95パーセンタイルの2倍(3か月以上)です。",
    "data.stale_as_lost": "放置の項目を失注として数える",
    "data.stale_as_lost_help": "放置の項目を外す代わりに、上限の1か月後に失注したものとして"
    "数えます。転換率は下がり、リードタイムは長くなります。",
    "data.rests_on": "**各率の根拠**(期間中にステージに入った項目)",
    "data.col.used": "使った件数",
    "data.col.dated": "解決済み",
    "data.col.censored": "未解決",
    "data.col.stale": "放置・除外",
    "data.col.stale_lost": "放置・失注扱い",
    "data.col.undated": "日付なし",
    "data.col.stale_after": "放置の基準(月)",
    "data.provenance_caption": "使った件数 = 解決済み + 日付なし + 未解決。割合とリードタイム"
    "はAalen–Johansen推定によります。未解決の項目はデータの最終日({end})時点の経過月数まで未解決として数え、"
    "それ以降は数えません(打ち切り)。放置の項目(基準より長く未解決)は{stale}。日付のない解決済みの項目は割合には"
    "入り、リードタイムには入りません。",
    "data.left_out": "解決日が流入日より前の{n}件は除いています(データ品質のレポートで日付の"
    "順序が逆の行として示しています)。",
    "data.stale_set_aside": "除外します",
    "data.stale_counted_lost": "失注として数えます",
    "data.bwarn.code.lag_unknown": "{stage}: 解決済みの項目に日付がないため、割合は件数から"
    "求め、リードタイムは不明です(計画では0)。",
    "data.bwarn.code.lag_from_dated": "{stage}: 解決済みの{undated}件に日付がありません。"
    "割合には入れ、リードタイムは日付のある項目だけから求めています。",
    "data.col.total_error": "合計の誤差",
    "data.col.worst_month": "最も外れた月",
    "data.col.worst_error": "その月の誤差",
    "data.col.verdict": "判定",
    "data.bt.input": "入力(実際の流入)",
    "data.bt.ok": "信頼できる",
    "data.bt.off": "信頼できない",
    "data.bt.trusted": "**信頼できます。** どのステージも、計画の流入が実績と標本誤差の範囲で"
    "一致しています(期間の合計は標本誤差の3倍、各月は4倍(√実績)以内)。",
    "data.bt.not_trusted": "**信頼できません。** 標本誤差(期間の合計は3倍、各月は4 × √実績)"
    "を超えて外れています:",
    "data.bt.reason.total_off": "{stage}: 期間の合計が実績から{error}外れています"
    "(標本誤差で許されるのは±{bound})。",
    "data.bt.reason.month_off": "{stage}: {month}の計画{planned}に対し実績{actual}({error}。"
    "標本誤差で許されるのは±{bound})。",
    "data.bt.reason.month_off_none": "{stage}: {month}の計画{planned}に対し実績はありません。",
    "data.use": "アクティブなシナリオにする",
    "data.is_active": "このベースラインがアクティブなシナリオです。すべてのページがこれを"
    "もとに計画します。",
    "data.to_overview": "概要へ",
    "src.title": "流入元とROI",
    "src.caption": "期間中に入った項目の流入元ごとに、費用・リード・受注・受注金額と"
    "マーケティング費用の回収率を示します。",
    "src.window": "期間(項目が入った月)",
    "src.sort": "並べ替え",
    "src.col.source": "流入元",
    "src.col.spend": "費用",
    "src.col.items": "リード",
    "src.col.won": "受注",
    "src.col.win_rate": "受注率",
    "src.col.bookings": "受注金額",
    "src.col.cost_per_lead": "リード単価",
    "src.col.cost_per_win": "受注単価(費用)",
    "src.col.roi": "ROI",
    "src.col.days": "受注までの日数(中央値)",
    "src.total_spend": "費用",
    "src.total_bookings": "受注金額",
    "src.total_roi": "ROI",
    "src.roi_help": "ROI = (受注金額 − 費用) / 費用。費用データのある流入元のみ。",
    "src.no_spend": "この期間のマーケティング費用がデータにないため、費用とROIは空です。"
    "費用のファイル(年月・流入元・費用)を取り込むと表示されます。",
    "src.no_data": "データベースに項目単位の履歴がありません。",
}
