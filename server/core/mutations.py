"""The unit of every write: a mutation as the sync contract describes it."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import FieldError


@dataclass(frozen=True)
class Mutation:
    id: str
    type: str
    record_id: str
    fields: dict[str, Any]
    base_version: int | None = None
    seq: int | None = None
    recorded_at: datetime | None = None

    @property
    def record_type(self) -> str:
        return self.type.split(".", 1)[0]


@dataclass
class Outcome:
    """What an operation did: the record's new version and any fields that lost."""

    record_id: str
    version: int
    municipality_id: str
    conflict_fields: list[str] = field(default_factory=list)
    conflict_id: str | None = None
    merged: bool = False


@dataclass
class Result:
    """One entry of a push response."""

    id: str
    status: str
    record_id: str
    version: int | None = None
    conflict: dict[str, Any] | None = None
    errors: list[FieldError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "record_id": self.record_id}
        if self.version is not None:
            out["version"] = self.version
        if self.conflict is not None:
            out["conflict"] = self.conflict
        if self.errors:
            out["errors"] = [{"field": e.field, "reason": e.reason} for e in self.errors]
        return out
