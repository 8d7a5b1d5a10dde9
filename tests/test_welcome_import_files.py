"""What an import takes from the file: text by the single-line rules forms use, every row of a
sheet whatever size it declares, and nothing that could swell in memory (a compressed bomb, a
huge cell, a DTD): a file is read whole or refused with a reason, never partly."""

import io
import zipfile
from collections.abc import Callable

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from server.extensions import db
from server.welcome.models import Household, WelcomeImport

from .welcome_helpers import HEADERS, chosen_mapping, register_csv, row, run_import, stage, upload

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


@pytest.fixture
def coordinator(world, login):
    return login("coordinator@a.test")


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(content: bytes, changes: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same XLSX with members' XML changed (or added), as a hand-edited file has it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in [*names, *(m for m in changes if m not in names)]:
            data = source.read(name) if name in names else b""
            target.writestr(name, changes[name](data) if name in changes else data)
    return out.getvalue()


def shared(content: bytes, text: str) -> bytes:
    """The XLSX with ``text`` moved into a shared-strings table, as Excel writes its cells."""
    inline = f't="inlineStr"><is><t>{text}</t></is>'.encode()
    return rewritten(content, {
        SHEET: lambda xml: xml.replace(inline, b't="s"><v>0</v>', 1),
        STRINGS: lambda _xml: (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                               b'2006/main" count="1" uniqueCount="1"><si><t>'
                               + text.encode() + b"</t></si></sst>"),
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')),
    })


def with_cell(content: bytes, placeholder: str, text: str) -> bytes:
    """A cell longer than openpyxl writes (it cuts at Excel's 32,767 characters)."""
    return rewritten(content, {SHEET: lambda xml: xml.replace(
        f"<t>{placeholder}</t>".encode(), f"<t>{text}</t>".encode(), 1)})


def with_dimension(content: bytes, ref: str) -> bytes:
    def change(xml: bytes) -> bytes:
        start = xml.index(b"<dimension ref=\"")
        end = xml.index(b"\"", start + len(b"<dimension ref=\""))
        return xml[:start] + b"<dimension ref=\"" + ref.encode() + xml[end:]
    return rewritten(content, {SHEET: change})


def member_sizes(content: bytes) -> list[int]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [info.file_size for info in archive.infolist()]


def refused(client, content: bytes, name: str) -> str:
    """Upload and map as the coordinator does; the file must be refused (422) somewhere on
    the way, with the page saying why."""
    response = upload(client, content, name)
    if response.status_code == 303:
        mapping_url = response.headers["Location"]
        response = client.get(mapping_url)
        if response.status_code == 200:
            mapping = chosen_mapping(response.get_data(as_text=True))
            response = client.post(mapping_url, data={"csrf_token": client.csrf, **mapping})
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[page.find("<main"):][:1500]
    return page


def staged(app) -> list[WelcomeImport]:
    with app.app_context():
        return list(db.session.scalars(select(WelcomeImport)))


def household_names(app, municipality_id: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Household.names).where(
            Household.municipality_id == municipality_id)))


# --- text by the form rules -----------------------------------------------------------------


def test_imported_names_follow_the_single_line_rules_of_forms(app, world, coordinator):
    rows = [row("Ami\u200bna", "Haddad"),  # zero-width space: dropped, as a form drops it
            row("\u202eOmar", "Petrenko", street="Kerk\u202estraat", number="3"),  # bidi override
            row("\u0410mal", "Haddad", number="5"),  # a Cyrillic А before Latin letters
            row("Li\x00na", "Haddad", number="7")]  # NUL: PostgreSQL refuses it
    preview = stage(coordinator, register_csv(rows))
    page = coordinator.get(preview).get_data(as_text=True)
    assert "Row 4</strong>: Names: mixes alphabets within a word" in page
    assert "Row 5</strong>: Names: must be text" in page
    assert "Row 2</strong>" not in page
    assert "Row 3</strong>" not in page
    assert "Done: 2 new households." in run_import(coordinator, preview)
    assert household_names(app, world.a.id) == ["Amina Haddad", "Omar Petrenko"]
    with app.app_context():
        streets = set(db.session.scalars(select(Household.street)))
    assert streets == {"Ninoofsesteenweg", "Kerkstraat"}


def test_the_file_name_follows_the_single_line_rules_too(app, world, coordinator):
    stage(coordinator, register_csv([row("Amal", "Haddad")]), name="inschrij\u202evingen\x00.csv")
    [job] = staged(app)
    assert job.file_name == "inschrijvingen.csv"


# --- the whole sheet, or a reason -----------------------------------------------------------


def test_xlsx_rows_beyond_the_declared_dimension_are_read(app, world, coordinator):
    rows = [row(f"Naam{i}", "Haddad", number=str(i)) for i in range(12)]
    content = with_dimension(xlsx(rows), "A1:C2")
    preview = stage(coordinator, content, name="lijst.xlsx")
    page = coordinator.get(preview).get_data(as_text=True)
    assert "<dt>Rows</dt><dd>12</dd>" in page
    run_import(coordinator, preview)
    assert len(household_names(app, world.a.id)) == 12


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_more_rows_than_an_import_takes_is_refused_whole(
        app, world, coordinator, monkeypatch, kind):
    monkeypatch.setitem(app.config, "WELCOME_MAX_ROWS", 10)
    rows = [row(f"Naam{i}", "Haddad", number=str(i)) for i in range(11)]
    if kind == "csv":
        content, name = register_csv(rows), "lijst.csv"
    else:
        content, name = with_dimension(xlsx(rows), "A1:C2"), "lijst.xlsx"
    page = refused(coordinator, content, name)
    assert "more than 10 rows" in page
    assert staged(app) == []


# --- nothing that swells in memory ----------------------------------------------------------


@pytest.mark.parametrize("cap", ["member", "total"])
def test_an_xlsx_that_unpacks_beyond_the_cap_is_refused_before_reading(
        app, world, coordinator, monkeypatch, cap):
    # One 3 MB cell packs into a few KB: a small bomb, enough to pass a lowered cap.
    content = with_cell(xlsx([row("Amal", "Haddad")]), "Amal", "A" * 3_000_000)
    assert len(content) < 50_000
    sizes = member_sizes(content)
    if cap == "member":
        monkeypatch.setitem(app.config, "WELCOME_MAX_XLSX_MEMBER_BYTES", 2_000_000)
    else:
        monkeypatch.setitem(app.config, "WELCOME_MAX_XLSX_MEMBER_BYTES", max(sizes))
        monkeypatch.setitem(app.config, "WELCOME_MAX_XLSX_BYTES", sum(sizes) - 1)
    page = refused(coordinator, content, "lijst.xlsx")
    assert "unpacks to more than" in page
    assert staged(app) == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_longer_than_the_limit_is_refused_with_a_reason(app, world, coordinator, kind):
    rows = [row("Amal", "Haddad"), row("Lina", "Haddad", number="5")]
    if kind == "csv":
        content = register_csv(rows).replace(b"Lina", b"A" * 131_073)
    else:
        content = with_cell(xlsx(rows), "Lina", "A" * 131_073)
    page = refused(coordinator, content, f"lijst.{kind}")
    assert "Row 3: a cell is longer than 131,072 characters" in page
    assert staged(app) == []


def _with_entity(xml: bytes) -> bytes:
    dtd = b'<!DOCTYPE sst [<!ENTITY a "Amal"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return dtd + xml.replace(b">Amal<", b">&b;<", 1)


def _with_doctype(xml: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet SYSTEM "sheet.dtd">' + xml


@pytest.mark.parametrize(("member", "change"), [(STRINGS, _with_entity), (SHEET, _with_entity),
                                                (SHEET, _with_doctype)])
def test_an_xlsx_with_a_dtd_is_refused(app, world, coordinator, member, change):
    content = shared(xlsx([row("Amal", "Haddad")]), "Amal")
    page = refused(coordinator, rewritten(content, {member: change}), "lijst.xlsx")
    assert "the spreadsheet declares a document type (DTD)" in page
    assert staged(app) == []


def test_an_xlsx_with_shared_strings_is_read(app, world, coordinator):
    content = shared(xlsx([row("Amal", "Haddad")]), "Amal")
    run_import(coordinator, stage(coordinator, content, name="lijst.xlsx"))
    assert household_names(app, world.a.id) == ["Amal Haddad"]
