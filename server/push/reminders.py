"""What a feature tells push about its reminders; push itself imports no feature.

A feature registers a source (``@reminder_source``): given "now", it yields the reminders that
are due. It may also register a step each round runs first, in its own transaction
(``@before_round``: a buddy proposal left unanswered lapses and goes to the next buddy).

The runner (``flask push send-reminders`` and the timer of ``make run``) records each
reminder's ``key`` in the database before sending, under a unique constraint, so a reminder is
sent once however many runners ask at the same time, and a source may yield the same reminder
again on every run.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Text of a notification: lazy (N_/lazy_gettext) strings, rendered in the user's language when
# sent. They name no person and no place: the notification shows on a locked screen.


@dataclass(frozen=True)
class Reminder:
    key: str  # once per key forever, e.g. "buddy_session:<id>:24h"
    user_id: str  # user_account.id
    title: Any  # a lazy string without personal data
    body: Any  # a lazy string without personal data
    url: str  # the page that opens on a tap, a path without personal data in it


Source = Callable[[datetime], Iterable[Reminder]]
SOURCES: list[Source] = []


def reminder_source(fn: Source) -> Source:
    """Register ``fn(now) -> reminders due at now`` (now is aware UTC)."""
    if fn not in SOURCES:
        SOURCES.append(fn)
    return fn


Step = Callable[[datetime], object]
BEFORE_ROUND: list[Step] = []


def before_round(fn: Step) -> Step:
    """Register ``fn(now)``: work each round does before gathering reminders; it must be safe
    to run on two machines at once (lock what it changes)."""
    if fn not in BEFORE_ROUND:
        BEFORE_ROUND.append(fn)
    return fn
