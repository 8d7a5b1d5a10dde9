"""Domain errors: what operations raise and views and the sync API translate."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    reason: str


class DomainError(Exception):
    """Base for errors a caller can act on."""


class NotFound(DomainError):
    """The record does not exist or the caller may not see it (deliberately indistinguishable)."""


class Forbidden(DomainError):
    """The caller may see the record but not do this to it."""


@dataclass
class ValidationFailed(DomainError):
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.reason}" for e in self.errors)

    @classmethod
    def single(cls, field_name: str, reason: str) -> "ValidationFailed":
        return cls([FieldError(field_name, reason)])


def N_(message: str) -> str:
    """Mark a reason for extraction; views translate it when they show it."""
    return message
