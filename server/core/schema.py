"""JSON Schema (OpenAPI 3.1) of declared fields: the limits the validation applies, as such."""

from typing import Any

from .records import Field, Input, Kind, Read, Record

UUID = {"type": "string", "format": "uuid"}
SHAPES: dict[Kind, Any] = {
    Kind.TEXT: lambda f: {"type": "string", "maxLength": f.max_len},
    Kind.LINES: lambda f: {"type": "string", "maxLength": f.max_len},
    Kind.CODES: lambda f: {"type": "array", "maxItems": f.max_items, "items": {"type": "string"}},
    Kind.INT: lambda f: {"type": "integer", "minimum": f.low, "maximum": f.high},
    Kind.DATE: lambda f: {"type": "string", "format": "date"},
    Kind.PAST_DATETIME: lambda f: {"type": "string", "format": "date-time"},
    Kind.DATETIME: lambda f: {"type": "string", "format": "date-time"},
    Kind.ID: lambda f: dict(UUID),
}


def field_schema(f: Field) -> dict[str, Any]:
    if f.kind is Kind.CHOICE:
        schema: dict[str, Any] = {"enum": [*f.choices] if f.required or f.default
                                  else [*f.choices, None]}
    elif f.kind is Kind.CHOICES:
        schema = {"type": "array", "items": {"enum": [*f.choices]}, "maxItems": f.max_items}
    elif f.kind is Kind.IDS:
        schema = {"type": "array", "items": UUID, "maxItems": f.max_items}
    elif f.kind is Kind.FLAG:
        schema = {"type": "boolean"}
    elif f.required:
        schema = SHAPES[f.kind](f)
        if f.kind in (Kind.TEXT, Kind.LINES):
            schema["minLength"] = 1
    else:
        schema = SHAPES[f.kind](f)
        schema["type"] = [schema["type"], "null"]
    return {**schema, "description": f.description} if f.description else schema


def input_fields(declared: Input) -> dict[str, Any]:
    """The schema of each field a mutation type takes, by name."""
    return {f.name: field_schema(f) for f in declared.fields}


def pull_data(record: Record) -> dict[str, Any]:
    """A record's data in a pull: every field but a mutation's input, and what the
    serializer computes. An undocumented field is a bug, so no other property is allowed."""
    properties = {f.name: field_schema(f) for f in record.fields if f.read is not Read.INPUT}
    schema = {"type": "object", "properties": {**properties, **record.computed},
              "additionalProperties": False}
    return {**schema, "description": record.description} if record.description else schema
