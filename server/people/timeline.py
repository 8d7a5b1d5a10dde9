"""A person's timeline: what other features logged about the person, newest first.

Contacts and referrals sit above people (they name people), so they add their entries from
their own ``init_app`` instead of people importing them."""

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from ..core.access import Actor


class Entry(NamedTuple):
    kind: str  # which markup of people/show.html shows it
    day: date
    item: Any
    note_shown: str | None = None  # core.access.note_shown of the item's note


Source = Callable[[Actor, str], list[Entry]]
SOURCES: dict[str, Source] = {}


def source(kind: str, entries: Source) -> None:
    SOURCES[kind] = entries


def for_person(actor: Actor, person_id: str) -> list[Entry]:
    entries = [e for entries in SOURCES.values() for e in entries(actor, person_id)]
    return sorted(entries, key=lambda entry: entry.day, reverse=True)
