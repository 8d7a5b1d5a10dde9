"""Importing the month's registrations: map the columns once, stage and preview, then create
the households in chunks (a progress bar polls them along). Only the columns the
municipality keeps are ever read out of the file: nothing else reaches the database."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from sqlalchemy import delete, func, insert, select

from ..audit import audit
from ..core.access import Actor
from ..core.changes import Change, record_change
from ..core.clock import now, today_local
from ..core.db import dialect_insert
from ..core.errors import N_, FieldError, ValidationFailed
from ..core.ids import new_id
from ..core.records import read_field
from ..core.validate import Checker
from ..extensions import db
from ..people.fields import BCP47
from .fields import AGE_BANDS, HOUSEHOLD
from .models import Household, ImportMapping, ImportRow, StreetNeighbourhood, WelcomeImport
from .spreadsheet import read_table

# What the municipality keeps of a registration, and which columns may hold it.
TARGETS = ("names", "street", "house_number", "postcode", "registered_on", "household_size",
           "birth_date", "language")
REQUIRED = ("names", "street", "house_number", "postcode", "registered_on")
MULTI = {"names": 3, "house_number": 2}  # first and last name; number and box
# Column names a population export uses, by target (Dutch, French, English).
GUESSES = {
    "names": ("naam", "voornaam", "familienaam", "nom", "prénom", "prenom", "name"),
    "street": ("straat", "rue", "street"),
    "house_number": ("huisnummer", "huisnr", "nummer", "bus", "numéro", "numero", "number"),
    "postcode": ("postcode", "code postal", "postal"),
    "registered_on": ("inschrijving", "registratie", "inscription", "registration"),
    "household_size": ("gezinsgrootte", "grootte", "aantal", "taille", "size"),
    "birth_date": ("geboorte", "naissance", "birth"),
    "language": ("taal", "langue", "language"),
}
# Never offered as a guess, whatever the header says: not kept by any municipality.
NEVER = ("rijksregister", "insz", "national", "nationalit", "registre", "nationaliteit")
CHUNK = 2000


def guess_mapping(headers: list[str], kept: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The kept mapping where its columns are in this file, else a guess from the names."""
    present = set(headers)
    if kept and all(set(cols) <= present for cols in kept.values()):
        return {t: list(cols) for t, cols in kept.items()}
    mapping: dict[str, list[str]] = {}
    taken: set[str] = set()
    for target in TARGETS:
        for header in headers:
            low = header.lower()
            if header in taken or any(word in low for word in NEVER):
                continue
            if any(word in low for word in GUESSES[target]):
                mapping.setdefault(target, []).append(header)
                taken.add(header)
                if len(mapping[target]) >= MULTI.get(target, 1):
                    break
    return mapping


def check_mapping(headers: list[str], chosen: dict[str, list[str]]) -> dict[str, list[str]]:
    errors = {}
    mapping = {t: [c for c in chosen.get(t, []) if c] for t in TARGETS}
    for target, cols in mapping.items():
        if any(c not in headers for c in cols):
            errors[target] = N_("not a column of this file")
        elif target in REQUIRED and not cols:
            errors[target] = N_("required")
        elif len(cols) > MULTI.get(target, 1):
            errors[target] = N_("too many columns")
    if errors:
        raise ValidationFailed([FieldError(k, v) for k, v in errors.items()])
    return {t: cols for t, cols in mapping.items() if cols}


def keep_mapping(actor: Actor, mapping: dict[str, list[str]]) -> None:
    row = db.session.get(ImportMapping, actor.municipality_id)
    if row is None:
        row = ImportMapping(municipality_id=actor.municipality_id)
        db.session.add(row)
    row.columns, row.updated_at = mapping, now()
    db.session.flush()


def kept_mapping(municipality_id: str) -> dict[str, list[str]] | None:
    row = db.session.get(ImportMapping, municipality_id)
    return dict(row.columns) if row else None


# --- one row ----------------------------------------------------------------------------


def street_key(street: str) -> str:
    """A street as the table and the key compare it: no accents, case, dots or extra spaces."""
    plain = unicodedata.normalize("NFKD", street).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def household_key(street: str, number: str, postcode: str, registered_on: date) -> str:
    number_key = re.sub(r"[^a-z0-9]+", "", number.lower())
    text = f"{street_key(street)}|{number_key}|{postcode.strip()}|{registered_on.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
LOCAL_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")


@lru_cache(maxsize=4096)
def parse_day(text: str) -> date | None:
    """2026-11-03, 03/11/2026, 3-11-2026, 03.11.26; a time after it is ignored."""
    text = text.strip().split(" ", 1)[0].split("T", 1)[0]
    if match := ISO_DAY.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := LOCAL_DAY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    bounds = ((2, "0-2"), (5, "3-5"), (11, "6-11"), (17, "12-17"), (24, "18-24"),
              (44, "25-44"), (64, "45-64"))
    return next((band for top, band in bounds if age <= top), AGE_BANDS[-1])


def _language_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in ("en", "fr", "nl"):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code:
                names.setdefault(name.lower(), code)
    return names


_LANGUAGES: dict[str, str] = {}


def language_code(text: str) -> str | None:
    """A language as recorded: a code, or its name in Dutch, French or English."""
    text = text.strip()
    if not text:
        return None
    if BCP47.fullmatch(text) and len(text) <= 3:
        return text.lower()
    if not _LANGUAGES:
        _LANGUAGES.update(_language_names())
    return _LANGUAGES.get(text.lower())


def line_field(target: str, text: str) -> tuple[str, list[str]]:
    """A text field of the household read as its form's field is (core.records.read_field:
    no NUL, controls, zero-width or bidi-control characters, no word mixing alphabets, within
    the declared length): the value as stored, and the reasons it cannot be ("missing" is the
    import's own word for an empty one)."""
    check = Checker({target: text}, (target,))
    value = read_field(check, replace(HOUSEHOLD[target], required=False)) or ""
    reasons = [error.reason for error in check.errors]
    return value, reasons or ([] if value else ["missing"])


def reduce_row(cells: list[str], index: dict[str, list[int]], today: date
               ) -> tuple[dict, list[str], str | None]:
    """The kept fields of one row, its problems, and its household key (None with problems)."""
    def get(target: str, sep: str = " ") -> str:
        return sep.join(cells[i] for i in index.get(target, []) if i < len(cells) and cells[i]).strip()

    data: dict = {}
    problems: list[str] = []
    for target in ("names", "street", "house_number", "postcode"):
        value, reasons = line_field(target, " ".join(get(target).split()))
        problems += [f"{target}:{reason}" for reason in reasons]
        data[target] = value
    if data["postcode"] and not re.fullmatch(r"\d{4}", data["postcode"]):
        problems.append("postcode:invalid")
    registered = parse_day(get("registered_on"))
    if registered is None:
        problems.append("registered_on:missing" if not get("registered_on") else "registered_on:invalid")
    elif registered > today:
        problems.append("registered_on:future")
    data["registered_on"] = registered.isoformat() if registered else None
    size_text = get("household_size")
    if size_text:
        if size_text.isdigit() and 1 <= int(size_text) <= 50:
            data["household_size"] = int(size_text)
        else:
            problems.append("household_size:invalid")
    born_text = get("birth_date")
    if born_text:
        born = parse_day(born_text)
        if born is None or born > today:
            problems.append("birth_date:invalid")
        else:
            data["age_band"] = age_band(born, today)  # the date itself is never kept
    language = language_code(get("language"))
    if language:
        data["language"] = language
    key = None if problems else household_key(data["street"], data["house_number"],
                                              data["postcode"], registered)
    return data, problems, key


PROBLEM_TEXT = {
    "missing": N_("missing"), "too_long": N_("too long"), "invalid": N_("not valid"),
    "future": N_("in the future"),
}  # else the problem names the Checker's own reason ("mixes alphabets within a word")


def problem_parts(problem: str) -> tuple[str, str]:
    target, _sep, kind = problem.partition(":")
    return target, PROBLEM_TEXT.get(kind, kind)


# --- staging: parse once, keep only the kept fields --------------------------------------


def stage(actor: Actor, path: Path, kind: str, file_name: str,
          mapping: dict[str, list[str]]) -> WelcomeImport:
    table = read_table(path, kind)
    index = {t: [table.headers.index(c) for c in cols] for t, cols in mapping.items()}
    job = WelcomeImport(id=new_id(), municipality_id=actor.municipality_id,
                        user_id=actor.user_id, file_name=file_name[:200])
    db.session.add(job)
    db.session.flush()
    today = today_local()
    rows, keys, with_problems, count = [], set(), 0, 0
    for number, cells in enumerate(table.rows, start=2):  # row 1 is the header
        data, problems, key = reduce_row(cells, index, today)
        rows.append({"import_id": job.id, "row_number": number, "household_key": key,
                     "data": data, "problems": problems})
        with_problems += bool(problems)
        count += 1
        if key:
            keys.add(key)
        if len(rows) >= 5000:
            insert_values(ImportRow, rows)
            rows = []
    insert_values(ImportRow, rows)
    job.rows = count
    job.rows_with_problems, job.households = with_problems, len(keys)
    job.already_known = _known(actor.municipality_id, keys)
    audit("welcome_import_staged", user_id=actor.user_id, municipality_id=actor.municipality_id,
          object_type="welcome_import", object_id=job.id)
    db.session.flush()
    return job


def insert_values(model, rows: list[dict]) -> None:
    """Rows in one executemany (psycopg pipelines them; one compiled statement)."""
    if rows:
        db.session.execute(insert(model.__table__), rows)


def _known(municipality_id: str, keys: Iterable[str]) -> int:
    keys, known = list(keys), 0
    for start in range(0, len(keys), 5000):
        known += db.session.scalar(select(func.count()).select_from(Household).where(
            Household.municipality_id == municipality_id,
            Household.household_key.in_(keys[start:start + 5000]))) or 0
    return known


# --- running: households made, a chunk at a time ------------------------------------------


def start(actor: Actor, job: WelcomeImport) -> None:
    if job.state != "staged":
        raise ValidationFailed.single("import", N_("this import has already run"))
    job.state = "running"
    db.session.flush()


def run_chunk(actor: Actor, job: WelcomeImport, size: int = CHUNK) -> None:
    """The next ``size`` households of a running import; the last chunk closes it."""
    if job.state != "running":
        return
    keys = list(db.session.scalars(
        select(ImportRow.household_key).where(ImportRow.import_id == job.id,
                                              ImportRow.household_key.is_not(None))
        .group_by(ImportRow.household_key).order_by(ImportRow.household_key)
        .offset(job.processed).limit(size)))
    if keys:
        _create(actor, job, keys)
        job.processed += len(keys)
    if len(keys) < size:
        job.state, job.finished_at = "done", now()
        db.session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))
        audit("welcome_import_done", user_id=actor.user_id,
              municipality_id=actor.municipality_id, object_type="welcome_import",
              object_id=job.id)
    db.session.flush()


def _create(actor: Actor, job: WelcomeImport, keys: list[str]) -> None:
    existing = set(db.session.scalars(select(Household.household_key).where(
        Household.municipality_id == job.municipality_id, Household.household_key.in_(keys))))
    streets = dict(db.session.execute(select(
        StreetNeighbourhood.street_key, StreetNeighbourhood.neighbourhood_id).where(
        StreetNeighbourhood.municipality_id == job.municipality_id)).all())
    grouped: dict[str, list[dict]] = {}
    for key, data in db.session.execute(select(ImportRow.household_key, ImportRow.data).where(
            ImportRow.import_id == job.id, ImportRow.household_key.in_(keys))
            .order_by(ImportRow.row_number)):
        if key not in existing:
            grouped.setdefault(key, []).append(data)
    stamp = now()
    households = [_household(job, key, rows, streets, stamp) for key, rows in grouped.items()]
    created = _insert_new(households)
    for household_id in created:
        record_change(db.session, Change("household", household_id, job.municipality_id, 1))
    job.created += len(created)


def _insert_new(households: list[dict]) -> list[str]:
    """Insert the households whose key is new; a key another import has just taken (two
    coordinators importing the same list at once) is left alone. The ids inserted."""
    if not households:
        return []
    stmt = dialect_insert(db.session, Household.__table__).on_conflict_do_nothing(
        index_elements=["municipality_id", "household_key"]).returning(Household.id)
    return list(db.session.scalars(stmt, households))


def _household(job: WelcomeImport, key: str, rows: list[dict], streets: dict[str, str],
               stamp: datetime) -> dict:
    first = rows[0]
    people = list(dict.fromkeys((r["names"], r.get("age_band")) for r in rows))
    names = ", ".join(dict.fromkeys(name for name, _band in people))
    sizes = [r["household_size"] for r in rows if r.get("household_size")]
    languages = list(dict.fromkeys(r["language"] for r in rows if r.get("language")))[:12]
    skey = street_key(first["street"])
    return {
        "id": new_id(), "municipality_id": job.municipality_id, "household_key": key,
        "names": _fit(names, HOUSEHOLD["names"].max_len), "street": first["street"],
        "street_key": skey, "house_number": first["house_number"],
        "postcode": first["postcode"], "registered_on": date.fromisoformat(first["registered_on"]),
        "household_size": max([*sizes, len(people)]) if people else None,
        "age_bands": sorted((band for _name, band in people if band), key=AGE_BANDS.index),
        "languages": languages, "neighbourhood_id": streets.get(skey),
        "approach": "visit", "status": "new", "attempts": 0, "agrees_to_contact": False,
        "import_id": job.id, "imported_at": stamp, "version": 1,
    }


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def drop(actor: Actor, job: WelcomeImport) -> None:
    """A staged import the coordinator does not want: its rows go."""
    if job.state != "staged":
        raise ValidationFailed.single("import", N_("this import has already run"))
    db.session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))
    job.state, job.finished_at = "dropped", now()
    db.session.flush()


def run_all(actor: Actor, job: WelcomeImport, commit=None) -> None:
    """The whole import at once (the command line), committing after each chunk if asked."""
    start(actor, job)
    while job.state == "running":
        run_chunk(actor, job)
        if commit:
            commit()
