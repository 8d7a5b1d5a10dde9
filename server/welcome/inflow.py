"""Inflow reached: per month of registration and neighbourhood, how far the welcome got.

Outside the coordinator's own screen (the CSV export, the shareable report) every count goes
through disclosure control (core/disclosure.py): "<5" for 1 to 4, "x" for what would give one
away."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..core import disclosure
from ..core.access import Actor
from ..extensions import db
from ..org.models import Neighbourhood
from ..referrals.models import Referral
from .models import Household
from .spreadsheet import safe_cell

COUNTS = ("registered", "visited", "welcomed_30", "welcomed_90", "not_reached", "referred")


@dataclass
class Row:
    neighbourhood: str | None  # None: street not placed in a neighbourhood yet
    registered: int = 0
    visited: int = 0
    welcomed_30: int = 0
    welcomed_90: int = 0
    not_reached: int = 0
    referred: int = 0
    referral_ends: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)

    def add(self, household: Household, referral_status: str | None) -> None:
        self.registered += 1
        self.visited += household.attempts > 0
        if household.welcomed_on is not None:
            days = (household.welcomed_on - household.registered_on).days
            self.welcomed_30 += days <= 30
            self.welcomed_90 += days <= 90
            self.languages.update(household.languages)
        self.not_reached += household.attempts >= 2 and household.status != "welcomed"
        if household.referral_id:
            self.referred += 1
            self.referral_ends[referral_status or "proposed"] += 1


@dataclass
class Report:
    month: str
    rows: list[Row]
    total: Row


def months(actor: Actor) -> list[str]:
    """The months with registrations, newest first ("2026-11")."""
    days = db.session.scalars(select(Household.registered_on).where(
        Household.municipality_id == actor.municipality_id).distinct())
    return sorted({d.strftime("%Y-%m") for d in days}, reverse=True)


def _bounds(month: str) -> tuple[date, date]:
    first = date.fromisoformat(f"{month}-01")
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, after


def report(actor: Actor, month: str) -> Report:
    first, after = _bounds(month)
    names = dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name).where(
        Neighbourhood.municipality_id == actor.municipality_id)).all())
    rows: dict[str | None, Row] = {}
    total = Row(None)
    query = (select(Household, Referral.status)
             .outerjoin(Referral, Referral.id == Household.referral_id)
             .where(Household.municipality_id == actor.municipality_id,
                    Household.registered_on >= first, Household.registered_on < after))
    for household, status in db.session.execute(query):
        name = names.get(household.neighbourhood_id)
        rows.setdefault(name, Row(name)).add(household, status)
        total.add(household, status)
    ordered = sorted(rows.values(), key=lambda r: (r.neighbourhood is None, r.neighbourhood or ""))
    return Report(month, ordered, total)


@dataclass
class Shown:
    """One row of the report as it is shown: its counts, how its referrals ended and the
    languages met, each as text."""

    neighbourhood: str | None
    total: bool
    counts: list[str]
    referral_ends: list[tuple[str, str]]
    languages: list[tuple[str, str]]


def _measures(row: Row) -> dict[str, int]:
    return {**{name: getattr(row, name) for name in COUNTS},
            **{f"end:{status}": n for status, n in row.referral_ends.items()},
            **{f"language:{code}": n for code, n in row.languages.items()}}


def shown(report: Report, masked: bool) -> list[Shown]:
    """Every row and the total, exact on the coordinator's screen; for sharing (``masked``)
    through disclosure control: small counts hidden, and what would give them away withheld."""
    rows = [_measures(row) for row in report.rows]
    total = _measures(report.total)
    if masked:
        ends = {name for row in [*rows, total] for name in row if name.startswith("end:")}
        texts, total_text = disclosure.protect(rows, total, parts=[tuple(sorted(ends))])
    else:
        texts = [{name: str(n) for name, n in row.items()} for row in rows]
        total_text = {name: str(n) for name, n in total.items()}
    return [Shown(row.neighbourhood, row is report.total, [text[c] for c in COUNTS],
                  [(s, text[f"end:{s}"]) for s in sorted(row.referral_ends)],
                  [(code, text[f"language:{code}"]) for code, _n in row.languages.most_common()])
            for row, text in zip([*report.rows, report.total], [*texts, total_text], strict=True)]


def to_csv(report: Report, label_unplaced: str, headers: list[str]) -> str:
    """The report as CSV for sharing: through disclosure control, no cell a spreadsheet
    would run."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in headers])
    for row in shown(report, masked=True):
        name = "Total" if row.total else (row.neighbourhood or label_unplaced)
        writer.writerow([
            safe_cell(report.month), safe_cell(name), *row.counts,
            safe_cell(", ".join(f"{k} {n}" for k, n in row.referral_ends)),
            safe_cell(", ".join(f"{k} {n}" for k, n in row.languages)),
        ])
    return out.getvalue()
