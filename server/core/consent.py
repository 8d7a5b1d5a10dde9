"""The basis for keeping a person's data, as plain rules: when consent is still good, and what
a withdrawn or expired consent limits. Operations ask these; templates only show the answer."""

from datetime import date, datetime, timedelta
from enum import StrEnum


class Basis(StrEnum):
    CONSENT = "consent"  # the person agreed, for a purpose, on a day; they may withdraw
    PUBLIC_TASK = "public_task"  # the municipality's task: no expiry, but an objection counts


class ConsentState(StrEnum):
    NONE = "none"  # no basis recorded yet: flagged, not blocked
    VALID = "valid"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month + 1, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` that many calendar months earlier (the retention cut-off)."""
    earlier = add_months(moment.date(), -months)
    return moment - timedelta(days=(moment.date() - earlier).days)


def expires_on(basis: str | None, given_on: date | None, valid_months: int) -> date | None:
    if basis != Basis.CONSENT or given_on is None:
        return None
    return add_months(given_on, valid_months)


def consent_state(basis: str | None, given_on: date | None, withdrawn_on: date | None, *,
                  today: date, valid_months: int) -> ConsentState:
    """Withdrawn when a withdrawal is recorded on or after the last time it was given (giving it
    again on a later day renews it); expired when consent is older than its validity."""
    if basis is None:
        return ConsentState.NONE
    if withdrawn_on is not None and (given_on is None or withdrawn_on >= given_on):
        return ConsentState.WITHDRAWN
    if basis == Basis.CONSENT:
        if given_on is None:
            return ConsentState.NONE
        if today >= add_months(given_on, valid_months):
            return ConsentState.EXPIRED
    return ConsentState.VALID


def limits_processing(state: ConsentState) -> bool:
    """Withdrawn or expired: the data stay as they are (and can be corrected, exported or
    erased), but nothing new is noted about the person and nobody refers them until renewed."""
    return state in (ConsentState.WITHDRAWN, ConsentState.EXPIRED)
