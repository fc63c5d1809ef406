"""Reading an uploaded file (CSV, TSV, Excel, Parquet) into an Arrow table of its columns.

CSV text is decoded in Python (DuckDB's Shift_JIS support needs a downloaded extension): a BOM
decides (UTF-8, or UTF-16 as Excel's "Unicode text"; UTF-16 without one is told by its NUL
bytes), otherwise strict UTF-8 is tried and CP932 (Windows Japanese, a superset of Shift_JIS
that also has ①, 髙 and ㈱) is the fallback. The caller
may name the encoding instead. Text files are read as text columns (nothing is guessed: the
mapping says which column is a date or a number); a row number column ``__row`` gives the line a
spreadsheet shows (header = 1, first data row = 2).

Every file is held to limits (``MAX_ROWS``, ``MAX_COLUMNS``, ``MAX_CELLS``; smaller for Excel,
whose cells become Python objects) checked before the heavy work: a CSV's lines are counted
before it is parsed, a Parquet file's footer is read before its data, and an Excel sheet is
streamed row by row and dropped as soon as it goes over. Blank Excel rows (a formatted sheet has
many, up to the last row Excel knows) are skipped without being materialised, and a data row
keeps the row number the spreadsheet shows.
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
# Limits of one file, generous for real CRM exports (a million-row Salesforce report of 60
# columns is 60 million cells in CSV), checked before the file is parsed
MAX_ROWS = 2_000_000  # data rows (CSV lines after the header, Parquet rows, Excel rows)
MAX_COLUMNS = 500
MAX_CELLS = 50_000_000  # rows x columns (CSV, Parquet)
MAX_XLSX_CELLS = 20_000_000  # Excel is slow to read (openpyxl: minutes for this many)
MAX_LINE_BYTES = 16 * 1024 * 1024  # one CSV line (or header cell) at most
MAX_FILE_BYTES = 1024 * 1024 * 1024  # a file read into memory (CSV, Excel)
EXCEL_LAST_ROW = 1_048_576  # the last row of an Excel sheet
_CHUNK = 65_536  # Excel rows held as Python objects before they become Arrow arrays
# the header line is split by the csv module, whose default limit is one 128 KB field
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))


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
    elif (unmarked := _utf16_without_bom(data)) is not None:
        candidates = [unmarked]
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


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 text without a byte order mark (ASCII in UTF-16 has
    a NUL in every other byte: nine in ten of the first 4 KB's odd or even bytes), else None.
    UTF-8 and CP932 text has no NUL; read as UTF-8 such a file split into ragged rows."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd >= 0.9 * len(sample[1::2]) and even < odd:
        return "utf-16-le"
    if even >= 0.9 * len(sample[0::2]) and odd < even:
        return "utf-16-be"
    return None


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


def check_limits(name: str, rows: int, columns: int, *, xlsx: bool = False) -> None:
    """Refuse a file of more than ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or ``MAX_CELLS``
    cells (``rows`` x ``columns``; ``MAX_XLSX_CELLS`` for Excel), before it is read; the error
    names the limit and the count found (for a streamed Excel sheet, the count when reading
    stopped)."""
    max_cells = MAX_XLSX_CELLS if xlsx else MAX_CELLS
    if columns > MAX_COLUMNS:
        raise ImportDataError(
            name, code="too_many_columns", params={"found": columns, "limit": MAX_COLUMNS}, row=1
        )
    if rows > MAX_ROWS:
        raise ImportDataError(name, code="too_many_rows", params={"found": rows, "limit": MAX_ROWS})
    if rows * columns > max_cells:
        raise ImportDataError(
            name, code="too_many_cells", params={"found": rows * columns, "limit": max_cells}
        )


def check_file_size(name: str, size: int) -> None:
    """Refuse a file larger than ``MAX_FILE_BYTES`` before it is read into memory."""
    if size > MAX_FILE_BYTES:
        raise ImportDataError(
            name, code="file_too_large",
            params={"mb": size / 1e6, "limit_mb": MAX_FILE_BYTES / 1e6},
        )  # fmt: skip


def _line_count(text: str) -> int:
    """The number of lines after the first (an upper bound of the data rows: blank lines are
    counted), for CRLF, LF or CR line ends."""
    lines = max(text.count("\n"), text.count("\r"))
    return lines - 1 if text.endswith(("\n", "\r")) else lines


def read_csv(data: bytes, name: str, encoding: str | None = None) -> RawTable:
    """Decode and parse delimited text (comma, tab or semicolon) into text columns."""
    check_file_size(name, len(data))
    text, enc = _decode(data, name, encoding)
    if not text.strip():
        raise ImportDataError(name, code="empty_file")
    delim = _sniff_delimiter(text)
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        header = next(csv.reader(io.StringIO(first), delimiter=delim))
    except csv.Error as exc:  # a header cell longer than MAX_LINE_BYTES
        raise ImportDataError(name, code="bad_csv", params={"detail": str(exc)}, row=1) from None
    check_limits(name, _line_count(text), len(header))
    header = _check_header(name, header)
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, block_size=MAX_LINE_BYTES
            ),
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
            try:
                for i, fields in enumerate(csv.reader(io.StringIO(text), delimiter=delim)):
                    if fields and len(fields) != len(header):
                        row = i + 1
                        break
            except csv.Error:
                pass
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
    """The first (or the named) sheet of an .xlsx workbook, cells as text.

    The rows are streamed (openpyxl's read-only mode) up to the header's width; blank rows are
    skipped (a sheet formatted down to its last row yields a million of them, none kept), and
    reading stops as soon as the rows or cells go over the limits (``check_limits``)."""
    check_file_size(name, len(data))
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
        header, cols, numbers = _excel_rows(ws, name)
    except ImportDataError:
        raise
    except Exception as exc:  # a sheet whose XML breaks while it is streamed
        raise ImportDataError(name, code="bad_xlsx", params={"detail": str(exc)}) from None
    finally:
        wb.close()
    table = pa.table(dict(zip(header, cols, strict=True)))
    return RawTable(name, table.append_column(ROW, pa.array(numbers, pa.int64())), None, "xlsx")


def _below_excel(name: str, last_row: int) -> ImportDataError:
    """The error of a (hand-made) sheet with rows below Excel's last, ``last_row`` the lowest."""
    return ImportDataError(
        name, code="too_many_rows", params={"found": last_row - 1, "limit": EXCEL_LAST_ROW - 1}
    )


def _excel_rows(ws, name: str) -> tuple[list[str], list[pa.ChunkedArray], list[int]]:
    """The header, the text columns of the non-blank rows (Arrow, built every ``_CHUNK`` rows
    so that few Python strings live at once) and their sheet row numbers."""
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), None)
    while first and first[-1] is None:
        first = first[:-1]
    if not first:
        raise ImportDataError(name, code="empty_sheet")
    check_limits(name, 0, len(first), xlsx=True)
    if (ws.max_row or 0) > EXCEL_LAST_ROW:  # the sheet's own dimension says rows below Excel's
        raise _below_excel(name, ws.max_row)
    header = _check_header(name, [_cell_text(v) or "" for v in first])
    width = len(header)
    chunks: list[list[pa.Array]] = [[] for _ in header]
    buffer: list[list[str | None]] = [[] for _ in header]
    numbers: list[int] = []

    def flush() -> None:
        for i in range(width):
            chunks[i].append(pa.array(buffer[i], pa.string()))
            buffer[i] = []

    # one row past Excel's last, so that a hand-made sheet with more rows is refused, not cut
    rows = ws.iter_rows(min_row=2, max_row=EXCEL_LAST_ROW + 1, max_col=width, values_only=True)
    for index, r in enumerate(rows, start=2):
        if r.count(None) == len(r):
            continue  # a blank row (a million of them below a formatted sheet): not kept
        cells = [_cell_text(v) for v in r]
        if not any(c is not None and c.strip() for c in cells):
            continue
        if index > EXCEL_LAST_ROW:
            raise _below_excel(name, index)
        check_limits(name, len(numbers) + 1, width, xlsx=True)
        numbers.append(index)
        for i in range(width):
            buffer[i].append(cells[i] if i < len(cells) else None)
        if len(buffer[0]) >= _CHUNK:
            flush()
    flush()
    return header, [pa.chunked_array(c, pa.string()) for c in chunks], numbers


def read_parquet(data: bytes | Path, name: str) -> RawTable:
    """A Parquet file with its own column types (dates and numbers stay typed); its footer's
    row and column counts are checked against the limits before the data is read."""
    try:
        meta = pq.ParquetFile(data if isinstance(data, Path) else pa.BufferReader(data)).metadata
        check_limits(name, meta.num_rows, meta.num_columns)
    except (pa.ArrowInvalid, OSError):
        pass  # an unreadable footer: read_table says why, below
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
    check_limits(name, num_rows, len(header))
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
            if path.suffix.lower() != ".parquet":
                check_file_size(name, path.stat().st_size)
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
