"""A record type declared once: its fields' kind, limits, choices, label and who reads them.

From a declaration come the operation's validation (read_fields, through the Checker and
its translatable reasons), the sync API's OpenAPI schemas (core.schema), a form's field
kinds and its maxlength/required attributes, the labels and the pull serializer's field
list. docs/records.md shows how to add a field.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import N_
from .validate import Checker


class Kind(StrEnum):
    TEXT = "text"  # one line: a name, a phone number
    LINES = "lines"  # several lines: a note
    CHOICE = "choice"  # one of ``choices``
    CHOICES = "choices"  # a list of ``choices``
    CODES = "codes"  # a list of codes matching ``pattern`` (language tags)
    INT = "int"  # a whole number from ``low`` to ``high``
    DATE = "date"
    PAST_DATETIME = "past_datetime"  # a moment with an offset, not in the future
    DATETIME = "datetime"  # a moment with an offset, past or future (a planned meeting)
    ID = "id"
    IDS = "ids"
    FLAG = "flag"


class Read(StrEnum):
    """Who receives a field in a pull. The rules themselves live in core.access; this says
    which rule a field follows."""

    BASIC = "basic"  # everyone who may see the record
    FULL = "full"  # only with the full profile (core.access.holds_case)
    RULED = "ruled"  # per reader, by a rule of core.access: the feature's serializer writes it
    INPUT = "input"  # a mutation's input, not kept as such on the record: never pulled


# How a form sends each kind: server/formdata.py and pwa/js/forms.js read them so.
FORM_KINDS = {Kind.TEXT: "text", Kind.LINES: "text", Kind.CHOICE: "text", Kind.CHOICES: "list",
              Kind.CODES: "list", Kind.INT: "int", Kind.DATE: "date",
              Kind.PAST_DATETIME: "datetime", Kind.DATETIME: "datetime",
              Kind.ID: "id", Kind.IDS: "list", Kind.FLAG: "bool"}

# What a field of each kind must declare: the validation has nothing to go by without it.
LIMITS = {Kind.TEXT: ("max_len",), Kind.LINES: ("max_len",), Kind.CHOICE: ("choices",),
          Kind.CHOICES: ("choices", "max_items"), Kind.CODES: ("pattern", "max_items"),
          Kind.INT: ("low", "high"), Kind.IDS: ("max_items",)}


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    label: str  # an N_ message: translated where it is shown
    required: bool = False
    max_len: int | None = None
    low: int | None = None
    high: int | None = None
    max_items: int | None = None
    choices: tuple[str, ...] = ()
    default: str | None = None  # a choice taken when none is sent
    pattern: re.Pattern[str] | None = None  # text must also match this...
    mismatch: str = N_("not one of the allowed values")  # ...or fails with this reason
    read: Read = Read.BASIC
    description: str | None = None  # for the OpenAPI document

    def __post_init__(self) -> None:
        missing = [name for name in LIMITS.get(self.kind, ()) if getattr(self, name) in (None, ())]
        if missing:
            raise TypeError(f"field {self.name} ({self.kind}) declares no {', '.join(missing)}")

    @property
    def form_kind(self) -> str:
        return FORM_KINDS[self.kind]


@dataclass(frozen=True)
class Record:
    """A record type as phones receive it in a pull: its declared fields, and the values
    its serializer computes (with their OpenAPI schemas)."""

    name: str
    fields: tuple[Field, ...]
    computed: dict[str, dict] = field(default_factory=dict)
    description: str | None = None

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def take(self, *names: str) -> tuple[Field, ...]:
        """The fields of a mutation type, in this order."""
        return tuple(self[name] for name in names)

    def pulled(self, *reads: Read) -> tuple[str, ...]:
        """The names a serializer copies as stored, for readers of these levels."""
        return tuple(f.name for f in self.fields if f.read in reads)


@dataclass(frozen=True)
class Input:
    """The fields a mutation type takes; ``partial``: only those sent are read (an edit)."""

    type: str
    summary: str
    fields: tuple[Field, ...]
    partial: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> list[str]:
        return [] if self.partial else [f.name for f in self.fields if f.required]

    def form_kinds(self, *, leave_out: Iterable[str] = ()) -> dict[str, str]:
        """What a form of this mutation sends, by name: its ``data-spec``."""
        return {f.name: f.form_kind for f in self.fields if f.name not in set(leave_out)}

    def form_rules(self, *, leave_out: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
        """The checks a phone makes before a form goes to the outbox, by name: its
        ``data-rules`` (pwa/js/forms.js gives the same reasons as the Checker)."""
        rules = {f.name: _rules(f) for f in self.fields if f.name not in set(leave_out)}
        return {name: rule for name, rule in rules.items() if rule}

    def read(self, data: dict[str, Any], *, readers: dict[str, Callable[[Checker], Any]]
             | None = None) -> tuple[dict[str, Any], Checker]:
        """Typed values of the fields (those sent, when partial) and the Checker holding
        every problem: the caller adds its own checks, then calls ``done()``. ``readers``:
        a field's own reading, such as an id looked up in the database."""
        check = Checker(data, self.names)
        readers = readers or {}
        values = {f.name: readers[f.name](check) if f.name in readers else read_field(check, f)
                  for f in self.fields if not self.partial or f.name in data}
        return values, check


def _rules(f: Field) -> dict[str, Any]:
    rule: dict[str, Any] = {"required": True} if f.required else {}
    if f.max_len is not None:
        rule["max_len"] = f.max_len
    if f.kind is Kind.INT:
        rule.update(low=f.low, high=f.high)
    if f.kind is Kind.PAST_DATETIME:
        rule["past"] = True
    if f.pattern is not None and f.kind is Kind.TEXT:
        rule.update(pattern=f.pattern.pattern, mismatch=f.mismatch)
    return rule


def read_field(check: Checker, f: Field) -> Any:
    """One field's value by its declaration (a problem is noted in ``check``)."""
    if f.kind in (Kind.TEXT, Kind.LINES):
        value = check.text(f.name, max_len=_given(f.max_len), required=f.required,
                           lines=f.kind is Kind.LINES)
        if value and f.pattern and not f.pattern.fullmatch(value):
            check.fail(f.name, f.mismatch)
        return value
    if f.kind is Kind.CODES:
        return check.codes(f.name, _given(f.pattern), max_items=_given(f.max_items),
                           reason=f.mismatch)
    return READERS[f.kind](check, f)


def _given(limit: Any) -> Any:
    """A limit Field.__post_init__ made sure of (for the type checker)."""
    if limit is None:
        raise TypeError("a declared field is missing the limit its kind needs")
    return limit


READERS: dict[Kind, Callable[[Checker, Field], Any]] = {
    Kind.CHOICE: lambda c, f: c.choice(f.name, f.choices, required=f.required, default=f.default),
    Kind.CHOICES: lambda c, f: c.choices(f.name, f.choices, max_items=_given(f.max_items)),
    Kind.INT: lambda c, f: c.integer(f.name, low=_given(f.low), high=_given(f.high)),
    Kind.DATE: lambda c, f: c.day(f.name, required=f.required),
    Kind.PAST_DATETIME: lambda c, f: c.past_datetime(f.name, required=f.required),
    Kind.DATETIME: lambda c, f: c.moment(f.name, required=f.required),
    Kind.ID: lambda c, f: c.ident(f.name, required=f.required),
    Kind.IDS: lambda c, f: c.idents(f.name, max_items=_given(f.max_items)),
    Kind.FLAG: lambda c, f: c.flag(f.name),
}

# Every declaration, registered by its feature when the feature's package is imported.
RECORDS: dict[str, Record] = {}
INPUTS: dict[str, Input] = {}


def declare(record: Record, *inputs: Input) -> Record:
    RECORDS[record.name] = record
    INPUTS.update((i.type, i) for i in inputs)
    return record


def labels(record_type: str | None = None) -> dict[str, str]:
    """Every declared field's label message by field name; of one record type when it is given,
    for a name two record types word differently (a contact's "Place (optional)", an outreach
    round's "Where")."""
    chosen = [RECORDS[record_type]] if record_type in RECORDS else RECORDS.values()
    return {f.name: f.label for record in chosen for f in record.fields}
