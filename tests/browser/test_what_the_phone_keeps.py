"""What the phone keeps obeys the rules of what it may see (shared/SYNC.md rule 6): no private
or sensitive note text in anything stored, case pages hidden once the session has ended, and
one user's outbox never shown to another user of the same phone."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select, update

from server.audit.models import AuditEvent
from server.auth.models import User
from server.core.clock import now
from server.extensions import db
from server.org.models import Municipality

from ..factories import actor_for, apply
from .conftest import contacts_with, log_contact_offline, more_details, ready, sign_in_page

pytestmark = pytest.mark.browser

PRIVATE, SENSITIVE = "CANARY-7781 private: slaapt slecht sinds de verhuis", \
    "CANARY-5532 sensitive: behandeling voor depressie"

# Every body in Cache Storage and every value in every IndexedDB database of the origin.
EVERYTHING_STORED = """async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      texts.push(`${name} ${request.url}\\n` + await (await cache.match(request)).text());
    }
  }
  for (const { name, version } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const opening = indexedDB.open(name, version);
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    for (const store of db.objectStoreNames) {
      const values = await new Promise((resolve) => {
        const all = db.transaction(store).objectStore(store).getAll();
        all.onsuccess = () => resolve(all.result);
      });
      texts.push(`${name}/${store}\\n` + JSON.stringify(values));
    }
    db.close();
  }
  return texts;
}"""

OUTBOX = """async () => {
  const db = await new Promise((resolve) => {
    const opening = indexedDB.open("handvast");
    opening.onsuccess = () => resolve(opening.result);
  });
  const items = await new Promise((resolve) => {
    const all = db.transaction("outbox").objectStore("outbox").getAll();
    all.onsuccess = () => resolve(all.result);
  });
  db.close();
  return items.map((item) => ({ id: item.id, state: item.state, note: item.mutation.fields.note }));
}"""


def _worker():
    """The demo worker in Dilbeek, as the server sees them (inside an app context)."""
    worker = db.session.scalar(select(User).where(User.email == "worker@example.org"))
    dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
    return actor_for(worker, dilbeek)


def _sensitive_reads(app, contact_id: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "read_sensitive_note", AuditEvent.object_id == contact_id))


def _sync_state(page, state: str) -> None:
    page.evaluate("delete document.documentElement.dataset.syncState")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(f"() => document.documentElement.dataset.syncState === '{state}'",
                           timeout=60_000)


def test_nothing_the_phone_stores_holds_a_private_or_sensitive_note(app, field, demo):  # noqa: F811
    with app.app_context():
        made = {visibility: apply(_worker(), "contact.create", {
            "occurred_at": (now() - timedelta(days=1)).isoformat(), "channel": "home_visit",
            "person_ids": [demo["amina"]], "note": text, "note_visibility": visibility})
            for visibility, text in (("private", PRIVATE), ("sensitive", SENSITIVE))}
        db.session.commit()
    page = field.phone().new_page()
    sign_in_page(page, "worker@example.org", demo["password"])
    ready(page)
    kept = page.evaluate(
        "async (id) => Boolean(await (await caches.open('handvast-pages-2')).match('/contacts/' + id))",
        made["private"])
    assert kept  # the contact page is on the phone, without its note
    # The author reads both notes online: the private one live, the sensitive one on request.
    page.goto(f"/contacts/{made['private']}")
    expect(page.locator("[data-note-live]")).to_have_text(PRIVATE)
    page.goto(f"/contacts/{made['sensitive']}")
    assert _sensitive_reads(app, made["sensitive"]) == 0  # the worker's prefetch read nothing
    page.get_by_role("link", name="Show note").click()
    expect(page.locator("[data-note-live]")).to_have_text(SENSITIVE)
    assert _sensitive_reads(app, made["sensitive"]) == 1
    page.goto(f"/people/{demo['amina']}")
    stored = page.evaluate(EVERYTHING_STORED)
    assert any("handvast/records" in text for text in stored)
    assert any(f"/contacts/{made['private']}" in text for text in stored)
    for canary in ("CANARY-7781", "CANARY-5532"):
        assert not [text.split("\n")[0] for text in stored if canary in text]


def test_after_a_401_kept_case_pages_are_hidden_until_the_user_signs_in_again(field, demo):  # noqa: F811
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    page.context.clear_cookies()  # expired, revoked or deactivated: the server answers 401
    _sync_state(page, "signed-out")
    field.offline()
    page.goto(f"/people/{demo['amina']}")
    expect(page.locator("h1")).to_have_text("No connection")
    expect(page.locator("main")).not_to_contain_text("Amina El Idrissi")
    field.online()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    page.goto(f"/people/{demo['amina']}")
    expect(page.locator("h1")).to_contain_text("Amina El Idrissi")


def test_a_shared_phone_shows_each_user_only_their_own_unsent_work(app, field, demo):  # noqa: F811
    mine, refused = "A: afspraak OCMW woensdag", "A: in de toekomst"
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    page.goto("/contacts/new")
    more_details(page)
    page.get_by_label("Place (optional)").fill("Вrusselsesteenweg")  # the server refuses it
    log_contact_offline(page, refused)
    field.online()
    expect(page.locator("[data-sync-status]")).to_contain_text("1 needs attention", timeout=30_000)
    field.offline()
    log_contact_offline(page, mine)
    page.context.clear_cookies()  # A's session ends with A's work on the phone
    field.online()
    _sync_state(page, "signed-out")
    [rejected] = [item["id"] for item in page.evaluate(OUTBOX) if item["state"] == "rejected"]

    sign_in_page(page, "worker@example.org", demo["password"])  # B, on the same browser
    ready(page)
    expect(page.locator("[data-sync-status]")).to_be_hidden()
    for url in (f"/people/{demo['amina']}", "/", "/attention"):
        page.goto(url)
        ready(page)
        expect(page.locator("main")).not_to_contain_text("A: ")
        expect(page.locator(".pending")).to_have_count(0)
    page.goto(f"/contacts/new?resume={rejected}")
    expect(page.get_by_label("Note")).to_have_value("")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")  # no warning: nothing of B's waits
    assert sorted(item["note"] for item in page.evaluate(OUTBOX)) == sorted([mine, refused])
    assert contacts_with(app, mine) == 0

    sign_in_page(page, "volunteer@example.org", demo["password"])  # A again
    ready(page)
    assert contacts_with(app, mine) == 1
    page.goto("/attention")
    expect(page.locator("[data-attention-list] article")).to_contain_text(refused)
    _sync_state(page, "synced")
    assert contacts_with(app, mine) == 1


def test_a_closed_account_wipes_the_kept_case_pages_and_keeps_the_outbox(app, field, demo):  # noqa: F811
    page = field.phone().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    log_contact_offline(page, "Nog te versturen")
    with app.app_context():
        db.session.execute(update(User).where(User.email == "volunteer@example.org")
                           .values(active=False))
        db.session.commit()
    field.online()
    _sync_state(page, "signed-out")
    left = page.evaluate("""async (id) => ({
        page: Boolean(await (await caches.open('handvast-pages-2')).match('/people/' + id)),
        offline: Boolean(await caches.match('/offline')),
    })""", demo["amina"])
    assert left == {"page": False, "offline": True}
    stored = page.evaluate(EVERYTHING_STORED)
    assert [text for text in stored if text.startswith("handvast/records")] == ["handvast/records\n[]"]
    assert [item["note"] for item in page.evaluate(OUTBOX)] == ["Nog te versturen"]


def test_a_note_made_private_later_leaves_every_kept_page(app, field, demo):  # noqa: F811
    note = "CANARY-3319 eerst voor het team"
    with app.app_context():
        contact = apply(_worker(), "contact.create", {
            "occurred_at": (now() - timedelta(days=1)).isoformat(), "channel": "street",
            "person_ids": [demo["amina"]], "note": note, "note_visibility": "team"})
        db.session.commit()
    page = field.phone().new_page()
    sign_in_page(page, "worker@example.org", demo["password"])
    ready(page)
    assert any(note in text for text in page.evaluate(EVERYTHING_STORED))
    with app.app_context():
        apply(_worker(), "contact.correct", {"note_visibility": "private"},
              record_id=contact, base_version=1)
        db.session.commit()
    _sync_state(page, "synced")
    assert not [text.split("\n")[0] for text in page.evaluate(EVERYTHING_STORED) if note in text]
