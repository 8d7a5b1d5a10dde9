"""Field validation shared by every operation; collects all errors before raising."""

import re
import unicodedata
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


# Digits a person may type for a whole number: ASCII, Arabic-Indic (٠-٩) and Persian (۰-۹).
# Nothing else: no sign, exponent, space, superscript ("²") or other script's digits.
TYPED_NUMBER = re.compile("[0-9\u0660-\u0669\u06f0-\u06f9]+")
# What a program writes (a query string of the sync API, a cursor): ASCII digits.
WRITTEN_NUMBER = re.compile("[0-9]+")

# Bidi embeddings, overrides and isolates: text that shows in another order than it is.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# In a single line also: zero-width space, non-joiner and joiner, word joiner, byte-order
# mark, direction marks and line separators (the makings of look-alike names), and controls.
NOT_IN_A_LINE = re.compile(
    f"[\\x00-\\x1f\\x7f-\\x9f\u061c\u200b-\u200f\u2028\u2029\u2060\ufeff{BIDI_CONTROLS}]")
# In several lines: the bidi controls, the byte-order mark and controls but line breaks and tabs.
NOT_IN_LINES = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\ufeff{BIDI_CONTROLS}]")


def whole_number(text: str, *, max_digits: int = 9, typed: bool = True) -> int | None:
    """The one reading of a whole number in text: its value, or None when it is not one.
    ``typed``: by a person, in a form (pwa/js/forms.js reads it the same way); else written
    by a program, such as a sync client's query string."""
    pattern = TYPED_NUMBER if typed else WRITTEN_NUMBER
    if len(text) > max_digits or not pattern.fullmatch(text):
        return None
    return int(text)


def clean_line(text: str) -> str:
    """A single-line field as it is stored and compared, from a form or a phone alike: NFC,
    without controls, zero-width or bidi-control characters, trimmed ("Ami<U+200B>na" is
    "Amina")."""
    return NOT_IN_A_LINE.sub("", unicodedata.normalize("NFC", text)).strip()


def clean_text(text: str) -> str:
    """A multi-line field (a note): like clean_line, but it keeps line breaks, tabs and the
    zero-width joiners that Persian and Arabic writing needs inside words."""
    return NOT_IN_LINES.sub("", unicodedata.normalize("NFC", text)).strip()

# Alphabets with letters that look alike ("А" Cyrillic, "A" Latin, "Α" Greek).
CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


def mixes_alphabets(text: str) -> bool:
    """A word written in two look-alike alphabets at once: "Аmina" with a Cyrillic А.
    Words in different alphabets side by side ("Оксана Oksana") are fine."""
    for word in re.split(r"[\s\-']+", text):
        scripts = {unicodedata.name(ch, "").split(" ", 1)[0] for ch in word if ch.isalpha()}
        if len(scripts & CONFUSABLE_SCRIPTS) > 1:
            return True
    return False


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

    def text(self, name: str, *, max_len: int, required: bool = False,
             lines: bool = False) -> str | None:
        """Text of one line (a name, a phone number), or of several with ``lines``."""
        value = self.data.get(name)
        if value is not None and not (isinstance(value, str) and storable(value)):
            self.fail(name, N_("must be text"))
            return None
        value = (clean_text if lines else clean_line)(value) if value is not None else ""
        if not value:
            if required:
                self.fail(name, N_("required"))
            return None
        if len(value) > max_len:
            self.fail(name, N_("too long"))
            return None
        if not lines and mixes_alphabets(value):
            self.fail(name, N_("mixes alphabets within a word"))
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

    def codes(self, name: str, pattern: re.Pattern[str], *, max_items: int,
              reason: str) -> list[str]:
        """A list of codes of one form, such as language tags."""
        value = self.data.get(name, [])
        if value is None:
            return []
        if (not isinstance(value, list) or len(value) > max_items
                or any(not isinstance(v, str) or not pattern.fullmatch(v) for v in value)):
            self.fail(name, reason)
            return []
        return list(dict.fromkeys(value))

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, N_("must be true or false"))
            return False
        return value

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

    def _with_offset(self, name: str, required: bool) -> datetime | None:
        """The field read as an ISO 8601 date and time with an offset, or why not."""
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                self.fail(name, N_("required"))
            return None
        parsed = parse_iso_datetime(value)
        if parsed is None:
            self.fail(name, N_("not a date and time with an offset"))
        return parsed

    def past_datetime(self, name: str, *, required: bool = False) -> datetime | None:
        parsed = self._with_offset(name, required)
        if parsed is None:
            return None
        if parsed > now() + CLOCK_SKEW:
            self.fail(name, N_("in the future"))
            return None
        if parsed.year < 2000:
            self.fail(name, N_("out of range"))
            return None
        return parsed

    def moment(self, name: str, *, required: bool = False) -> datetime | None:
        """A date and time with an offset, past or future (years 2000 to 2100)."""
        parsed = self._with_offset(name, required)
        if parsed is None:
            return None
        if not 2000 <= parsed.year <= 2100:
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
