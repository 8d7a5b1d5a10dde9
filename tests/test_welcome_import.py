"""Importing the population register's monthly list: mapping kept, problems per row,
idempotent, unwanted columns never stored, unknown streets listed, 10,000 rows."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text

from server.core.clock import today_local
from server.extensions import db
from server.welcome.models import Household, ImportMapping, ImportRow

from .welcome_helpers import (
    HEADERS,
    NATIONAL_NUMBER,
    chosen_mapping,
    import_rows,
    register_csv,
    row,
    run_import,
    stage,
    upload,
)


@pytest.fixture
def coordinator(world, login):
    return login("coordinator@a.test")


def households(app, municipality_id) -> list[Household]:
    with app.app_context():
        return list(db.session.scalars(select(Household).where(
            Household.municipality_id == municipality_id).order_by(Household.names)))


def test_mapping_is_guessed_without_the_unwanted_columns_and_kept_for_next_month(
        app, world, coordinator):
    page = coordinator.get(upload(coordinator, register_csv([row("Amal", "Haddad")]))
                           .headers["Location"]).get_data(as_text=True)
    guessed = chosen_mapping(page)
    assert guessed["names"] == ["Voornaam", "Naam"]
    assert guessed["house_number"] == ["Huisnummer"]
    assert "Rijksregisternummer" not in sum(guessed.values(), [])
    assert "Nationaliteit" not in sum(guessed.values(), [])
    # The coordinator chooses differently: last name only. Next month, that is kept.
    choice = {**guessed, "names": ["Naam"]}
    stage(coordinator, register_csv([row("Amal", "Haddad")]), mapping=choice)
    with app.app_context():
        kept = db.session.get(ImportMapping, world.a.id).columns
    assert kept["names"] == ["Naam"]
    next_month = coordinator.get(upload(coordinator, register_csv([row("Ola", "Nowak")]))
                                 .headers["Location"]).get_data(as_text=True)
    assert chosen_mapping(next_month)["names"] == ["Naam"]


def test_preview_lists_each_rows_problems_and_imports_only_the_good_rows(app, world, coordinator):
    rows = [row("Amal", "Haddad"), row("", "", street="Kerkstraat"),
            row("Ivan", "Petrenko", postcode="17OO"),
            row("Ana", "Silva", registered=today_local() + timedelta(days=3)),
            row("Lina", "Haddad", born="31/02/2001")]
    preview = stage(coordinator, register_csv(rows))
    page = coordinator.get(preview).get_data(as_text=True)
    assert "Row 3</strong>: Names: missing" in page
    assert "Row 4</strong>: Postcode: not valid" in page
    assert "Row 5</strong>: Registration date: in the future" in page
    assert "Row 6</strong>: Date of birth (kept as an age band): not valid" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)) == 0
    run_import(coordinator, preview)
    [amal] = households(app, world.a.id)
    assert amal.names == "Amal Haddad"
    assert amal.languages == ["ar"]
    assert amal.age_bands == ["25-44"]


def test_reimporting_the_same_or_an_overlapping_file_creates_no_duplicates(app, world, coordinator):
    first = [row("Amal", "Haddad"), row("Omar", "Haddad", born=str(today_local().year - 4) + "-01-02"),
             row("Ivan", "Petrenko", street="Kerkstraat", number="3")]
    import_rows(coordinator, first)
    assert len(households(app, world.a.id)) == 2  # the Haddads are one household
    done = import_rows(coordinator, first)
    assert "Done: 0 new households." in done
    overlapping = [*first[1:], row("Ana", "Silva", street="Molenstraat", number="7 bus 2")]
    import_rows(coordinator, overlapping)
    found = households(app, world.a.id)
    assert [h.names for h in found] == ["Amal Haddad, Omar Haddad", "Ana Silva", "Ivan Petrenko"]
    assert found[0].age_bands == ["3-5", "25-44"]
    assert found[0].household_size == 2
    with app.app_context():  # the staged rows are gone once imported
        assert db.session.scalar(select(func.count()).select_from(ImportRow)) == 0


def _dump(app) -> str:
    """Every value of every table, as text: what a database dump would hold."""
    with app.app_context():
        parts = []
        for table in db.metadata.sorted_tables:
            for values in db.session.execute(table.select()):
                parts.append(" ".join(str(v) for v in values))
        if db.engine.dialect.name == "sqlite":
            parts.append(str(db.session.execute(text("SELECT * FROM sqlite_master")).all()))
        return "\n".join(parts)


def test_unwanted_columns_are_never_stored_not_even_in_the_preview(app, world, coordinator):
    folder = Path(app.instance_path) / "welcome-uploads"
    for left in folder.glob("*"):
        left.unlink()  # what earlier tests uploaded and never mapped
    rows = [row("Amal", "Haddad", national="90.01.01-123.45", nationality="Marsiaans")]
    preview = stage(coordinator, register_csv(rows))
    staged = _dump(app)
    assert "90.01.01-123.45" not in staged
    assert "90010112345" not in staged
    assert "Marsiaans" not in staged
    assert "1990-05-01" not in staged  # the date of birth is an age band
    run_import(coordinator, preview)
    dump = _dump(app)
    assert "Amal Haddad" in dump
    for secret in ("90.01.01-123.45", "Marsiaans", NATIONAL_NUMBER, "1990-05-01"):
        assert secret not in dump
    assert list(folder.glob("*")) == []  # the uploaded file itself is gone


def test_unknown_streets_are_listed_not_dropped_and_placed_later(app, world, coordinator):
    with app.app_context():
        from server.org.models import Neighbourhood

        centrum = db.session.scalar(select(Neighbourhood.id).where(
            Neighbourhood.municipality_id == world.a.id))
    coordinator.post("/welcome/manage/streets", data={
        "csrf_token": coordinator.csrf, "street": "Kerkstraat", "neighbourhood_id": centrum})
    preview = stage(coordinator, register_csv([
        row("Amal", "Haddad", street="Onbekendelaan"), row("Ivan", "Petrenko", street="kerkstraat")]))
    assert "Onbekendelaan" in coordinator.get(preview).get_data(as_text=True)
    run_import(coordinator, preview)
    found = {h.names: h.neighbourhood_id for h in households(app, world.a.id)}
    assert found == {"Amal Haddad": None, "Ivan Petrenko": centrum}
    assert "Onbekendelaan" in coordinator.get("/welcome/manage/streets").get_data(as_text=True)
    coordinator.post("/welcome/manage/streets", data={
        "csrf_token": coordinator.csrf, "street": "Onbekendelaan", "neighbourhood_id": centrum})
    assert {h.neighbourhood_id for h in households(app, world.a.id)} == {centrum}


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1252"),
                                                      (";", "utf-8-sig")])
def test_csv_in_the_encodings_and_delimiters_municipalities_export(
        app, world, coordinator, delimiter, encoding):
    content = register_csv([row("Zoë", "Müller", street="Sint-Ulriksstraat")], delimiter, encoding)
    run_import(coordinator, stage(coordinator, content))
    [household] = households(app, world.a.id)
    assert household.names == "Zoë Müller"


def test_xlsx_is_read_like_csv(app, world, coordinator):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(row("Amal", "Haddad"))
    out = io.BytesIO()
    book.save(out)
    run_import(coordinator, stage(coordinator, out.getvalue(), name="lijst.xlsx"))
    assert [h.names for h in households(app, world.a.id)] == ["Amal Haddad"]


@pytest.mark.parametrize(("content", "name", "reason"), [
    (b"", "leeg.csv", "the file is empty"),
    (b"PK\x03\x04rest", "lijst.csv", "the content does not match the file type"),
    (b"a;b\x00\n1;2\n", "lijst.csv", "not a text file"),
    (b"a;b\n1;2\n", "lijst.pdf", "not a CSV or XLSX file"),
    (b"a;b\n1;2\n", "lijst.xlsx", "the content does not match the file type"),
    (b"\x81\x8d\x8f;\x90\n", "lijst.csv", "unknown text encoding"),
])
def test_bad_uploads_are_refused_with_a_reason(world, coordinator, content, name, reason):
    response = upload(coordinator, content, name)
    if response.status_code == 303:  # a readable but wrong file fails at the mapping
        response = coordinator.get(response.headers["Location"])
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)


def test_an_oversized_upload_is_refused(app, world, coordinator, monkeypatch):
    monkeypatch.setitem(app.config, "WELCOME_MAX_UPLOAD_BYTES", 100)
    response = upload(coordinator, register_csv([row("A", "B")] * 10))
    assert response.status_code == 422
    assert "the file is too large" in response.get_data(as_text=True)


def test_ten_thousand_rows_import_completely(app, world, coordinator):
    start = today_local() - timedelta(days=60)
    rows = [row(f"Voornaam{i}", f"Familie{i // 2}", street=f"Straat {i % 97}", number=str(i // 2),
                registered=start + timedelta(days=i % 50)) for i in range(10_000)]
    rows[17][3] = ""  # one row without a street
    preview = stage(coordinator, register_csv(rows))
    assert "Row 19</strong>: Street: missing" in coordinator.get(preview).get_data(as_text=True)
    run_import(coordinator, preview)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Household).where(
            Household.municipality_id == world.a.id))
    # Pairs share an address and a day except where the days differ (i % 50 moves on).
    assert 5000 <= count <= 10_000
    assert "Done: 0 new households." in import_rows(coordinator, rows[:40] + rows[18:60])
