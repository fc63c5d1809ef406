"""The data layer: DuckDB schema, imports, AsIs metrics, quality report, baseline, scenarios.

What the app calls:

    from db.sample import open_sample_database, sample_scenario
    con = open_sample_database(path=None)            # DuckDB connection with the sample loaded
    scenario = sample_scenario()                       # data/sample_scenario.json as a dict

    from db.imports import read_file, import_files, import_file, list_mappings, save_mapping
    raw = read_file(uploaded_bytes, "leads.csv", encoding=None)   # CSV/TSV/xlsx/Parquet
    result = import_files(con, raw, "salesforce_leads", replace=False)
    result = import_files(con, {"leads": a, "deals": b}, "olist")
    result = import_files(con, raw, "salesforce_leads", replace_all=True)  # only this file's rows

    from db.funnel import data_version, data_origin      # the data's fingerprint; sample/imported
    from db import metrics         # all_metrics(con, start, end), stage_summary(con, by=...), ...
    from db.quality import quality_report                # list[Finding]
    from db.baseline import build_baseline, backtest     # scenario dict; comparison DataFrame
    from db.scenarios import ScenarioStore               # versions in their own DuckDB file

Errors meant for users are ``db.errors.DataLayerError`` (``ImportDataError`` carries file, row,
column and value; ``DatabaseLockedError``; ``ScenarioStoreError``).
"""
