"""Where other features pick up what a welcome visit asked for.

HOOK (buddies): a household that would like a buddy. The buddies feature is being built
beside this one; until it registers here, the wish stays on the visit (buddy_wish) and shows
on the household page and in the coordinator's inflow figures.
"""

from collections.abc import Callable
from typing import Any

BUDDY_WISHES: list[Callable[..., None]] = []


def on_buddy_wish(handler: Callable[..., None]) -> None:
    """The buddies feature registers ``handler(actor, household, visit)`` here."""
    if handler not in BUDDY_WISHES:
        BUDDY_WISHES.append(handler)


def buddy_wished(actor: Any, household: Any, visit: Any) -> None:
    for handler in BUDDY_WISHES:
        handler(actor, household, visit)
