"""Where other features pick up what a welcome visit asked for.

A household that would like a buddy: the buddies feature registers here and opens a buddy
wish for the household's person (server/buddies/operations.py wish_from_welcome); the visit
keeps the flag (buddy_wish) for the household page and the inflow figures.
"""

from collections.abc import Callable
from typing import Any

BUDDY_WISHES: list[Callable[..., None]] = []


def on_buddy_wish(handler: Callable[..., None]) -> None:
    """The buddies feature registers ``handler(actor, person_id, visit)`` here."""
    if handler not in BUDDY_WISHES:
        BUDDY_WISHES.append(handler)


def buddy_wished(actor: Any, person_id: str, visit: Any) -> None:
    for handler in BUDDY_WISHES:
        handler(actor, person_id, visit)
