"""What each feature tells privacy about its records, in one line from its ``init_app``:

- ``retention(record_type, default_months, expired=..., forget=..., action=...)``: how long a
  record type is kept after its last activity, which records have gone past that, and the
  operation that erases or anonymises one (it records the change, so phones hear of it);
- ``activity(name, active_since)``: people with activity of this feature since a moment (a
  person is kept while anything about them is recent);
- ``subject_data(name, collect)``: what the feature holds about a person, for their export;
- ``on_erase(hook)``: what the feature removes when a person is erased;
- ``on_forget(record_type, hook)``: a feature holding links to another feature's records
  (a welcome visit's referral) lets go of them before those records are erased.

This module imports no feature; features import it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .access import Actor

ERASE, ANONYMISE = "erase", "anonymise"


@dataclass(frozen=True)
class Retention:
    record_type: str
    default_months: int
    expired: Callable[[datetime], Iterable[str]]  # ids whose last activity is before the cut-off
    forget: Callable[[list[str]], None]  # erase or anonymise these, through the operations
    action: str = ERASE
    label: str = ""  # what it is, in words (an N_ message)


RETENTION: dict[str, Retention] = {}
# name -> fn(cutoff) returning a select of person ids with activity since the cut-off
ACTIVITY: dict[str, Callable[[datetime], Any]] = {}
# name -> fn(actor, person) returning what the feature holds about the person, jsonable
SUBJECT_DATA: dict[str, Callable[[Actor, Any], Any]] = {}
ERASE_HOOKS: list[Callable[[str], None]] = []
# record type -> fns(ids) letting go of links to those records before they are erased
FORGET_HOOKS: dict[str, list[Callable[[list[str]], None]]] = {}


def retention(record_type: str, default_months: int, *, expired: Callable[[datetime], Iterable[str]],
              forget: Callable[[list[str]], None], action: str = ERASE, label: str = "") -> None:
    if action not in (ERASE, ANONYMISE):
        raise ValueError(action)
    RETENTION[record_type] = Retention(record_type, default_months, expired, forget, action,
                                       label)


def activity(name: str, active_since: Callable[[datetime], Any]) -> None:
    ACTIVITY[name] = active_since


def subject_data(name: str, collect: Callable[[Actor, Any], Any]) -> None:
    SUBJECT_DATA[name] = collect


def on_erase(hook: Callable[[str], None]) -> None:
    """``hook(person_id)`` removes what the feature holds about the person, through its
    operations (deletions recorded in the change log), before the person goes."""
    if hook not in ERASE_HOOKS:
        ERASE_HOOKS.append(hook)


def months_for(config: dict, record_type: str) -> int:
    """The configured period (RETENTION_MONTHS = {"person": 36, ...}), else the default."""
    configured = (config.get("RETENTION_MONTHS") or {}).get(record_type)
    return int(configured) if configured is not None else RETENTION[record_type].default_months


def on_forget(record_type: str, hook: Callable[[list[str]], None]) -> None:
    """``hook(ids)`` detaches the feature's links to these records of another feature, through
    its operations (changes recorded), before that feature erases them."""
    hooks = FORGET_HOOKS.setdefault(record_type, [])
    if hook not in hooks:
        hooks.append(hook)


def forgetting(record_type: str, ids: list[str]) -> None:
    """Called by the feature that owns ``record_type`` before it erases these records."""
    for hook in FORGET_HOOKS.get(record_type, []):
        hook(ids)
