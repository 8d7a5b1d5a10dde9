"""A small sync client for tests: mutations shaped as shared/SYNC.md says, push and pull."""

import itertools
import json

from server.core.clock import now
from server.core.ids import new_id

from .records import contact_fields, person_fields

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"
CONFLICTS = "/api/v1/sync/conflicts"
CLIENT_ID = "7d0f3c1e-5a52-4f0e-9d64-2f1b9f6f7a10"

_seq = itertools.count(1)


def mutation(mutation_type: str, fields: dict | None = None, *, record_id: str | None = None,
             base_version: int | None = None, seq: int | None = None,
             mutation_id: str | None = None) -> dict:
    """One mutation as the phone makes it when the user presses save."""
    out = {"id": mutation_id or new_id(), "seq": next(_seq) if seq is None else seq,
           "type": mutation_type, "record_id": record_id or new_id(), "fields": fields or {},
           "recorded_at": now().isoformat()}
    if base_version is not None:
        out["base_version"] = base_version
    return out


def person_create(display_name: str = "Amina", **fields) -> dict:
    return mutation("person.create", person_fields(display_name, **fields))


def person_update(record_id: str, base_version: int, **fields) -> dict:
    return mutation("person.update", fields, record_id=record_id, base_version=base_version)


def contact_create(person_ids=(), **fields) -> dict:
    return mutation("contact.create", contact_fields(person_ids, **fields))


def push(client, *mutations: dict, client_id: str = CLIENT_ID):
    return client.post(PUSH, json={"client_id": client_id, "mutations": list(mutations)},
                       headers={"X-CSRFToken": client.csrf})


def results(client, *mutations: dict, client_id: str = CLIENT_ID) -> list[dict]:
    """Push and return the results of a 200 answer."""
    response = push(client, *mutations, client_id=client_id)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["results"]


def pull(client, cursor: str | None = None, limit: int | None = None):
    query = {}
    if cursor is not None:
        query["cursor"] = cursor
    if limit is not None:
        query["limit"] = limit
    return client.get(PULL, query_string=query)


def pull_all(client, cursor: str | None = None, limit: int | None = None,
             cache: dict | None = None) -> tuple[dict, str]:
    """Pull every page into a cache {(type, id): change}; deletions drop entries."""
    cache = {} if cache is None else cache
    for _ in range(10_000):
        response = pull(client, cursor, limit)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        body = response.get_json()
        apply_changes(cache, body["changes"])
        cursor = body["cursor"]
        if not body["more"]:
            return cache, cursor
    raise AssertionError("pull never ended")


def apply_changes(cache: dict, changes: list[dict]) -> None:
    for change in changes:
        key = (change["type"], change["id"])
        if change["deleted"]:
            cache.pop(key, None)
        else:
            cache[key] = change


def conflicts(client) -> list[dict]:
    response = client.get(CONFLICTS)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["conflicts"]


SNAPSHOT = "/api/v1/sync/snapshot"
PAGES = "/api/v1/sync/pages"


def snapshot(client, token: str | None = None, limit: int | None = None):
    query = {}
    if token is not None:
        query["next"] = token
    if limit is not None:
        query["limit"] = limit
    return client.get(SNAPSHOT, query_string=query)


def snapshot_all(client, limit: int | None = None, cache: dict | None = None,
                 token: str | None = None) -> tuple[dict, str, int]:
    """A first sync as a snapshot into a cache; returns (cache, pull cursor, requests made)."""
    cache = {} if cache is None else cache
    for made in range(1, 10_000):
        response = snapshot(client, token, limit)
        assert response.status_code in (200, 202), response.get_data(as_text=True)[:500]
        body = response.get_json()
        apply_changes(cache, body["changes"])
        if body["next"] is None:
            return cache, body["cursor"], made
        token = body["next"]
    raise AssertionError("snapshot never ended")


def page_bundle(client, *pages: tuple[str, str | None] | str) -> dict[str, dict]:
    """The kept pages' bundle, as {url: line}, from a 200 answer that ended whole."""
    listed = [{"url": p} if isinstance(p, str) else {"url": p[0], "etag": p[1]} for p in pages]
    response = client.post(PAGES, json={"pages": listed}, headers={"X-CSRFToken": client.csrf})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines[-1] == {"end": True, "more": False}
    return {line["url"]: line for line in lines[:-1]}
