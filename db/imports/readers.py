"""Reading an uploaded file (CSV, TSV, Excel, Parquet) into an Arrow table of its columns.

CSV text is decoded in Python (DuckDB's Shift_JIS support needs a downloaded extension): a BOM
decides (UTF-8, or UTF-16 as Excel's "Unicode text"), otherwise strict UTF-8 is tried and CP932
(Windows Japanese, a superset of Shift_JIS that also has ①, 髙 and ㈱) is the fallback. The caller
may name the encoding instead. Text files are read as text columns (nothing is guessed: the
mapping says which column is a date or a number); a row number column ``__row`` gives the line a
spreadsheet shows (header = 1, first data row = 2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from db.errors import ImportDataError

ROW = "__row"
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "utf-8-sig": "utf-8-sig", "cp932": "cp932",
             "ms932": "cp932", "windows-31j": "cp932", "shift-jis": "cp932", "sjis": "cp932",
             "utf-16": "utf-16"}  # fmt: skip
MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024  # refuse zip bombs before openpyxl inflates them
MAX_XLSX_RATIO = 200


@dataclass(frozen=True)
class RawTable:
    """A file's rows as Arrow columns named by the file's header, plus ``__row``."""

    name: str
    table: pa.Table
    encoding: str | None
    format: str

    @property
    def header(self) -> list[str]:
        return [c for c in self.table.column_names if c != ROW]


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        enc = ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
        if enc is None:
            raise ImportDataError(name, code="unknown_encoding", params={"encoding": encoding})
        candidates = [enc]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp932"]
    last: UnicodeDecodeError | None = None
    for enc in candidates:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    line = data[: last.start].count(b"\n") + 1
    raise ImportDataError(
        name,
        code="bad_encoding",
        params={"tried": " or ".join(candidates), "encodings": candidates,
                "byte": data[last.start], "offset": last.start},
        row=line,
    ) from None  # fmt: skip


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _check_header(name: str, header: list[str]) -> list[str]:
    clean = [h.strip() for h in header]
    if not clean or all(h == "" for h in clean):
        raise ImportDataError(name, code="no_header", row=1)
    seen = set()
    for i, h in enumerate(clean):
        if h == "":
            raise ImportDataError(name, code="blank_header", params={"position": i + 1}, row=1)
        if h in seen:
            raise ImportDataError(name, code="duplicate_header", row=1, column=h)
        if h == ROW:
            raise ImportDataError(name, code="reserved_header", row=1, column=h)
        seen.add(h)
    return clean


def read_csv(data: bytes, name: str, encoding: str | None = None) -> RawTable:
    """Decode and parse delimited text (comma, tab or semicolon) into text columns."""
    text, enc = _decode(data, name, encoding)
    if not text.strip():
        raise ImportDataError(name, code="empty_file")
    delim = _sniff_delimiter(text)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r")), delimiter=delim))
    header = _check_header(name, header)
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        msg = str(exc)
        row = None
        if "Expected" in msg and "columns" in msg:
            # find the first line with the wrong number of fields, for a precise message
            for i, fields in enumerate(csv.reader(io.StringIO(text), delimiter=delim)):
                if fields and len(fields) != len(header):
                    row = i + 1
                    break
            raise ImportDataError(
                name, code="ragged_row", params={"columns": len(header)}, row=row
            ) from None
        raise ImportDataError(
            name, code="bad_csv", params={"detail": msg.splitlines()[0]}
        ) from None
    return RawTable(name, _with_rows(table), enc, "csv")


def _with_rows(table: pa.Table) -> pa.Table:
    return table.append_column(ROW, pa.array(range(2, table.num_rows + 2), pa.int64()))


def _cell_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_excel(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """The first (or the named) sheet of an .xlsx workbook, cells as text."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except zipfile.BadZipFile:
        raise ImportDataError(name, code="not_xlsx") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO and total > 10_000_000:
        raise ImportDataError(name, code="xlsx_too_large", params={"mb": total / 1e6})
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise ImportDataError(name, code="bad_xlsx", params={"detail": str(exc)}) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportDataError(
                name, code="no_sheet", params={"sheet": sheet, "sheets": ", ".join(wb.sheetnames)}
            )
        ws = wb[sheet] if sheet is not None else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise ImportDataError(name, code="empty_sheet")
        while first and first[-1] is None:
            first = first[:-1]
        header = _check_header(name, [_cell_text(v) or "" for v in first])
        cols: list[list[str | None]] = [[] for _ in header]
        for r in rows:
            for i in range(len(header)):
                cols[i].append(_cell_text(r[i]) if i < len(r) else None)
    finally:
        wb.close()
    table = pa.table({h: pa.array(c, pa.string()) for h, c in zip(header, cols, strict=True)})
    # drop trailing blank rows a spreadsheet leaves behind
    return RawTable(name, _with_rows(table), None, "xlsx")


def read_parquet(data: bytes | Path, name: str) -> RawTable:
    """A Parquet file with its own column types (dates and numbers stay typed)."""
    try:
        table = pq.read_table(data if isinstance(data, Path) else pa.BufferReader(data))
    except (pa.ArrowInvalid, OSError) as exc:
        raise ImportDataError(name, code="bad_parquet", params={"detail": str(exc)}) from None
    _check_header(name, table.column_names)
    return RawTable(name, _with_rows(table), None, "parquet")


@dataclass(frozen=True)
class ParquetPath:
    """A Parquet file on disk that DuckDB reads itself (``read_parquet``), never loaded into
    Python: the import normalises, checks and inserts straight from the file. ``header`` and
    ``num_rows`` come from the file's footer; ``__row`` is the file row number + 2, as in
    ``RawTable``."""

    name: str
    path: Path
    header: tuple[str, ...]
    num_rows: int
    encoding: None = None
    format: str = "parquet"


_GLOB = set("*?[]{}")  # read_parquet would expand these: such paths go through Arrow instead


def open_parquet(path: str | Path, name: str | None = None) -> ParquetPath | RawTable:
    """A local Parquet file for a direct read (its footer checked here), or, for a path DuckDB
    could read as something else (globs, no regular file), the Arrow table of ``read_parquet``."""
    name = name or Path(path).name
    try:
        full = Path(path).resolve(strict=True)
    except OSError:
        return read_parquet(Path(path), name)  # the same error as the Arrow path
    text = str(full)
    if not full.is_file() or _GLOB & set(text) or not full.is_absolute() or "://" in text:
        return read_parquet(full, name)
    try:
        meta = pq.ParquetFile(full)
        header = list(meta.schema_arrow.names)
        num_rows = meta.metadata.num_rows
    except (pa.ArrowInvalid, OSError):
        return read_parquet(full, name)  # the same error as the Arrow path
    _check_header(name, header)
    if "file_row_number" in header:  # the column read_parquet adds for the row numbers
        return read_parquet(full, name)
    return ParquetPath(name, full, tuple(header), num_rows)


def open_file(
    source: bytes | str | Path,
    name: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    format: str | None = None,
) -> RawTable | ParquetPath:
    """``read_file``, except that a Parquet file on disk is left for DuckDB to read directly
    (``ParquetPath``); ``import_files`` takes either."""
    if isinstance(source, str | Path):
        fmt = (format or Path(name or Path(source).name).suffix.lstrip(".")).lower()
        if fmt == "parquet":
            return open_parquet(source, name or Path(source).name)
    return read_file(source, name, encoding=encoding, sheet=sheet, format=format)


def read_file(
    source: bytes | str | Path,
    name: str | None = None,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    format: str | None = None,
) -> RawTable:
    """Read ``source`` (bytes of an upload, or a path) by its extension or ``format``
    (csv, tsv, txt, xlsx, parquet)."""
    if isinstance(source, str | Path):
        path = Path(source)
        name = name or path.name
        try:
            data: bytes | Path = path if path.suffix.lower() == ".parquet" else path.read_bytes()
        except OSError as exc:
            raise ImportDataError(
                name, code="unreadable_file", params={"detail": exc.strerror}
            ) from None
    else:
        data = source
        name = name or "upload"
    fmt = (format or Path(name).suffix.lstrip(".")).lower()
    if fmt in ("csv", "tsv", "txt", ""):
        if isinstance(data, Path):
            data = data.read_bytes()
        return read_csv(data, name, encoding)
    if fmt in ("xlsx", "xlsm"):
        return read_excel(data if isinstance(data, bytes) else data.read_bytes(), name, sheet)
    if fmt == "parquet":
        return read_parquet(data, name)
    if fmt == "xls":
        raise ImportDataError(name, code="xls_unsupported")
    raise ImportDataError(name, code="unknown_file_type", params={"format": fmt})
