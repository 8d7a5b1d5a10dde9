"""The OpenAPI 3.1 document of the sync API: envelope, statuses, every record type."""

from collections.abc import Iterator, Mapping

from ..core import records
from ..core.schema import input_fields, pull_data

ID = {"type": "string", "format": "uuid"}
TEXT = {"type": ["string", "null"]}


class MutationTypes(Mapping):
    """Every declared mutation type as (summary, fields' schemas, required fields)."""

    def __getitem__(self, name: str) -> tuple[str, dict, list[str]]:
        declared = records.INPUTS[name]
        return declared.summary, input_fields(declared), declared.required

    def __iter__(self) -> Iterator[str]:
        return iter(records.INPUTS)

    def __len__(self) -> int:
        return len(records.INPUTS)


MUTATION_TYPES = MutationTypes()
# Paths and schemas of features' own API routes (e.g. push), added by the feature at start.
EXTRA_PATHS: dict[str, dict] = {}
EXTRA_SCHEMAS: dict[str, dict] = {}


def register(paths: dict[str, dict], schemas: dict[str, dict] | None = None) -> None:
    """A feature documents its API routes here; sync imports no feature."""
    EXTRA_PATHS.update(paths)
    EXTRA_SCHEMAS.update(schemas or {})


SERVICE_DATA = {"type": "object", "additionalProperties": False, "properties": {
    "category": {"type": "string"}, "names": {"type": "object"},
    "descriptions": {"type": "object"}, "phone": TEXT, "website": TEXT, "address": TEXT,
    "active": {"type": "boolean"}}}


def _pull_data() -> dict[str, dict]:
    """Every record type's data in a pull (every field: an undocumented one is a bug)."""
    return {**{name: pull_data(record) for name, record in records.RECORDS.items()},
            "service": SERVICE_DATA}


BIGINT = {"minimum": -(2**63), "maximum": 2**63 - 1}


def _mutation_schema(name: str, summary: str, fields: dict, required: list[str]) -> dict:
    return {
        "type": "object", "description": summary,
        "required": ["id", "type", "record_id", "fields"],
        "properties": {
            "id": {**ID, "description": "unique per mutation: the idempotency key"},
            "seq": {"type": "integer", **BIGINT, "description": "increases per client_id"},
            "type": {"const": name},
            "record_id": ID,
            "base_version": {"type": "integer", "minimum": 0},
            "recorded_at": {"type": "string", "format": "date-time"},
            "fields": {"type": "object", "properties": fields, "required": required,
                       "additionalProperties": False},
        },
    }


def _result_schema() -> dict:
    return {
        "type": "object", "required": ["id", "status", "record_id"],
        "properties": {
            "id": {"type": "string"},
            "status": {"enum": ["applied", "duplicate", "merged", "conflict", "rejected"]},
            "record_id": {"type": "string"},
            "version": {"type": "integer"},
            "conflict": {"type": "object", "required": ["fields", "conflict_id"], "properties": {
                "fields": {"type": "array", "items": {"type": "string"}},
                "conflict_id": {"type": ["string", "null"]}}},
            "errors": {"type": "array", "items": {
                "type": "object", "required": ["field", "reason"],
                "properties": {"field": {"type": "string"}, "reason": {"type": "string"}}}},
        },
    }


def _change_schema(types: list[str]) -> dict:
    """A change; its data is the record type's Data_ schema (absent on deletions)."""
    return {
        "type": "object", "required": ["type", "id", "version", "deleted"],
        "properties": {"type": {"enum": types}, "id": ID,
                       "version": {"type": "integer"}, "deleted": {"type": "boolean"},
                       "data": {"type": "object"}},
        "allOf": [{"if": {"properties": {"type": {"const": t}}},
                   "then": {"properties": {"data": {"$ref": f"#/components/schemas/Data_{t}"}}}}
                  for t in types],
    }


def _schemas() -> dict:
    pull_data = _pull_data()
    mutations = {f"Mutation_{n.replace('.', '_')}": _mutation_schema(n, *spec)
                 for n, spec in MUTATION_TYPES.items()}
    return {
        **mutations,
        "Mutation": {"oneOf": [{"$ref": f"#/components/schemas/{k}"} for k in mutations]},
        "Result": _result_schema(),
        "Error": {"type": "object", "required": ["error"],
                  "properties": {"error": {"type": "string"}, "reason": {
                      "type": ["string", "null"], "enum": ["account closed", None],
                      "description": "On a 401: the account was closed, so the phone wipes "
                                     "the case data it keeps (its outbox stays)."}}},
        **{f"Data_{t}": schema for t, schema in pull_data.items()},
        "Change": _change_schema(list(pull_data)),
        "Conflict": {"type": "object", "properties": {
            "conflict_id": ID, "record_type": {"type": "string"}, "record_id": ID,
            "field": {"type": "string"}, "mine": {}, "current": {},
            "current_version": {"type": "integer"}, "changed_by": TEXT,
            "changed_in_version": {"type": "integer"},
            "changed_at": {"type": ["string", "null"], "format": "date-time"},
            "created_at": {"type": "string", "format": "date-time"}}},
        "Session": {"type": "object", "required": ["user_id", "municipality_id", "csrf_token"],
                    "properties": {"user_id": ID, "municipality_id": ID,
                                   "csrf_token": {"type": "string"},
                                   "open_conflicts": {"type": "integer", "minimum": 0,
                                                      "description": "the caller's open "
                                                      "conflicts, for a badge"}}},
        **EXTRA_SCHEMAS,
    }


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SIGNED_IN = {
    "401": _error("Not signed in (never a redirect to the login page)"),
    "404": _error("Signed in, but without a role in any municipality"),
}


def _snapshot() -> dict:
    return {"type": "object", "required": ["changes", "next", "cursor"], "properties": {
        "changes": {"type": "array", "items": _ref("Change")},
        "next": {"type": ["string", "null"], "description": "the token of the next page"},
        "cursor": {"type": ["string", "null"], "description": "on the last page: where "
                   "the pulls go on from"}}}


def _paths() -> dict:
    push_body = {"type": "object", "required": ["client_id", "mutations"], "properties": {
        "client_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "mutations": {"type": "array", "maxItems": 500, "items": _ref("Mutation")}}}
    return {
        "/api/v1/sync/push": {"post": {
            "summary": "Apply a batch of mutations, exactly once each",
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": push_body}}},
            "responses": {
                "200": _ok("One result per mutation, in the request's order", {
                    "type": "object", "required": ["results"],
                    "properties": {"results": {"type": "array", "items": _ref("Result")}}}),
                "400": _error("Malformed JSON or envelope, or no valid CSRF token"),
                **SIGNED_IN,
                "413": _error("More than 500 mutations or 2 MiB"),
                "503": _error("Database unavailable; retry after Retry-After seconds"),
            }}},
        "/api/v1/sync/pull": {"get": {
            "summary": "Changes the user may see since the cursor",
            "parameters": [
                {"name": "cursor", "in": "query", "required": False,
                 "schema": {"type": "string", "maxLength": 100}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 500}}],
            "responses": {
                "200": _ok("Changes in commit order", {
                    "type": "object", "required": ["changes", "cursor", "more"],
                    "properties": {"changes": {"type": "array", "items": _ref("Change")},
                                   "cursor": {"type": "string"}, "more": {"type": "boolean"}}}),
                "400": _error("Not a cursor or limit of this server"),
                **SIGNED_IN,
                "410": _error("Cursor expired: drop the cache and sync from the start"),
                "503": _error("Database unavailable"),
            }}},
        "/api/v1/sync/snapshot": {"get": {
            "summary": "A first sync: every record the user may see, paged, then a pull cursor",
            "parameters": [
                {"name": "next", "in": "query", "required": False,
                 "description": "the token of the page before; none for a new snapshot",
                 "schema": {"type": "string", "maxLength": 200}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 5000, "default": 2000}}],
            "responses": {
                "200": _ok("A page of records; the last has next null and the cursor", _snapshot()),
                "202": {**_ok("What the time budget allowed; go on with next after Retry-After",
                              _snapshot()),
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
                "400": _error("Not a snapshot token or limit of this server"),
                **SIGNED_IN,
                "410": _error("Token expired: drop the cache and sync from the start"),
                "503": _error("Database unavailable"),
            }}},
        "/api/v1/sync/pages": {"post": {
            "summary": "Many kept pages of the working set in one streamed answer",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["pages"], "properties": {"pages": {
                    "type": "array", "maxItems": 500, "items": {
                        "type": "object", "required": ["url"], "properties": {
                            "url": {"type": "string", "pattern": "^/[^?]*$", "maxLength": 300},
                            "etag": {"type": "string", "maxLength": 200}}}}}}}}},
            "responses": {
                "200": {"description": "One line of JSON per page, in order ({url, status, "
                                       "headers, body} or {url, status} for a 304 or a page "
                                       "not given), then {end: true, more}: more pages are "
                                       "to be asked again when the time budget ran out",
                        "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                "400": _error("Malformed body, or no valid CSRF token"),
                **SIGNED_IN,
            }}},
        "/api/v1/sync/conflicts": {"get": {
            "summary": "The caller's open conflicts",
            "responses": {
                "200": _ok("Open conflicts", {
                    "type": "object", "required": ["conflicts"],
                    "properties": {"conflicts": {"type": "array", "items": _ref("Conflict")}}}),
                **SIGNED_IN,
            }}},
        "/api/v1/session": {"get": {
            "summary": "Who the phone syncs for, and the CSRF token for its next push",
            "responses": {"200": _ok("The signed-in session", _ref("Session")), **SIGNED_IN}}},
        "/api/v1/openapi.json": {"get": {
            "summary": "This document", "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1",
                                  "content": {"application/json": {}}}}}},
        **EXTRA_PATHS,
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "handvast sync API", "version": "1",
                 "description": "The contract of shared/SYNC.md. Sign in with the session "
                                "cookie of POST /login; send the page's CSRF token in "
                                "X-CSRFToken on every POST."},
        "components": {
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                                            "name": "session"}},
            "schemas": _schemas(),
        },
        "security": [{"session": []}],
        "paths": _paths(),
    }
