"""Reading the population service's export: CSV (UTF-8 with or without BOM, or cp1252; ``;``
or ``,``) or XLSX (openpyxl, read-only). Rows come out as lists of text; nothing is kept."""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..core.errors import N_, ValidationFailed

KINDS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Iterator[list[str]]


def kind_of(file_name: str, head: bytes) -> str:
    """csv or xlsx, by the name and the first bytes (an XLSX file is a zip archive)."""
    kind = KINDS.get(Path(file_name).suffix.lower())
    if kind is None:
        raise ValidationFailed.single("file", N_("not a CSV or XLSX file"))
    if (kind == "xlsx") != head.startswith(b"PK\x03\x04"):
        raise ValidationFailed.single("file", N_("the content does not match the file type"))
    if kind == "csv" and b"\x00" in head:
        raise ValidationFailed.single("file", N_("not a text file"))
    return kind


def decode(raw: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252 as older exports write it."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.single("file", N_("unknown text encoding: save it as UTF-8")) from exc


def _csv(path: Path) -> Table:
    text = decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = next(reader, None)
    if not headers or not any(h.strip() for h in headers):
        raise ValidationFailed.single("file", N_("the file has no header row"))
    return Table([h.strip() for h in headers],
                 ([cell.strip() for cell in row] for row in reader if any(c.strip() for c in row)))


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationFailed.single("file", N_("the spreadsheet could not be read")) from exc
    rows = workbook.active.iter_rows(values_only=True)
    headers = next(rows, None)
    if not headers or not any(headers):
        workbook.close()
        raise ValidationFailed.single("file", N_("the file has no header row"))

    def body() -> Iterator[list[str]]:
        try:
            for row in rows:
                cells = [_cell(v) for v in row]
                if any(cells):
                    yield cells
        finally:
            workbook.close()

    return Table([_cell(h) for h in headers], body())


def read_table(path: Path, kind: str) -> Table:
    return _xlsx(path) if kind == "xlsx" else _csv(path)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
