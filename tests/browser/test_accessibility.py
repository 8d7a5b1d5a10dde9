"""axe-core on every page of every demo role: home, "more", the bottom bar and every link
reachable from them, record pages included (at most two of each kind). Every page answers
200 — nothing is offered that the role cannot open — and axe finds no violation."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import sign_in_page

pytestmark = pytest.mark.browser

ROLES = ["admin", "coordinator", "worker", "volunteer", "buddy", "officer", "worker.vilvoorde"]
SKIP = re.compile(r"^/(static/|login|logout|i18n/|sw\.js|manifest|api/|health)"
                  r"|\.(csv|ics|json|xlsx|svg)$")  # downloads and images are not pages
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PER_KIND = 1  # pages of one kind (/people/<id>, /referrals/new?service=<id>, …) per role
AXE = Axe()

LINKS = """() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))"""


def _crawl(page, origin: str, checked: set[str]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Every page reachable for this user; axe runs on home and "more" (they differ per role)
    and on each kind of page the first time any role reaches it (``checked``), to keep the
    crawl near a minute: the same template for another role is loaded (it must answer 200)
    but not analysed again."""
    queue, seen, kinds = ["/", "/more"], set(), {}
    found: dict[str, list[str]] = {}
    failed: dict[str, int] = {}
    while queue:
        path = queue.pop(0)
        kind = ID.sub(":id", path)
        if path in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = page.goto(path, wait_until="domcontentloaded")
        if response.status != 200:
            failed[path] = response.status
            continue
        if path in ("/", "/more") or kind not in checked:
            checked.add(kind)
            results = AXE.run(page)
        else:
            results = None
        if results and results.violations_count:
            found[path] = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
                           f"{v['nodes'][0]['target']})" for v in results.response["violations"]]
        for href in page.evaluate(LINKS):
            url = urlsplit(urljoin(origin + path, href))
            if url.netloc != urlsplit(origin).netloc or SKIP.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return found, failed


def test_every_page_of_every_role_passes_axe(app, browser, live_server):
    from server.demo.seed import DEMO_PASSWORD, seed

    with app.app_context():
        seed()
    violations, not_found, checked = {}, {}, set()
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, locale="en-BE",
                                      viewport={"width": 360, "height": 740},
                                      service_workers="block")
        # The crawl reads pages; the phone's background sync (pull, keeping pages) would only
        # add load to the same server.
        context.route("**/api/v1/sync/**", lambda route: route.abort())
        page = context.new_page()
        sign_in_page(page, f"{role}@example.org", DEMO_PASSWORD)
        found, failed = _crawl(page, live_server.url, checked)
        violations.update({f"{role} {path}": v for path, v in found.items()})
        not_found.update({f"{role} {path}": status for path, status in failed.items()})
        context.close()
    assert not not_found, f"pages offered that do not open: {not_found}"
    assert not violations, "\n".join(f"{where}: {v}" for where, v in violations.items())
