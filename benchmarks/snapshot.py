"""The first sync of a worker whose team caseload is 300 people with 31 contacts each (issue
23): the records as a snapshot (GET /api/v1/sync/snapshot) and the kept pages in bundles
(POST /api/v1/sync/pages), counted as served (gzipped as the app sends them) and timed.

The kept pages are the ones pwa/js/pages.js plans for such a phone: the working set's pages,
each person's two pages, and the contacts of the last 14 days (the contacts here are spread
over 270 days, about the share of recent ones the issue measured; no open follow-ups).
Goals: at most 20 requests and 1 MB for the whole working set.
"""

import gzip
import json
import time
from datetime import UTC, datetime, timedelta

import brotli

from . import common

PEOPLE = 300
CONTACTS_EACH = 31
RECENT = timedelta(days=14)
SPREAD_DAYS = 270
GOAL_REQUESTS = 20
GOAL_BYTES = 1024 * 1024
# As a phone asks over HTTPS (br), and as a browser over plain HTTP (gzip; the browser tests).
ENCODINGS = ("gzip, deflate, br", "gzip, deflate")


def _new_id() -> str:
    from server.core.ids import new_id

    return new_id()


def _push(client, mutations: list[dict]) -> None:
    for start in range(0, len(mutations), 500):
        body = json.dumps({"client_id": "benchmark-phone", "mutations": mutations[start:start + 500]})
        response = client.post("/api/v1/sync/push", data=body, content_type="application/json",
                               headers={"X-CSRFToken": client.csrf})
        results = response.get_json()["results"]
        common.check(all(r["status"] == "applied" for r in results), f"push: {results[:1]}")


def _caseload(client, world: common.World) -> list[tuple[str, datetime]]:
    """The caseload pushed as the phone would; returns (contact id, occurred_at)."""
    people = [{"id": _new_id(), "seq": i, "type": "person.create", "record_id": _new_id(),
               "fields": {"display_name": f"Persoon {i}", "languages": ["ar", "nl"]}}
              for i in range(PEOPLE)]
    _push(client, people)
    now = datetime.now(UTC).astimezone().replace(microsecond=0)
    contacts, seq = [], PEOPLE
    for i in range(PEOPLE * CONTACTS_EACH):
        seq += 1
        occurred = now - timedelta(hours=1 + (i * SPREAD_DAYS * 24) // (PEOPLE * CONTACTS_EACH))
        contacts.append({"id": _new_id(), "seq": seq, "type": "contact.create",
                         "record_id": _new_id(), "fields": {
                             "occurred_at": occurred.isoformat(), "channel": "home_visit",
                             "domains": ["education"], "duration_minutes": 20,
                             "person_ids": [people[i % PEOPLE]["record_id"]],
                             "note": f"Bezoek {i}: gesproken over school en taalles.",
                             "note_visibility": "team"}})
    _push(client, contacts)
    return [(c["record_id"], datetime.fromisoformat(c["fields"]["occurred_at"])) for c in contacts]


def _served(response) -> int:
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 20
    return head + len(response.get_data())


def _snapshot(client, encoding: str) -> tuple[int, int, list[dict]]:
    requests, served, records, token = 0, 0, [], None
    while True:
        response = client.get("/api/v1/sync/snapshot", query_string={"next": token} if token else {},
                              headers={"Accept-Encoding": encoding})
        requests += 1
        served += _served(response)
        common.check(response.status_code in (200, 202), f"snapshot answered {response.status_code}")
        body = json.loads(_gunzip(response))
        records += body["changes"]
        if not body["next"]:
            pull = client.get("/api/v1/sync/pull", query_string={"cursor": body["cursor"]},
                              headers={"Accept-Encoding": encoding})
            return requests + 1, served + _served(pull), records
        token = body["next"]


def _gunzip(response) -> bytes:
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(data)
    return gzip.decompress(data) if encoding == "gzip" else data


def _bundles(client, urls: list[str], encoding: str) -> tuple[int, int, int]:
    requests, served, pages = 0, 0, 0
    while urls:
        response = client.post("/api/v1/sync/pages", json={"pages": [{"url": u} for u in urls[:500]]},
                               headers={"X-CSRFToken": client.csrf, "Accept-Encoding": encoding})
        requests += 1
        served += _served(response)
        lines = [json.loads(line) for line in _gunzip(response).decode().splitlines()]
        answered = {line["url"] for line in lines if "url" in line}
        pages += sum(1 for line in lines if line.get("status") == 200)
        urls = [u for u in urls if u not in answered]
    return requests, served, pages


def run_backend(backend: str) -> None:
    with common.database(backend) as url:
        app = common.make_app(url)
        try:
            world = common.build_world(app)
            client = common.sign_in(app, world.worker_email)
            contacts = _caseload(client, world)
            for encoding in ENCODINGS:
                _first_sync(common.sign_in(app, world.worker_email), contacts, backend, encoding)
        finally:
            common.dispose(app)


def _first_sync(client, contacts: list[tuple[str, datetime]], backend: str, encoding: str) -> None:
    label = f"[{backend}, {'br' if 'br' in encoding else 'gzip'}]"
    started = time.perf_counter()
    snap_requests, snap_bytes, records = _snapshot(client, encoding)
    snap_seconds = time.perf_counter() - started
    kept = client.get("/working-set.json").get_json()
    cutoff = datetime.now(UTC) - RECENT
    urls = [p["url"] for p in kept["pages"]]
    people = [r["id"] for r in records if r["type"] == "person"]
    urls += [t.replace("{id}", i) for i in people for t in kept["records"]["person"]]
    urls += [f"/contacts/{i}" for i, at in contacts if at > cutoff]
    started = time.perf_counter()
    page_requests, page_bytes, pages = _bundles(client, urls, encoding)
    page_seconds = time.perf_counter() - started
    total_requests, total = snap_requests + 1 + page_requests, snap_bytes + page_bytes
    print(f"  {label} snapshot of {len(records)} records and the pull after it: "
          f"{snap_requests} requests, {snap_bytes / 1024:,.0f} KB, {snap_seconds:.1f} s", flush=True)
    print(f"  {label} {pages} kept pages in bundles: {page_requests} requests, "
          f"{page_bytes / 1024:,.0f} KB, {page_seconds:.1f} s", flush=True)
    ok = total_requests <= GOAL_REQUESTS and total <= GOAL_BYTES
    print(f"  {label} with the working set: {total_requests} requests, {total / 1024:,.0f} KB; "
          f"goal <= {GOAL_REQUESTS} and <= 1 MB: {common.verdict(ok)}", flush=True)


def run(backends: tuple[str, ...]) -> None:
    common.heading(f"first sync of a {PEOPLE}-person caseload ({CONTACTS_EACH} contacts each)")
    common.each_backend(backends, run_backend)
