"""The push routes in the OpenAPI document (registered with server/sync/openapi.py)."""

B64URL = {"type": "string", "pattern": "^[A-Za-z0-9_-]+={0,2}$"}
ERROR = {"$ref": "#/components/schemas/Error"}
REFUSED = {"type": "object", "required": ["error", "errors"], "properties": {
    "error": {"type": "string"},
    "errors": {"type": "array", "items": {
        "type": "object", "required": ["field", "reason"],
        "properties": {"field": {"type": "string"}, "reason": {"type": "string"}}}}}}
SUBSCRIPTION = {
    "type": "object", "required": ["endpoint", "keys"],
    "description": "PushSubscription.toJSON() of the browser. The endpoint must be https on a "
                   "known push service (configurable, PUSH_SERVICES): FCM, Mozilla, Apple, "
                   "Windows (*.notify.windows.com); IP addresses and other hosts are refused.",
    "properties": {
        "endpoint": {"type": "string", "format": "uri", "maxLength": 1024},
        "expirationTime": {"type": ["number", "null"]},
        "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
            "p256dh": {**B64URL, "description": "P-256 public key, uncompressed point"},
            "auth": {**B64URL, "description": "16-byte authentication secret"}}}},
}
SIGNED_IN = {
    "401": {"description": "Not signed in", "content": {"application/json": {"schema": ERROR}}},
    "404": {"description": "Signed in, but without a role in any municipality",
            "content": {"application/json": {"schema": ERROR}}},
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


PATHS = {
    "/api/v1/push/vapid-public-key": {"get": {
        "summary": "The key browsers subscribe with (applicationServerKey)",
        "responses": {
            "200": _json("The VAPID public key, base64url", {
                "type": "object", "required": ["public_key"],
                "properties": {"public_key": B64URL}}),
            **SIGNED_IN,
            "503": _json("Web push is not set up on this server", ERROR),
        }}},
    "/api/v1/push/subscriptions": {
        "post": {
            "summary": "Reminders on this device: keep its push subscription for the user",
            "requestBody": _body({"$ref": "#/components/schemas/PushSubscription"}),
            "responses": {
                "201": _json("Subscribed", {"type": "object", "required": ["endpoint"],
                                            "properties": {"endpoint": {"type": "string"}}}),
                "200": _json("Already subscribed: refreshed (and now this user's)",
                             {"type": "object", "required": ["endpoint"],
                              "properties": {"endpoint": {"type": "string"}}}),
                "400": _json("Malformed JSON, or no valid CSRF token", ERROR),
                **SIGNED_IN,
                "413": _json("Larger than 8 KiB", ERROR),
                "422": _json("Refused, with the reason per field", REFUSED),
            }},
        "delete": {
            "summary": "No more reminders on this device",
            "requestBody": _body({"type": "object", "required": ["endpoint"], "properties": {
                "endpoint": {"type": "string", "maxLength": 1024}}}),
            "responses": {
                "204": {"description": "Removed (or there was nothing to remove)"},
                "400": _json("Malformed JSON, or no valid CSRF token", ERROR),
                **SIGNED_IN,
                "413": _json("Larger than 8 KiB", ERROR),
                "422": _json("No endpoint", REFUSED),
            }},
    },
}
SCHEMAS = {"PushSubscription": SUBSCRIPTION}
