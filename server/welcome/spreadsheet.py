"""Reading the population service's export: CSV (UTF-8 with or without BOM, or cp1252; ``;``
or ``,``) or XLSX (openpyxl, read-only). Rows come out as lists of text; nothing is kept.
A file is read whole or refused with a reason, never partly: every row, whatever size a sheet
declares, within the configured limits (rows, characters a cell, what an XLSX unpacks to), and
an XLSX with a document type declaration (the way to entity expansion) is not parsed at all."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from pathlib import Path
from pyexpat import ExpatError, ParserCreate

from flask import current_app
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _

from ..core.errors import N_, ValidationFailed
from ..core.validate import clean_line

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


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows, not counting the header and blank rows
    cell_chars: int
    xlsx_bytes: int  # the XLSX archive's members unpacked, together...
    xlsx_member_bytes: int  # ...and each

    @classmethod
    def configured(cls) -> "Limits":
        config = current_app.config
        return cls(config["WELCOME_MAX_ROWS"], config["WELCOME_MAX_CELL_CHARS"],
                   config["WELCOME_MAX_XLSX_BYTES"], config["WELCOME_MAX_XLSX_MEMBER_BYTES"])


def _refused(reason: str, **values: object) -> ValidationFailed:
    """A reason with numbers in it, translated now (the view translates plain ones)."""
    return ValidationFailed.single("file", _(reason, **values))


def _checked(rows: Iterable[Iterable[object]], limits: Limits,
             unreadable: tuple[type[Exception], ...], reason: str) -> Iterator[list[str]]:
    """Every row as text, the header first; a cell too long, a row beyond the limit or a file
    the reader gives up on halfway refuses the whole file."""
    source, data_rows = iter(rows), 0
    for number in count(1):  # as the spreadsheet numbers its rows
        try:
            row = next(source, None)
        except csv.Error as exc:  # its own field limit is csv's likeliest complaint
            if "field limit" in str(exc):
                raise _too_long(number, limits) from exc
            raise ValidationFailed.single("file", reason) from exc
        except unreadable as exc:
            raise ValidationFailed.single("file", reason) from exc
        if row is None:
            return
        cells = [_cell(v) for v in row]
        if any(len(c) > limits.cell_chars for c in cells):
            raise _too_long(number, limits)
        data_rows += number > 1 and any(cells)
        if data_rows > limits.rows:
            raise _refused(N_("more than %(count)s rows"), count=format_number(limits.rows))
        yield cells


def _too_long(number: int, limits: Limits) -> ValidationFailed:
    return _refused(N_("Row %(row)s: a cell is longer than %(limit)s characters"),
                    row=number, limit=format_number(limits.cell_chars))


def _table(records: Iterator[list[str]], close: Callable[[], None] = lambda: None) -> Table:
    try:
        headers = next(records, None)
    except ValidationFailed:
        close()
        raise
    if not headers or not any(headers):
        close()
        raise ValidationFailed.single("file", N_("the file has no header row"))

    def body() -> Iterator[list[str]]:
        try:
            yield from (cells for cells in records if any(cells))
        finally:
            close()

    return Table([clean_line(h) for h in headers], body())


def _csv(path: Path, limits: Limits) -> Table:
    text = decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _table(_checked(reader, limits, (), N_("the file could not be read as CSV")))


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


# What openpyxl raises on a damaged archive or sheet, also halfway through it (a member whose
# content is longer than it declares fails its CRC check there; a malformed attribute value
# fails its descriptor with a TypeError).
# SyntaxError: what ElementTree raises on broken XML (its ParseError) inside openpyxl.
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, SyntaxError,
              ExpatError, AttributeError, TypeError)
XML_MEMBERS = (".xml", ".rels")  # what openpyxl parses; VML drawings are not read


def _megabytes(size: int) -> str:
    return format_decimal(size / (1024 * 1024), format="#,##0.#")


def _check_archive(path: Path, limits: Limits) -> None:
    """Before openpyxl opens it: the archive unpacks within the limits and no XML part of it
    declares a document type. The sizes are those the archive declares; zipfile stops at the
    declared size and fails the CRC check of a member that holds more."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
        if any(m.file_size > limits.xlsx_member_bytes for m in members):
            raise _refused(N_("a part of the spreadsheet unpacks to more than %(size)s MB"),
                           size=_megabytes(limits.xlsx_member_bytes))
        if sum(m.file_size for m in members) > limits.xlsx_bytes:
            raise _refused(N_("the spreadsheet unpacks to more than %(size)s MB"),
                           size=_megabytes(limits.xlsx_bytes))
        for member in members:
            if member.filename.lower().endswith(XML_MEMBERS) and _declares_dtd(archive, member):
                raise ValidationFailed.single("file", N_(
                    "the spreadsheet declares a document type (DTD): save it again as an "
                    "ordinary XLSX file"))


class _Seen(Exception):
    """Raised out of the parser at the first element or document type declaration."""

    def __init__(self, dtd: bool):
        super().__init__()
        self.dtd = dtd


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part has a document type declaration. It can only stand before the first
    element, so the part is read up to there, not parsed twice."""
    parser = ParserCreate()

    def seen(dtd: bool):
        def handler(*_args):
            raise _Seen(dtd)
        return handler

    parser.StartDoctypeDeclHandler = seen(True)
    parser.StartElementHandler = seen(False)
    with archive.open(member) as stream:
        try:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except _Seen as exc:
            return exc.dtd
    return False


def _xlsx(path: Path, limits: Limits) -> Table:
    from openpyxl import load_workbook

    reason = N_("the spreadsheet could not be read")
    try:
        _check_archive(path, limits)
        workbook = load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.active
        sheet.reset_dimensions()  # read every row, not only as many as the sheet declares
        rows = sheet.iter_rows(values_only=True)
    except UNREADABLE as exc:
        raise ValidationFailed.single("file", reason) from exc
    return _table(_checked(rows, limits, UNREADABLE, reason), workbook.close)


def read_table(path: Path, kind: str, limits: Limits | None = None) -> Table:
    limits = limits or Limits.configured()
    return _xlsx(path, limits) if kind == "xlsx" else _csv(path, limits)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP: CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
