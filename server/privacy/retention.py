"""Retention: what has been kept past its period after the last activity is erased or
anonymised, through the features' own operations, so that phones receive the deletions."""

from dataclasses import dataclass

from flask import current_app

from ..audit import audit
from ..core import clock
from ..core.consent import months_before
from ..core.privacy import RETENTION, Retention, months_for


@dataclass(frozen=True)
class Outcome:
    record_type: str
    action: str
    months: int
    count: int


def kinds() -> list[Retention]:
    """Every registered record type in registration order: people first, so that what goes
    with a person goes with them."""
    return list(RETENTION.values())


def run_one(kind: Retention, *, dry_run: bool = False) -> Outcome:
    """Erase or anonymise what of one record type is past its period (a dry run only counts);
    the caller commits."""
    months = months_for(current_app.config, kind.record_type)
    ids = list(kind.expired(months_before(clock.now(), months)))
    if ids and not dry_run:
        kind.forget(ids)
        audit("retention", user_id=None, object_type=kind.record_type,
              reason=f"{kind.action} {len(ids)}")
    return Outcome(kind.record_type, kind.action, months, len(ids))
