"""What an open page costs while nobody touches it, and what the phone keeps after one sync.

Debian's Chromium (Playwright) with the demo seed (`flask seed-demo` data), the demo worker
signed in and synced once. Every response the app sends is counted at the server (a WSGI
wrapper: status line, headers and body as served, before any gzip of a proxy), so the
service worker's requests count as well as the page's.

Idle bytes: the page syncs on a timer every 30 s after a round that completed
(pwa/js/status.js), so an idle hour is 120 rounds. One round is run as the timer runs it
(syncNow), a few times, and the median is multiplied by 120; a real 60-second window of the
running timer is counted as a check. Then Cache Storage is read inside the page: the number of
entries and the size of their bodies, per cache.
"""

import gzip
import logging
import statistics
import threading

from . import common

ROUNDS = 3
TIMER_S = 30
WINDOW_S = 60

ONE_ROUND = """async () => {
  const { syncNow } = await import("/static/js/sync.js");
  return (await syncNow()).state;
}"""

CACHE_STORAGE = """async () => {
  const caches_ = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    let bytes = 0;
    const requests = await cache.keys();
    for (const request of requests) bytes += (await (await cache.match(request)).blob()).size;
    caches_.push({ name, entries: requests.length, bytes });
  }
  const { usage } = await navigator.storage.estimate();
  const { open } = await import("/static/js/store.js");
  const records = await (await open()).count("records");
  return { caches: caches_, usage, records };
}"""


class Counted:
    """The app with every response counted: (path, status, header bytes, body bytes, body
    gzipped at level 6)."""

    def __init__(self, app) -> None:
        self.app = app.wsgi_app
        self.lock = threading.Lock()
        self.responses: list[tuple[str, int, int, int, int]] = []

    def __call__(self, environ, start_response):
        head = {}

        def counting_start(status, headers, exc_info=None):
            head["status"] = status
            head["bytes"] = len(status) + 11 + sum(len(k) + len(v) + 4 for k, v in headers) + 2
            return start_response(status, headers, exc_info)

        served = self.app(environ, counting_start)
        try:
            body = b"".join(served)
        finally:
            getattr(served, "close", lambda: None)()
        with self.lock:
            self.responses.append((environ["PATH_INFO"], int(head["status"][:3]), head["bytes"],
                                   len(body), len(gzip.compress(body, 6))))
        return [body]

    def take(self) -> list[tuple[str, int, int, int, int]]:
        with self.lock:
            taken, self.responses = self.responses, []
        return taken


def _kb(size: float) -> str:
    return f"{size / 1024:,.1f} KB"


def _summary(responses) -> str:
    statuses: dict[int, int] = {}
    for _path, status, *_sizes in responses:
        statuses[status] = statuses.get(status, 0) + 1
    return ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))


def run() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the request log is not a figure
    common.heading("idle page: bytes an open page downloads per hour; Cache Storage after one sync")
    with common.sqlite_database() as url:
        app = common.make_app(url)
        counted = Counted(app)
        app.wsgi_app = counted
        with common.demo_phone(app, "worker@example.org", 300_000) as (_server, _context, page):
            first = counted.take()
            kept = page.evaluate(CACHE_STORAGE)
            rounds = []
            for _ in range(ROUNDS):
                state = page.evaluate(ONE_ROUND)
                common.check(state == "synced", f"an idle round ended {state}")
                rounds.append(counted.take())
            page.wait_for_timeout(WINDOW_S * 1000)
            window = counted.take()
    _report(first, kept, rounds, window)


def _served(responses) -> int:
    return sum(head + body for _path, _status, head, body, _gz in responses)


def _report(first, kept, rounds, window) -> None:
    print(f"  sign-in and first sync: {len(first)} responses, {_kb(_served(first))} as served "
          f"({_summary(first)})")
    for cache in kept["caches"]:
        print(f"  Cache Storage {cache['name']:<28} {cache['entries']:>6} entries {_kb(cache['bytes']):>11}")
    print(f"  Cache Storage, all caches{'':<17} {sum(c['entries'] for c in kept['caches']):>6} entries "
          f"{_kb(sum(c['bytes'] for c in kept['caches'])):>11}")
    print(f"  IndexedDB: {kept['records']} synced records; the origin uses {_kb(kept['usage'])} in all")
    last = rounds[-1]
    heads, bodies, gz = (statistics.median(sum(r[i] for r in responses) for responses in rounds)
                         for i in (2, 3, 4))
    print(f"  one idle round: {len(last)} responses ({_summary(last)}): median headers "
          f"{_kb(heads)} + bodies {_kb(bodies)} (bodies gzipped {_kb(gz)})")
    for path, status, head, body, _gz in sorted(last, key=lambda r: -r[2] - r[3])[:5]:
        print(f"    {path:<40} {status}  {_kb(head + body):>10}")
    hourly = 3600 / TIMER_S
    print(f"  idle hour = {hourly:.0f} rounds: {_kb((heads + bodies) * hourly)} as served; "
          f"{_kb((heads + gz) * hourly)} with gzipped bodies")
    rounds_seen = sum(1 for r in window if r[0] == "/api/v1/session")
    print(f"  check, the running timer over {WINDOW_S} s: {rounds_seen} rounds, {len(window)} "
          f"responses ({_summary(window)}), {_kb(_served(window))} -> "
          f"{_kb(_served(window) * 3600 / WINDOW_S)} per hour", flush=True)
