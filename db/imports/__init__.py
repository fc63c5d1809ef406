"""Imports of CSV (UTF-8, UTF-8 with BOM, CP932), Excel and Parquet through column mappings.

raw = read_file(path_or_bytes, name, encoding=None)       # readers
result = import_files(con, raw, "salesforce_leads")       # or a mapping dict
result = import_files(con, {"leads": a, "deals": b}, "olist")
"""

from db.imports.load import ImportResult, import_file, import_files
from db.imports.mapping import FIELDS, KINDS, list_mappings, load_mapping, save_mapping
from db.imports.presets import PRESETS, preset
from db.imports.readers import ParquetPath, RawTable, open_file, read_file

__all__ = [
    "FIELDS",
    "KINDS",
    "PRESETS",
    "ParquetPath",
    "ImportResult",
    "RawTable",
    "import_file",
    "import_files",
    "list_mappings",
    "load_mapping",
    "open_file",
    "preset",
    "read_file",
    "save_mapping",
]
