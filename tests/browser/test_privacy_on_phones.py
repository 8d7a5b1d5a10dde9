"""An erasure reaches the phone: a person page the phone keeps is gone after the next sync.
And how the privacy pages look at 360 px (consent on the person page, the audit log, the
export)."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.org.models import Municipality
from server.people.models import Person
from server.people.operations import erase_person_on_request

from ..factories import actor_for
from .conftest import ready, screenshot, sign_in_page, synced

pytestmark = pytest.mark.browser

KEPT = """async (path) => Boolean(await (await caches.open("handvast-pages-2")).match(path))"""


def _person(name: str) -> str:
    return db.session.scalar(select(Person.id).where(Person.display_name == name))


def _coordinator():
    user = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    dilbeek = db.session.scalar(select(Municipality).where(Municipality.slug == "dilbeek"))
    return actor_for(user, dilbeek)


def test_an_erased_person_leaves_the_phone_at_the_next_sync(app, field, demo):  # noqa: F811
    page = field.phone().new_page()
    sign_in_page(page, "worker@example.org", demo["password"])
    ready(page)
    person = demo["amina"]
    assert page.evaluate(KEPT, f"/people/{person}")
    with app.app_context():
        erase_person_on_request(_coordinator(), person, "The person asked for it")
        db.session.commit()
    synced(page)
    assert not page.evaluate(KEPT, f"/people/{person}")
    assert not page.evaluate(KEPT, f"/people/{person}/edit")
    field.offline()
    page.goto(f"/people/{person}")
    expect(page.locator("body")).not_to_contain_text("Amina El Idrissi")


def test_privacy_pages_at_360_px(app, field, demo):  # noqa: F811
    with app.app_context():
        maria = _person("Maria Popescu")
    worker = field.phone().new_page()
    sign_in_page(worker, "worker@example.org", demo["password"])
    worker.goto(f"/people/{maria}")
    consent = worker.locator("section.consent")
    expect(consent).to_contain_text("Consent withdrawn")
    expect(worker.locator(".consent-alert")).to_be_visible()
    consent.scroll_into_view_if_needed()
    screenshot(worker, "privacy-consent-withdrawn-360")
    width = worker.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    worker.goto(f"/people/{maria}/edit")
    withdrawn = worker.get_by_label("No longer agrees since")
    expect(withdrawn).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(worker.get_by_label("How they agreed")).to_have_value("spoken")
    worker.locator("#consent").scroll_into_view_if_needed()
    screenshot(worker, "privacy-consent-form-360")
    assert worker.evaluate("document.documentElement.scrollWidth") <= 360

    coordinator = field.phone().new_page()
    sign_in_page(coordinator, "coordinator@example.org", demo["password"])
    coordinator.goto(f"/people/{maria}/export")
    expect(coordinator.locator("h1")).to_contain_text("Maria Popescu")
    screenshot(coordinator, "privacy-export-360")
    assert coordinator.evaluate("document.documentElement.scrollWidth") <= 360
    coordinator.goto("/audit")
    expect(coordinator.locator(".audit-row").first).to_be_visible()
    screenshot(coordinator, "privacy-audit-log-360")
    assert coordinator.evaluate("document.documentElement.scrollWidth") <= 360
    coordinator.select_option("#filter-action", "export_person")
    coordinator.click("form.filters button[type=submit]")
    expect(coordinator.locator(".audit-row")).to_have_count(1)
    expect(coordinator.locator(".audit-row")).to_contain_text("Exported")


STAMP = """async ([path, daysAgo]) => {
  const cache = await caches.open("handvast-pages-2");
  const stamps = (await (await cache.match("/kept-pages.json"))?.json()) ?? {};
  stamps[path] = Date.now() - daysAgo * 24 * 3600 * 1000;
  await cache.put(path, new Response("<p>kept long ago</p>", { headers: { "Content-Type": "text/html" } }));
  await cache.put("/kept-pages.json", new Response(JSON.stringify(stamps)));
}"""
STAMPS = """async () => (await (await caches.open("handvast-pages-2")).match("/kept-pages.json")).json()"""


def test_pages_the_server_no_longer_confirms_leave_the_phone(app, field, demo):  # noqa: F811
    page = field.phone().new_page()
    sign_in_page(page, "worker@example.org", demo["password"])
    ready(page)
    gone = "/people/00000000-0000-4000-8000-000000000000"  # nobody the worker may see
    amina = f"/people/{demo['amina']}"
    page.evaluate(STAMP, [gone, 15])
    page.evaluate(STAMP, [amina, 15])  # still in the working set: confirmed again
    synced(page)
    assert not page.evaluate(KEPT, gone)
    assert page.evaluate(KEPT, amina)
    stamps = page.evaluate(STAMPS)
    assert gone not in stamps
    assert stamps[amina] > page.evaluate("Date.now()") - 60_000
    kept = page.evaluate("""async (path) => (await (await caches.open("handvast-pages-2"))
        .match(path)).text()""", amina)
    assert "Amina El Idrissi" in kept  # the real page again, not the old copy
