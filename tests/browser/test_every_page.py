"""Every page of every demo role, in one crawl: from home, "more" and the links on them (record
pages included, at most two of each kind), each page answers 200 — nothing is offered that
the role cannot open —, none breaks the strict Content-Security-Policy or logs a script
error, and axe-core finds no accessibility violation. A few pages outside the links (another
person's export, the audit log) are opened as well: they may refuse the role (403, 404), but
their answer, too, keeps to the policy. Then each kind of page the role reached is opened in
all six languages and must fit the screen at 360 px and at 1,280 px: nothing wider than the
window, no table that needs scrolling on a desktop, no form control whose text is invisible
against its own background (axe leaves a select's text out of its contrast check)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from server.extensions import db
from server.people.models import Person

from .conftest import misfits, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_catalogs")]

ROLES = ["admin", "coordinator", "worker", "volunteer", "buddy", "officer", "worker.vilvoorde"]
SKIP = re.compile(r"^/(static/|login|logout|i18n/|sw\.js|manifest|api/|health)"
                  r"|\.(csv|ics|json|xlsx|svg)$")  # downloads and images are not pages
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PER_KIND = 2  # pages of one kind (/people/<id>, /referrals/new?service=<id>, …) per role
AXE = Axe()
# The phone's background work (pull, keeping pages) only adds load to a crawl of pages.
BACKGROUND = ("/api/v1/sync/", "/working-set.json")

LANGUAGES = ["en", "nl", "fr", "tr", "uk", "ar"]
WIDTHS = (360, 1280)

LINKS = """() => [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))"""
# Runs before any page script: CSP reports itself as this event.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


class Findings:
    def __init__(self) -> None:
        self.refused: dict[str, int] = {}
        self.policy: list[str] = []
        self.axe: dict[str, list[str]] = {}
        self.analysed: set[str] = set()  # kinds of page axe has analysed, for any role
        self.misfits: list[str] = []
        self.fitted: set[str] = set()  # kinds of page measured in every language, for any role
        self.fitting: list[str] = []  # this role's pages to measure

    def to_fit(self, path: str, kind: str) -> None:
        """Home and "more" for each role, every other kind of page once (as for axe)."""
        if path in ("/", "/more") or kind not in self.fitted:
            self.fitted.add(kind)
            self.fitting.append(path)

    def axe_on(self, page, where: str, kind: str, always: bool) -> None:
        """axe on home and "more" (they differ per role) and on each kind of page the first
        time any role reaches it: the same template for another role is loaded (it must answer
        200 and keep to the policy) but not analysed again."""
        if not always and kind in self.analysed:
            return
        self.analysed.add(kind)
        results = AXE.run(page)
        if results.violations_count:
            self.axe[where] = [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. "
                               f"{v['nodes'][0]['target']})" for v in results.response["violations"]]


def _crawl(page, role: str, origin: str, probes: list[str], findings: Findings) -> list[str]:
    """The links first, then the probes no link led to; returns one page of each kind that
    opened."""
    queue, seen, kinds, visited = ["/", "/more"], set(), {}, []
    while queue or probes:
        probing = not queue
        path = probes.pop(0) if probing else queue.pop(0)
        kind = ID.sub(":id", path)
        if path in seen or kinds.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        kinds[kind] = kinds.get(kind, 0) + 1
        response = page.goto(path)
        for violation in page.evaluate("window.__violations || []"):
            findings.policy.append(f"{role} {path}: CSP {violation}")
        if response.status != 200:
            if not probing or response.status >= 500:
                findings.refused[f"{role} {path}"] = response.status
            continue
        if kinds[kind] == 1:
            visited.append(path)
            findings.to_fit(path, kind)
        findings.axe_on(page, f"{role} {path}", kind, always=path in ("/", "/more"))
        for href in page.evaluate(LINKS):
            url = urlsplit(urljoin(origin + path, href))
            if url.netloc != urlsplit(origin).netloc or SKIP.search(url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return visited


def _block(context, page) -> None:
    """The background requests refused by the browser itself: a Playwright route would turn
    the HTTP cache off, and every page would fetch each script again."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setBlockedURLs", {"urls": [f"*{path}*" for path in BACKGROUND]})


def _fit(page, context, role: str, findings: Findings) -> None:
    """Each page in each language, measured at both widths (one load, the window resized)."""
    paths, findings.fitting = findings.fitting, []
    for language in LANGUAGES:
        context.set_extra_http_headers({"Accept-Language": language})
        for path in paths:
            page.goto(path)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 740})
                for misfit in misfits(page):
                    findings.misfits.append(f"{role} {language} {width} px {path}: {misfit}")
            page.set_viewport_size({"width": WIDTHS[0], "height": 740})
    context.set_extra_http_headers({})


def _script_errors(page, role: str, findings: Findings) -> None:
    def console(message) -> None:
        if message.type != "error" or any(p in message.location.get("url", "") for p in BACKGROUND):
            return
        if "status of 404" in message.text or "status of 403" in message.text:
            return  # a probe outside the role's scope: an expected answer, not a script error
        findings.policy.append(f"{role} {page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: findings.policy.append(f"{role} {page.url}: {error}"))


def test_every_page_of_every_role_opens_keeps_the_policy_passes_axe_and_fits(
        app, new_context, live_server, demo):
    with app.app_context():
        someone = db.session.scalar(select(Person.id).order_by(Person.display_name))
    probes = ["/people/", "/privacy", "/audit", f"/people/{someone}",
              f"/people/{someone}/export", f"/people/{someone}/log", f"/people/{someone}/erase"]
    findings, visited = Findings(), {}
    for role in ROLES:
        context = new_context(service_workers="block")
        context.add_init_script(LISTEN)
        page = context.new_page()
        _block(context, page)
        sign_in_page(page, f"{role}@example.org", demo["password"])
        _script_errors(page, role, findings)
        visited[role] = _crawl(page, role, live_server.url, list(probes), findings)
        _fit(page, context, role, findings)
        context.close()
    assert all(len(paths) >= 5 for paths in visited.values()), visited
    assert not findings.refused, f"pages offered that do not open: {findings.refused}"
    assert not findings.policy, "\n".join(findings.policy)
    assert not findings.axe, "\n".join(f"{where}: {v}" for where, v in findings.axe.items())
    assert not findings.misfits, "\n".join(findings.misfits)
