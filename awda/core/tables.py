"""Reading the files ministries send: CSV in whatever encoding Excel wrote, and XLSX, row by row.

Arabic spreadsheets arrive as UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode
text") or Windows-1256 (Excel's "CSV" on an Arabic Windows). Files are read as streams, so a file of
a million rows takes the memory of one row; a problem is reported as ``FileProblem`` with a message
for the data steward, never as a crash half-way.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

SAMPLE_BYTES = 256 * 1024
csv.field_size_limit(1024 * 1024)


class FileProblem(Exception):
    """The file cannot be read as a table; the message says why in the reader's language."""


@dataclass(frozen=True)
class Table:
    """The header of a file and a fresh iterator over its rows (row number as in a spreadsheet, 2 onwards)."""

    headers: list[str]
    encoding: str
    path: Path
    file_format: str

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        if self.file_format == "xlsx":
            yield from _xlsx_rows(self.path, self.headers)
        elif self.file_format == "json":
            yield from _json_rows(self.path)
        else:
            yield from _csv_rows(self.path, self.encoding, self.headers)


def detect_encoding(sample: bytes) -> str:
    """The encoding of a CSV file from its first bytes: a byte-order mark, valid UTF-8, or Arabic Windows."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    # UTF-16 without a mark: every other byte of ASCII text is zero.
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A sample may end inside a multi-byte character; that alone does not make it another encoding.
        if error.start >= len(sample) - 3 and error.reason == "unexpected end of data":
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=["cp1256", "cp1252", "iso8859_6", "cp720", "cp864"]).best()
    if best is None:
        raise FileProblem(_("The file is not text in an encoding Awda knows (UTF-8, UTF-16, Windows-1256)."))
    return str(best.encoding)


def open_table(path: Path, file_format: str) -> Table:
    """Open a file, read its header and check it; the rows are read later, as a stream."""
    if path.stat().st_size == 0:
        raise FileProblem(_("The file is empty."))
    if file_format == "xlsx":
        headers = _xlsx_headers(path)
        encoding = ""
    else:
        with path.open("rb") as handle:
            encoding = detect_encoding(handle.read(SAMPLE_BYTES))
        headers = _csv_headers(path, encoding)
    cleaned = [h.strip() for h in headers]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    if not cleaned:
        raise FileProblem(_("The first row of the file should hold the column names, but it is empty."))
    seen: set[str] = set()
    for header in cleaned:
        if header and header in seen:
            raise FileProblem(
                _("The column “%(name)s” appears twice in the first row; rename one of them.")
                % {"name": header}
            )
        seen.add(header)
    return Table(headers=cleaned, encoding=encoding, path=path, file_format=file_format)


def _text_stream(path: Path, encoding: str) -> IO[str]:
    return path.open("r", encoding=encoding, newline="", errors="strict")


def _csv_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _csv_headers(path: Path, encoding: str) -> list[str]:
    try:
        with _text_stream(path, encoding) as handle:
            sample = handle.read(64 * 1024)
            handle.seek(0)
            reader = csv.reader(handle, _csv_dialect(sample))
            return next(reader, [])
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("The file is not valid %(encoding)s text; save it again as “CSV UTF-8” from your spreadsheet.")
            % {"encoding": encoding}
        ) from error
    except csv.Error as error:
        raise FileProblem(
            _("The file is not a valid CSV file: %(problem)s") % {"problem": str(error)}
        ) from error


def _csv_rows(path: Path, encoding: str, headers: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    with _text_stream(path, encoding) as handle:
        sample = handle.read(64 * 1024)
        handle.seek(0)
        reader = csv.reader(handle, _csv_dialect(sample))
        try:
            next(reader, None)
            for number, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                yield (
                    number,
                    {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headers) if h},
                )
        except UnicodeDecodeError as error:
            raise FileProblem(
                _("Row %(row)s is not valid %(encoding)s text; save the file again as “CSV UTF-8”.")
                % {"row": reader.line_num + 1, "encoding": encoding}
            ) from error
        except csv.Error as error:
            raise FileProblem(
                _("Row %(row)s cannot be read: %(problem)s") % {"row": reader.line_num, "problem": str(error)}
            ) from error


def _open_workbook(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        # data_only=False keeps formulas as "=…" text, so that a formula is reported instead of read as empty.
        return load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken or mislabelled file
        raise FileProblem(_("The file is not a valid XLSX workbook.")) from error


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # a date typed into Excel
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 7701234567.0 is how Excel keeps a phone typed as a number
    return str(value).strip()


def _xlsx_headers(path: Path) -> list[str]:
    workbook = _open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
            return [_cell_text(v) for v in row]
        return []
    finally:
        workbook.close()


def _xlsx_rows(path: Path, headers: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    workbook = _open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = [_cell_text(v) for v in row]
            if not any(cells):
                continue
            yield number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}
    finally:
        workbook.close()


def _json_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Records pushed through the API, kept as a JSON list (at most ten thousand, so read at once)."""
    with path.open(encoding="utf-8") as handle:
        records = json.load(handle)
    for number, record in enumerate(records, start=1):
        yield number, {k: "" if v is None else str(v).strip() for k, v in record.items()}
