"""The push API: the VAPID public key, and a device's subscription added or removed."""

import json

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from ..core.clock import now
from ..core.errors import ValidationFailed
from ..web import actor
from . import keys, operations, subscriptions

bp = Blueprint("push", __name__, url_prefix="/api/v1/push", template_folder="templates")
MAX_BODY = 8 * 1024


def _body():
    """The JSON body, or an error answer (400 malformed, 413 too large)."""
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return None, (jsonify(error="request larger than 8 KiB"), 413)
    try:
        return json.loads(raw), None
    except (ValueError, RecursionError):
        return None, (jsonify(error="malformed JSON"), 400)


@bp.get("/vapid-public-key")
def vapid_public_key():
    actor()
    try:
        vapid = keys.load(current_app)
    except keys.NoKeys:
        return jsonify(error="web push is not set up on this server"), 503
    return jsonify(public_key=keys.public_key(vapid))


@bp.route("/subscriptions", methods=["POST", "DELETE"])
def subscriptions_of_this_device():
    actor()
    return subscribe() if request.method == "POST" else unsubscribe()


def subscribe():
    body, error = _body()
    if error:
        return error
    config = current_app.config
    try:
        subscription = subscriptions.read(body, *subscriptions.allowed(config))
        created = operations.subscribe(current_user.id, subscription, now(),
                                       config["PUSH_MAX_DEVICES"])
    except ValidationFailed as exc:
        return jsonify(error="subscription refused",
                       errors=[{"field": e.field, "reason": e.reason} for e in exc.errors]), 422
    return jsonify(endpoint=subscription.endpoint), 201 if created else 200


def unsubscribe():
    body, error = _body()
    if error:
        return error
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if (not isinstance(endpoint, str) or not endpoint or len(endpoint) > subscriptions.MAX_ENDPOINT
            or not endpoint.isprintable()):
        return jsonify(error="subscription refused",
                       errors=[{"field": "endpoint", "reason": "is required"}]), 422
    operations.unsubscribe(current_user.id, endpoint)
    return "", 204
