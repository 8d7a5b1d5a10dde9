"""Per-field merge: disjoint edits merge, overlapping edits of one field conflict."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class MergePlan:
    apply: dict[str, Any] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    stale: bool = False  # base_version was behind: "merged" rather than "applied"


def plan_update(current: dict[str, Any], incoming: dict[str, Any], field_versions: dict[str, int],
                version: int, base_version: int, *, field_authors: dict[str, Any] | None = None,
                author: str | None = None) -> MergePlan:
    """Decide per field: take the edit, drop it as a no-op, or keep it as a conflict.

    A field changed after ``base_version`` by someone else loses the edit to a conflict,
    unless the edit sets the value it already has (nothing to resolve then). A newer change
    by the same author is not someone else's: two offline edits made from one page both
    carry the version that page showed, and the later one simply replaces the earlier.
    """
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
