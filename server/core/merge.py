"""Per-field merge: disjoint edits merge, overlapping edits of one field conflict."""

from dataclasses import dataclass, field
from typing import Any

from .errors import N_, FieldError, ValidationFailed

# A phone or a page can only have seen versions the record has had.
AHEAD = N_("newer than the record: reload it and edit again")


@dataclass
class MergePlan:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    stale: bool = False  # base_version was behind: "merged" rather than "applied"


def base_version_error(base_version: Any) -> FieldError | None:
    """What is wrong with the shape of a base_version (None: nothing, or none given)."""
    if base_version is None:
        return None
    if isinstance(base_version, bool) or not isinstance(base_version, int) or base_version < 0:
        return FieldError("base_version", N_("must be a whole number"))
    return None


def check_base_version(base_version: int | None, version: int) -> None:
    """Refuse a base_version above the record's version: accepted, it would pass for the
    newest edit and silently overwrite every newer value."""
    if base_version is not None and base_version > version:
        raise ValidationFailed.single("base_version", AHEAD)


def plan_update(current: dict[str, Any], incoming: dict[str, Any], field_versions: dict[str, int],
                version: int, base_version: int, *, field_authors: dict[str, Any] | None = None,
                author: str | None = None) -> MergePlan:
    """Decide per field: take the edit, drop it as a no-op, or keep it as a conflict.

    A field changed after ``base_version`` by someone else loses the edit to a conflict,
    unless the edit sets the value it already has (nothing to resolve then). A newer change
    by the same author is not someone else's: two offline edits made from one page both
    carry the version that page showed, and the later one simply replaces the earlier.
    """
    check_base_version(base_version, version)
    authors = field_authors or {}
    plan = MergePlan(stale=base_version < version)
    for name, value in incoming.items():
        if current.get(name) == value:
            continue
        if field_versions.get(name, 0) > base_version and (
                author is None or authors.get(name) != author):
            plan.conflicts.append(name)
        else:
            plan.apply[name] = value
    return plan
