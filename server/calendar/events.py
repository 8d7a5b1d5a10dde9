"""Where a user's calendar events come from: each feature registers a source."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    uid: str  # stable across feeds and downloads, e.g. "buddy_session-<id>@handvast"
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str  # as little personal data as possible: never a full name
    url: str | None = None  # a path of the app
    location: str | None = None  # only where the reader signed in (never in the feed)
    cancelled: bool = False


# source(user_id) -> that user's events, in every municipality they work in.
Source = Callable[[str], Iterable[Event]]
SOURCES: list[Source] = []


def event_source(fn: Source) -> Source:
    if fn not in SOURCES:
        SOURCES.append(fn)
    return fn


def events_for(user_id: str) -> list[Event]:
    return sorted((e for source in SOURCES for e in source(user_id)), key=lambda e: e.starts_at)
