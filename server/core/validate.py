"""Field validation shared by every operation; collects all errors before raising."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from .clock import now, parse_iso_date, parse_iso_datetime
from .errors import N_, FieldError, ValidationFailed
from .ids import parse_id

# A phone clock may run a little fast; beyond this a time is "in the future".
CLOCK_SKEW = timedelta(minutes=5)


def storable(text: str) -> bool:
    """Text every database keeps as sent: no NUL (PostgreSQL refuses it) and no lone
    surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Checker:
    """Reads typed values out of an untrusted dict, remembering every problem."""

    def __init__(self, data: dict[str, Any], known: Iterable[str]):
        self.data = data
        self.errors: list[FieldError] = []
        for name in sorted(set(data) - set(known)):
            self.fail(name, N_("unknown field"))

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(FieldError(name, reason))

    def has(self, name: str) -> bool:
        return name in self.data

    def done(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)

    def text(self, name: str, *, max_len: int, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(name, N_("required"))
            return None
        if not isinstance(value, str) or not storable(value):
            self.fail(name, N_("must be text"))
            return None
        value = value.strip()
        if len(value) > max_len:
            self.fail(name, N_("too long"))
            return None
        return value

    def choice(self, name: str, allowed: Iterable[str], *, required: bool = False,
               default: str | None = None) -> str | None:
        value = self.data.get(name, default)
        if value in (None, ""):
            if required:
                self.fail(name, N_("required"))
            return default
        if not isinstance(value, str) or value not in set(allowed):
            self.fail(name, N_("not one of the allowed values"))
            return None
        return value

    def choices(self, name: str, allowed: Iterable[str], *, max_items: int = 20) -> list[str]:
        value = self.data.get(name, [])
        if value is None:
            return []
        allowed_set = set(allowed)
        if not isinstance(value, list) or len(value) > max_items:
            self.fail(name, N_("must be a list"))
            return []
        if any(not isinstance(v, str) or v not in allowed_set for v in value):
            self.fail(name, N_("not one of the allowed values"))
            return []
        return list(dict.fromkeys(value))

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        value = self.data.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, N_("must be a whole number"))
            return None
        if not low <= value <= high:
            self.fail(name, N_("out of range"))
            return None
        return value

    def past_datetime(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, N_("required"))
            return None
        parsed = parse_iso_datetime(value)
        if parsed is None:
            self.fail(name, N_("not a date and time with an offset"))
            return None
        if parsed > now() + CLOCK_SKEW:
            self.fail(name, N_("in the future"))
            return None
        if parsed.year < 2000:
            self.fail(name, N_("out of range"))
            return None
        return parsed

    def day(self, name: str, *, required: bool = False) -> date | None:
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, N_("required"))
            return None
        parsed = parse_iso_date(value)
        if parsed is None or not 2000 <= parsed.year <= 2100:
            self.fail(name, N_("not a valid date"))
            return None
        return parsed

    def ident(self, name: str, *, required: bool = False) -> str | None:
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, N_("required"))
            return None
        parsed = parse_id(value)
        if parsed is None:
            self.fail(name, N_("not found or not allowed"))
        return parsed

    def idents(self, name: str, *, max_items: int = 50) -> list[str]:
        value = self.data.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or len(value) > max_items:
            self.fail(name, N_("must be a list"))
            return []
        parsed = [parse_id(v) for v in value]
        if any(p is None for p in parsed):
            self.fail(name, N_("not found or not allowed"))
            return []
        return list(dict.fromkeys(p for p in parsed if p))
