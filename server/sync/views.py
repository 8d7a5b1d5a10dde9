"""The sync API of shared/SYNC.md: push, pull, conflicts, and its OpenAPI document."""

import json

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user

from ..core.validate import whole_number
from ..web import actor
from . import batch, conflicts, openapi, snapshot
from .pull import BadCursor, CursorGone, pull

bp = Blueprint("sync", __name__, url_prefix="/api/v1")


def _error(status: int, message: str, **headers: str):
    response = jsonify(error=message)
    response.status_code = status
    response.headers.update(headers)
    return response


def _read_body(limit: int) -> bytes | None:
    if request.content_length is not None and request.content_length > limit:
        return None
    data = request.stream.read(limit + 1)
    return None if len(data) > limit else data


@bp.post("/sync/push")
def push():
    current = actor()
    config = current_app.config
    raw = _read_body(config["SYNC_MAX_BYTES"])
    if raw is None:
        return _error(413, "request larger than 2 MiB")
    try:
        client_id, items = batch.parse(json.loads(raw), config["SYNC_MAX_MUTATIONS"])
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        return _error(400, str(exc) if isinstance(exc, batch.BadEnvelope) else "malformed JSON")
    except OverflowError:
        return _error(413, f"more than {config['SYNC_MAX_MUTATIONS']} mutations")
    results = batch.apply_batch(current, client_id, items)  # committed once, as every request
    return jsonify(results=[r.as_json() for r in results])


@bp.get("/sync/pull")
def pull_changes():
    current = actor()
    limit = whole_number(request.args.get("limit", "500"), max_digits=4, typed=False)
    if limit is None or not 1 <= limit <= 1000:
        return _error(400, "limit must be a whole number from 1 to 1000")
    try:
        body = pull(current, current_user.sync_epoch, request.args.get("cursor"), limit)
    except BadCursor:
        return _error(400, "not a cursor of this server")
    except CursorGone:
        return _error(410, "cursor expired: drop the cache and sync from the start")
    return jsonify(body)


@bp.get("/sync/snapshot")
def snapshot_page():
    """The first sync in a few requests: a page of records, then ``next``, at last ``cursor``."""
    current = actor()
    limit = snapshot.read_limit(request.args.get("limit", "2000"))
    if limit is None:
        return _error(400, "limit must be a whole number from 1 to 5000")
    budget = current_app.config["SYNC_SNAPSHOT_SECONDS"]
    try:
        body, out_of_time = snapshot.snapshot(current, current_user.sync_epoch,
                                              request.args.get("next"), limit, budget)
    except BadCursor:
        return _error(400, "not a snapshot token of this server")
    except CursorGone:
        return _error(410, "snapshot expired: drop the cache and sync from the start")
    response = jsonify(body)
    if out_of_time:  # what was read so far; the rest after a pause, with the token
        response.status_code = 202
        response.headers["Retry-After"] = "1"
    return response


@bp.get("/sync/conflicts")
def list_conflicts():
    return jsonify(conflicts=conflicts.open_for(actor()))


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())
