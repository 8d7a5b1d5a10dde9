"""The figures as the dashboard and the API read them: from indicator_value only, scoped to
the caller's municipality. Outside the coordinator's own screen every figure goes through
core/disclosure.py (shared())."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import labels
from ..core import clock, disclosure
from ..core.access import Actor
from ..extensions import db
from ..gatherings.labels import KIND_LABELS as GATHERING_KINDS
from ..org.models import Neighbourhood
from ..outreach.labels import KIND_LABELS as OUTREACH_KINDS
from ..signals.labels import STATUS_LABELS as SIGNAL_STATUSES
from ..signals.labels import theme_label
from .indicators import INDICATORS, Indicator
from .models import ALL, UNPLACED, IndicatorValue
from .periods import Period

# What a breakdown key reads as, per kind of breakdown.
KEY_LABELS = {
    "domain": labels.DOMAIN_LABELS.get,
    "service_category": labels.SERVICE_CATEGORY_LABELS.get,
    "step": labels.REFERRAL_LABELS.get,
    "gathering_kind": GATHERING_KINDS.get,
    "outreach_kind": OUTREACH_KINDS.get,
    "theme": theme_label,
    "signal_status": SIGNAL_STATUSES.get,
}

# How a table of a figure by its breakdown is headed: "Contacts by life domain".
BREAKDOWN_TITLES = {
    "domain": _l("%(figure)s by life domain"),
    "service_category": _l("%(figure)s by kind of service"),
    "step": _l("%(figure)s by step reached"),
    "gathering_kind": _l("%(figure)s by kind of gathering"),
    "outreach_kind": _l("%(figure)s by kind of round"),
    "theme": _l("%(figure)s by theme"),
    "signal_status": _l("%(figure)s by status"),
}


def share(numerator: int, denominator: int | None) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class Cell:
    key: str  # a breakdown key or a neighbourhood id
    numerator: int
    denominator: int | None

    @property
    def value(self) -> float | int | None:
        return self.numerator if self.denominator is None else share(
            self.numerator, self.denominator)


@dataclass
class Figure:
    indicator: Indicator
    total: Cell
    cells: list[Cell] = field(default_factory=list)  # by breakdown key
    places: list[Cell] = field(default_factory=list)  # by neighbourhood (over all of them)


@dataclass
class Figures:
    period: Period
    refreshed_at: datetime | None
    figures: list[Figure]

    @property
    def frozen(self) -> bool:
        """Counted after the period was over: these figures no longer change."""
        return self.refreshed_at is not None and self.period.closed_by(self.refreshed_at)


def neighbourhoods(actor: Actor) -> dict[str, str]:
    return dict(db.session.execute(select(Neighbourhood.id, Neighbourhood.name).where(
        Neighbourhood.municipality_id == actor.municipality_id)
        .order_by(Neighbourhood.name)).all())


def figures(actor: Actor, period: Period, neighbourhood: str = ALL) -> Figures:
    """Every indicator of the period in the caller's municipality, for one neighbourhood (or
    ALL); an indicator not refreshed yet reads 0."""
    rows = db.session.execute(select(
        IndicatorValue.indicator, IndicatorValue.neighbourhood, IndicatorValue.breakdown,
        IndicatorValue.numerator, IndicatorValue.denominator, IndicatorValue.refreshed_at)
        .where(IndicatorValue.municipality_id == actor.municipality_id,
               IndicatorValue.period == period.code)).all()
    found: dict[str, Figure] = {
        i.id: Figure(i, Cell("", 0, 0 if i.is_share else None)) for i in INDICATORS}
    refreshed = None
    for indicator, nbh, key, numerator, denominator, at in rows:
        refreshed = max(refreshed, at) if refreshed else at
        figure = found.get(indicator)
        if figure is None:
            continue
        cell = Cell(key or nbh, numerator, denominator)
        if nbh == neighbourhood and not key:
            figure.total = cell
        elif nbh == neighbourhood:
            figure.cells.append(cell)
        elif neighbourhood == ALL and not key:
            figure.places.append(cell)
    for figure in found.values():
        figure.cells.sort(key=lambda c: (-c.numerator, c.key))
        figure.places.sort(key=lambda c: (c.key == UNPLACED, -c.numerator))
    return Figures(period, clock.as_utc(refreshed) if refreshed else None,
                   list(found.values()))


def key_label(indicator: Indicator, key: str) -> str:
    label = KEY_LABELS[indicator.breakdown](key) if indicator.breakdown else None
    return str(label) if label else key


def shared(figures: Figures) -> list[dict]:
    """The API's answer: each indicator over the municipality, small counts suppressed
    (disclosure.protect over all of them at once), a share hidden with its hidden count."""
    measures = [{"numerator": f.total.numerator,
                 **({"denominator": f.total.denominator} if f.indicator.is_share else {})}
                for f in figures.figures]
    shown, _total = disclosure.protect(measures, {})
    answer = []
    for figure, text in zip(figures.figures, shown, strict=True):
        suppressed = any(t in (disclosure.HIDDEN, disclosure.WITHHELD) for t in text.values())
        total = figure.total
        answer.append({
            "id": figure.indicator.id, "label": str(figure.indicator.label),
            "unit": str(figure.indicator.unit), "period": figures.period.code,
            "suppressed": suppressed,
            "numerator": None if suppressed else total.numerator,
            "denominator": None if suppressed else total.denominator,
            "value": None if suppressed else total.value,
        })
    return answer
