"""Form posts to mutation fields, by a small spec of field kinds.

The same kinds are written on the inputs as ``data-kind`` so that the phone's script
(pwa/js/forms.js) turns an offline form into the very same mutation.
"""

import json
from datetime import datetime
from typing import Any

from werkzeug.datastructures import MultiDict

from .core.clock import LOCAL_TZ
from .core.validate import whole_number


def _datetime_local(value: str) -> str | None:
    """A datetime-local value is Brussels wall time; the contract wants an offset."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value  # passed on, refused by validation with a clear reason
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed.isoformat()


def _int(value: str) -> int | str:
    """Not a whole number: passed on as typed, refused by validation with a reason."""
    number = whole_number(value)
    return value if number is None else number


READERS = {
    "text": lambda form, name: form.get(name, "").strip() or None,
    "id": lambda form, name: form.get(name, "").strip() or None,
    "date": lambda form, name: form.get(name, "").strip() or None,
    "int": lambda form, name: _int(v) if (v := form.get(name, "").strip()) else None,
    "datetime": lambda form, name: _datetime_local(v) if (v := form.get(name, "").strip()) else None,
    "list": lambda form, name: [v for v in form.getlist(name) if v],
    "bool": lambda form, name: form.get(name) in ("on", "true", "1"),
}


def fields_from_form(form: MultiDict, spec: dict[str, str]) -> dict[str, Any]:
    """Every field of the spec, read by its kind."""
    return {name: READERS[kind](form, name) for name, kind in spec.items()}


def changed_fields(form: MultiDict, spec: dict[str, str]) -> dict[str, Any]:
    """Only what the user changed against the values the form was drawn with, so that an
    untouched field never overwrites (or conflicts with) someone else's newer edit."""
    fields = fields_from_form(form, spec)
    try:
        original = json.loads(form.get("original", "{}"))
    except ValueError:
        original = {}
    if not isinstance(original, dict):
        original = {}
    return {k: v for k, v in fields.items() if k not in original or not _same(original[k], v)}


def _same(before: Any, after: Any) -> bool:
    """A list is a set here: the same languages in another order are no change."""
    if isinstance(before, list) and isinstance(after, list):
        return sorted(map(str, before)) == sorted(map(str, after))
    return before == after


def original_json(values: dict[str, Any], spec: dict[str, str]) -> str:
    """The values a form is drawn with, in the shape fields_from_form reads them back."""
    out: dict[str, Any] = {}
    for name, kind in spec.items():
        value = values.get(name)
        if kind == "list":
            out[name] = list(value or [])
        elif kind == "bool":
            out[name] = bool(value)
        elif hasattr(value, "isoformat"):
            out[name] = value.isoformat()
        else:
            out[name] = value if value not in ("",) else None
    return json.dumps(out, separators=(",", ":"))
