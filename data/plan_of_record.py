"""Rewrite the sample company's plan of record, ``data/sample_plan_of_record.json``:
``python -m data.plan_of_record`` (from the repository's folder).

The FY2025 plan (April 2025, 12 months) as the sample company made it at the start of that
year, from the twelve months of data before it (``db.actuals.build_sample_plan_of_record``); the
sample data holds that year's actuals, which the Plan vs actual page compares with it. The same
data gives the same file: it is derived from ``data/sample/``, which it does not change.
"""

import json

from db.actuals import SAMPLE_PLAN_OF_RECORD, build_sample_plan_of_record

if __name__ == "__main__":
    text = json.dumps(build_sample_plan_of_record(), indent=2, ensure_ascii=False)
    SAMPLE_PLAN_OF_RECORD.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {SAMPLE_PLAN_OF_RECORD}")
