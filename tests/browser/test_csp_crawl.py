"""Every page, for every role, under the strict Content-Security-Policy: a headless Chromium
follows the links of the demo from the home page (each kind of page a few times, the privacy
pages included) and no page reports a CSP violation or a console error."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from server.extensions import db
from server.people.models import Person

from .conftest import sign_in_page
from .test_offline import demo  # noqa: F401

pytestmark = pytest.mark.browser

ROLES = ["admin", "coordinator", "worker", "volunteer", "buddy", "officer", "worker.vilvoorde"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PER_KIND = 2  # pages of one kind (one route) visited per role
SKIP = ("/logout", "/static/", "/api/", "/sw.js", "/manifest", "/i18n/", "tel:", "mailto:")

# Runs before any page script: CSP reports itself as this event.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _kind(path: str) -> str:
    return UUID.sub("{id}", path)


def _crawl(context, start: list[str]) -> tuple[list[str], list[str]]:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    queue, seen, per_kind, visited = list(start), set(), {}, []
    while queue:
        path = queue.pop(0)
        kind = _kind(path)
        if path in seen or per_kind.get(kind, 0) >= PER_KIND:
            continue
        seen.add(path)
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = page.goto(path)
        assert response is not None
        assert response.status < 500, (path, response.status)
        visited.append(path)
        page.wait_for_load_state("load")
        for violation in page.evaluate("window.__violations || []"):
            errors.append(f"{path}: CSP {violation}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            parts = urlsplit(href)
            if (parts.netloc or not parts.path.startswith("/") or href.startswith(SKIP)
                    or parts.path.endswith((".json", ".csv", ".ics", ".xlsx", ".svg"))):  # a download
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    page.close()
    return visited, errors


@pytest.mark.parametrize("role", ROLES)
def test_no_page_breaks_the_content_security_policy(app, field, demo, role):  # noqa: F811
    with app.app_context():
        someone = db.session.scalar(select(Person.id).order_by(Person.display_name))
    context = field.phone()
    context.add_init_script(LISTEN)
    page = context.new_page()
    sign_in_page(page, f"{role}@example.org", demo["password"])
    page.close()
    start = ["/", "/more", "/people/", "/privacy", "/audit", f"/people/{someone}",
             f"/people/{someone}/export", f"/people/{someone}/log", f"/people/{someone}/erase"]
    visited, errors = _crawl(context, start)
    assert len(visited) >= 5, visited
    assert not [e for e in errors if "CSP" in e or "Content Security Policy" in e], errors
    # 404s of routes outside the role's scope are expected answers, not script errors
    assert not [e for e in errors if "status of 404" not in e and "status of 403" not in e], errors
