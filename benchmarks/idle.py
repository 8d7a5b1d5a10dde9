"""What the phone downloads: the first sync, a page view, an idle hour; and what it keeps.

Debian's Chromium (Playwright) with the demo seed (`flask seed-demo` data), the demo worker
signed in and synced once. Every response the app sends is counted at the server (a WSGI
wrapper: status line, headers and body as served, compressed as the app compresses them), so
the service worker's requests count as well as the page's.

- First sync: everything from the sign-in form to the end of the first round.
- A page view: a kept page opened after the phone has been idle (so the page runs a sync
  round), every response but the page itself, for 3 s after: the sync traffic the view
  costs, with the browser's check for a new service worker. The first view after the
  install fetches the worker's imports once into the HTTP cache; later ones find them there.
- An idle hour: an open, untouched page, its clock run 120 times faster
  (HANDVAST_TIME_SCALE, pwa/js/status.js), so 30 real seconds are an hour of its timer.
Then Cache Storage is read inside the page: the number of entries and their size, per cache.
Goals (issue 11): a page view under 5 KB, an idle hour under 20 KB; (issue 23) the data and
kept pages of the first sync in at most 10 requests and under 150 KB.
"""

import gzip
import logging
import threading

from . import common

SCALE = 120
SETTLE_MS = 3000
VIEWS = ("/people/", "/", "/contacts/new", "/people/")
PAGE_VIEW_GOAL = 5 * 1024
IDLE_HOUR_GOAL = 20 * 1024
# The demo worker's first sync, its data and kept pages (issue 23): a snapshot and a bundle.
FIRST_SYNC_REQUESTS = 10
FIRST_SYNC_GOAL = 150 * 1024

SYNCED = "() => document.documentElement.dataset.syncState === 'synced'"
# The phone's last round long ago: the next page opened runs one.
IDLE_FOR_A_WHILE = """async () => {
  const store = await import("/static/js/store.js");
  await store.setMeta("last_synced", "2000-01-01T00:00:00Z");
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
    """The app with every response counted: (path, status, header bytes, body bytes as
    served, body gzipped at level 6 when it was not compressed already)."""

    def __init__(self, app) -> None:
        self.app = app.wsgi_app
        self.lock = threading.Lock()
        self.responses: list[tuple[str, int, int, int, int]] = []

    def __call__(self, environ, start_response):
        head = {}

        def counting_start(status, headers, exc_info=None):
            head["status"] = status
            head["bytes"] = len(status) + 11 + sum(len(k) + len(v) + 4 for k, v in headers) + 2
            head["encoded"] = any(k.lower() == "content-encoding" for k, _v in headers)
            return start_response(status, headers, exc_info)

        served = self.app(environ, counting_start)
        try:
            body = b"".join(served)
        finally:
            getattr(served, "close", lambda: None)()
        packed = len(body) if head.get("encoded") else len(gzip.compress(body, 6))
        with self.lock:
            self.responses.append((environ["PATH_INFO"], int(head["status"][:3]), head["bytes"],
                                   len(body), packed))
        return [body]

    def take(self) -> list[tuple[str, int, int, int, int]]:
        with self.lock:
            taken, self.responses = self.responses, []
        return taken


def served(responses) -> int:
    return sum(head + body for _path, _status, head, body, _gz in responses)


# What a first sync fetches besides its data and kept pages: the sign-in form, the app shell
# and the pages the worker keeps at install (no case data).
NOT_SYNC = ("/login", "/sw.js", "/manifest.webmanifest", "/offline", "/i18n/messages.json",
            "/favicon.ico")


def sync_traffic(responses) -> list:
    """The responses of a first sync that are its data and kept pages: the API, the working
    set and every kept page; not the shell nor the page the sign-in opens (the first "/")."""
    out, opened = [], False
    for response in responses:
        path = response[0]
        if path in NOT_SYNC or path.startswith("/static/"):
            continue
        if path == "/" and not opened:
            opened = True
            continue
        out.append(response)
    return out


def page_view(page, counted: Counted, url: str) -> list:
    """The responses a view of ``url`` costs besides the page itself, the phone having been
    idle (so the view runs a sync round)."""
    page.evaluate(IDLE_FOR_A_WHILE)
    counted.take()
    page.goto(url)
    page.wait_for_function(SYNCED, timeout=60_000)
    page.wait_for_timeout(SETTLE_MS)  # the browser checks for a new worker soon after
    return [r for r in counted.take() if r[0] != url]


def idle_hour(context, counted: Counted) -> list:
    """The responses of an open, untouched page over an hour of its timer (run faster)."""
    context.add_init_script(f"globalThis.HANDVAST_TIME_SCALE = {SCALE}")
    page = context.new_page()
    page.goto("/")
    page.wait_for_function(SYNCED, timeout=60_000)
    page.wait_for_timeout(SETTLE_MS)
    counted.take()
    page.wait_for_timeout(3600 / SCALE * 1000)
    responses = counted.take()
    page.close()
    return responses


def run() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the request log is not a figure
    common.heading("traffic: first sync, a page view, an idle hour; Cache Storage after one sync")
    with common.sqlite_database() as url:
        app = common.make_app(url)
        counted = Counted(app)
        app.wsgi_app = counted
        with common.demo_phone(app, "worker@example.org", 300_000) as (_server, context, page):
            first = counted.take()
            kept = page.evaluate(CACHE_STORAGE)
            views = [(path, page_view(page, counted, path)) for path in VIEWS]
            page.close()
            hour = idle_hour(context, counted)
    _report(first, kept, views, hour)


def _kb(size: float) -> str:
    return f"{size / 1024:,.1f} KB"


def _summary(responses) -> str:
    statuses: dict[int, int] = {}
    for _path, status, *_sizes in responses:
        statuses[status] = statuses.get(status, 0) + 1
    return ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items()))


def _report(first, kept, views, hour) -> None:
    print(f"  sign-in and first sync: {len(first)} responses, {_kb(served(first))} as served "
          f"({_summary(first)})")
    data = sync_traffic(first)
    print(f"    of which sync data and kept pages: {len(data)} responses, {_kb(served(data))} "
          f"({_summary(data)}); goal <= {FIRST_SYNC_REQUESTS} and < {_kb(FIRST_SYNC_GOAL)}: "
          f"{common.verdict(len(data) <= FIRST_SYNC_REQUESTS and served(data) < FIRST_SYNC_GOAL)}")
    for cache in kept["caches"]:
        print(f"  Cache Storage {cache['name']:<28} {cache['entries']:>6} entries {_kb(cache['bytes']):>11}")
    print(f"  Cache Storage, all caches{'':<17} {sum(c['entries'] for c in kept['caches']):>6} entries "
          f"{_kb(sum(c['bytes'] for c in kept['caches'])):>11}")
    print(f"  IndexedDB: {kept['records']} synced records; the origin uses {_kb(kept['usage'])} in all")
    for path, responses in views:
        cost = served(responses)
        print(f"  page view {path:<16} {len(responses):>3} responses ({_summary(responses)}): "
              f"{_kb(cost):>9}  goal < {_kb(PAGE_VIEW_GOAL)}: {common.verdict(cost < PAGE_VIEW_GOAL)}")
    rounds = sum(1 for r in hour if r[0] == "/api/v1/sync/pull")
    cost = served(hour)
    print(f"  idle hour (timer x{SCALE}): {rounds} pulls, {len(hour)} responses ({_summary(hour)}): "
          f"{_kb(cost)}  goal < {_kb(IDLE_HOUR_GOAL)}: {common.verdict(cost < IDLE_HOUR_GOAL)}")
    for path, status, head, body, _gz in sorted(hour, key=lambda r: -r[2] - r[3])[:3]:
        print(f"    {path:<40} {status}  {_kb(head + body):>10}", flush=True)
