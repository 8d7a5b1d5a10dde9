"""GET /api/v1/indicators in the OpenAPI document (registered with server/sync/openapi.py)."""

ERROR = {"$ref": "#/components/schemas/Error"}
NULLABLE_NUMBER = {"type": ["number", "null"]}
INDICATOR = {
    "type": "object",
    "required": ["id", "label", "numerator", "denominator", "value", "unit", "period",
                 "suppressed"],
    "properties": {
        "id": {"type": "string"},
        "label": {"type": "string", "description": "In the reader's language"},
        "numerator": {"type": ["integer", "null"]},
        "denominator": {"type": ["integer", "null"],
                        "description": "Only for a share; null for a count"},
        "value": {**NULLABLE_NUMBER,
                  "description": "numerator / denominator for a share, the count otherwise"},
        "unit": {"type": "string", "enum": ["people", "households", "contacts", "referrals",
                                            "pairs", "sessions", "minutes", "gatherings",
                                            "attendances", "signals"]},
        "period": {"type": "string"},
        "suppressed": {"type": "boolean", "description": "A count from 1 to 4 (or one that "
                       "would give it away): numerator, denominator and value are null"},
    },
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PATHS = {
    "/api/v1/indicators": {"get": {
        "summary": "The municipality's indicators for a period, small counts suppressed "
                   "(coordinators of the current municipality only)",
        "parameters": [{"name": "period", "in": "query", "required": False,
                        "description": "A quarter (2026-Q4) or a month (2026-11); "
                                       "by default the current quarter",
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-(Q[1-4]|[0-9]{2})$"}}],
        "responses": {
            "200": _json("One entry per indicator", {"type": "array",
                                                      "items": {"$ref": "#/components/schemas/Indicator"}}),
            "400": _json("Not a period", ERROR),
            "401": _json("Not signed in", ERROR),
            "404": _json("Not a coordinator of the current municipality", ERROR),
        }}},
}
SCHEMAS = {"Indicator": INDICATOR}
