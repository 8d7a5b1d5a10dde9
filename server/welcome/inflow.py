"""Inflow reached: per month of registration and neighbourhood, how far the welcome got.

Counts from 1 to 4 are shown as "<5" anywhere outside the coordinator's own screen (the CSV
export, the shareable report): a small count in a small neighbourhood names a family."""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..core.access import Actor
from ..extensions import db
from ..org.models import Neighbourhood
from ..referrals.models import Referral
from .models import Household
from .spreadsheet import safe_cell

COUNTS = ("registered", "visited", "welcomed_30", "welcomed_90", "not_reached", "referred")
SMALL = 5


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


def shown(count: int, masked: bool) -> str:
    return f"<{SMALL}" if masked and 0 < count < SMALL else str(count)


def to_csv(report: Report, label_unplaced: str, headers: list[str]) -> str:
    """The report as CSV for sharing: small counts masked, no cell a spreadsheet would run."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([safe_cell(h) for h in headers])
    for row in [*report.rows, report.total]:
        name = row.neighbourhood if row is not report.total else "Total"
        writer.writerow([
            safe_cell(report.month), safe_cell(name if name is not None else label_unplaced),
            *[shown(getattr(row, c), True) for c in COUNTS],
            safe_cell(", ".join(f"{k} {shown(v, True)}" for k, v in sorted(row.referral_ends.items()))),
            safe_cell(", ".join(f"{k} {shown(v, True)}" for k, v in row.languages.most_common())),
        ])
    return out.getvalue()
