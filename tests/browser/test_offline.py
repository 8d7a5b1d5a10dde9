"""The phone without signal: save, reload, sync, two authors, lost access, sign-out, install.

The server really goes away (SwitchableServer.down): the service worker's requests fail as
well as the page's, as in a basement."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.org.models import Municipality
from server.people.models import Person

from ..conftest import csrf_token, sign_in
from ..factories import actor_for, apply
from .conftest import (
    ARGS,
    CHROMIUM,
    NOTE,
    contacts_with,
    log_contact_offline,
    more_details,
    ready,
    screenshot,
    sign_in_page,
    signed_in,
    synced,
)

pytestmark = pytest.mark.browser

def test_contact_saved_offline_survives_a_reload_and_syncs_exactly_once(app, field, demo):
    page = signed_in(field, demo)
    field.offline()
    log_contact_offline(page)
    page.goto(f"/people/{demo['amina']}")
    page.reload()
    pending = page.locator(".timeline .pending")
    expect(pending).to_contain_text(NOTE)
    expect(pending).to_contain_text("Not yet synced")
    expect(page.locator("[data-sync-status]")).to_have_text("1 waiting")
    screenshot(page, "offline-pending-contact-360")
    assert contacts_with(app, NOTE) == 0
    field.online()
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    page.reload()
    expect(page.locator(".timeline")).to_contain_text("Street")
    expect(page.locator(".timeline .pending")).to_have_count(0)
    synced(page)  # a second round sends nothing again
    assert contacts_with(app, NOTE) == 1


def test_caseload_person_never_opened_is_on_the_phone_after_one_sync(field, demo):
    page = signed_in(field, demo)
    field.offline()
    page.goto(f"/people/{demo['amina']}")
    expect(page.locator("h1")).to_contain_text("Amina El Idrissi")
    page.goto("/people/")
    expect(page.locator("[data-offline-list=person]")).to_contain_text("Amina El Idrissi")


def test_person_reassigned_away_is_removed_from_the_phone(app, field, demo):
    page = signed_in(field, demo)
    page.goto(f"/people/{demo['amina']}")
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
        dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
        apply(actor_for(coordinator, dilbeek), "person.assign", {"team_id": None},
              record_id=demo["amina"])
        db.session.commit()
    synced(page)
    kept = page.evaluate("""async (id) => {
        const cache = await caches.open('handvast-pages-2');
        return Boolean(await cache.match('/people/' + id));
    }""", demo["amina"])
    assert not kept
    field.offline()
    page.goto(f"/people/{demo['amina']}")
    expect(page.locator("h1")).to_have_text("No connection")


def test_sign_out_refuses_while_work_waits_then_wipes_the_phone(app, field, demo):
    page = signed_in(field, demo)
    field.offline()
    log_contact_offline(page)
    page.get_by_role("button", name="Sign out").click()
    warning = page.locator(".logout-warning")
    expect(warning).to_contain_text("1 item saved on this phone has not been sent yet")
    screenshot(page, "offline-sign-out-refused-360")
    assert "/login" not in page.url
    field.online()
    warning.get_by_role("button", name="Sync now").click()
    page.wait_for_url("**/login")
    assert contacts_with(app, NOTE) == 1
    left = page.evaluate("""async () => ({
        caches: await caches.keys(),
        databases: (await indexedDB.databases()).map((d) => d.name),
        workers: (await navigator.serviceWorker.getRegistrations()).length,
    })""")
    assert left == {"caches": [], "databases": [], "workers": 0}


def test_refused_item_is_set_aside_shown_with_its_reason_and_discarded_only_on_confirmation(
        app, field, demo):
    page = signed_in(field, demo)
    field.offline()
    page.goto("/contacts/new")
    # A rule only the server checks (a time in the future the phone refuses itself).
    more_details(page)
    page.get_by_label("Place (optional)").fill("Вrusselsesteenweg")  # a Cyrillic В
    log_contact_offline(page)
    field.online()
    expect(page.locator("[data-sync-status]")).to_contain_text("1 needs attention", timeout=30_000)
    page.goto("/attention")
    item = page.locator("[data-attention-list] article")
    expect(item).to_contain_text(NOTE)
    expect(item).to_contain_text("Place (optional): mixes alphabets within a word")
    screenshot(page, "offline-needs-attention-360")
    # Edit and send again: the form opens on the server's reasons, "More details" open for them.
    item.get_by_role("link", name="Edit and send again").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Place (optional): mixes alphabets within a word")
    expect(page.get_by_label("Place (optional)")).to_be_visible()
    expect(page.get_by_label("Place (optional)")).to_have_value("Вrusselsesteenweg")
    page.goto("/attention")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".logout-warning")).to_be_visible()
    # The question comes once the server has answered that it is there: wait for each.
    with page.expect_event("dialog") as asked:
        page.locator(".logout-warning").get_by_role("button", name="Discard and sign out").click()
    asked.value.dismiss()
    assert "/login" not in page.url
    with page.expect_event("dialog") as asked:
        page.locator(".logout-warning").get_by_role("button", name="Discard and sign out").click()
    asked.value.accept()
    page.wait_for_url("**/login")
    assert contacts_with(app, NOTE) == 0


def test_two_phones_edit_one_person_offline_merge_and_conflict(app, field, demo):
    worker, volunteer = (signed_in(field, demo, email) for email in
                         ("worker@example.org", "volunteer@example.org"))
    for page in (worker, volunteer):
        page.goto(f"/people/{demo['amina']}/edit")
    field.offline()
    worker.get_by_label("Phone").fill("0470 11 11 11")
    worker.get_by_role("button", name="Save").click()
    volunteer.get_by_label("Phone").fill("0470 22 22 22")
    volunteer.get_by_label("Other (e.g. via the school").fill("Via de school, na 15 uur")
    volunteer.get_by_role("button", name="Save").click()
    for page in (worker, volunteer):
        expect(page.locator("[data-sync-status]")).to_have_text("1 waiting")
    # The worker's phone gets signal first.
    volunteer.context.set_offline(True)
    field.online()
    volunteer.context.set_offline(True)
    synced(worker)
    volunteer.context.set_offline(False)
    synced(volunteer)
    with app.app_context():
        person = db.session.get(Person, demo["amina"])
        assert (person.phone, person.reach_note) == ("0470 11 11 11", "Via de school, na 15 uur")
    volunteer.goto("/conflicts")
    conflict = volunteer.locator(".conflicts li")
    expect(conflict).to_contain_text("0470 22 22 22")  # hers, kept
    expect(conflict).to_contain_text("0470 11 11 11")  # the current value
    screenshot(volunteer, "offline-conflict-360")
    worker.goto("/conflicts")
    expect(worker.locator(".conflicts li")).to_have_count(0)


def test_chromium_finds_the_app_installable(playwright_instance, live_server, app, demo, tmp_path):
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, base_url=live_server.url,
        viewport={"width": 360, "height": 740}, service_workers="allow")
    try:
        page = context.new_page()
        sign_in_page(page, "volunteer@example.org", demo["password"])
        ready(page)
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
        manifest = session.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest
    finally:
        context.close()


@pytest.mark.usefixtures("compiled_catalogs")
def test_offline_texts_come_in_the_browsers_language(field, demo):
    from babel.support import Translations

    from server.i18n.catalogs import TRANSLATIONS

    turkish = Translations.load(str(TRANSLATIONS), ["tr"]).gettext
    assert turkish("No connection") != "No connection"
    page = field.phone(locale="tr-TR").new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    field.offline()
    page.goto("/contacts/new")
    page.locator("input[name=channel][value=street]").check()
    page.locator("#note").fill(NOTE)
    page.locator("form[data-mutation-form] button[type=submit]").click()
    expect(page.locator("[data-save-status]")).to_have_text(turkish("Saved on this phone — will sync"))
    page.goto("/services/never-opened")
    expect(page.locator("h1")).to_have_text(turkish("No connection"))
    assert page.evaluate("document.documentElement.lang") == "tr"
    screenshot(page, "offline-page-tr-360")


def _session_expired(page, _app, _demo) -> None:
    page.context.clear_cookies()  # the session ended while the phone was away


def _signed_out_on_another_device(_page, app, demo) -> None:
    laptop = app.test_client()  # signing out anywhere ends the phone's session too
    sign_in(laptop, "volunteer@example.org", demo["password"])
    assert laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/")}).status_code == 303


@pytest.mark.parametrize("end_session", [_session_expired, _signed_out_on_another_device],
                         ids=["expired", "signed-out-elsewhere"])
def test_outbox_waits_through_an_ended_session_and_syncs_after_sign_in(app, field, demo,
                                                                        end_session):
    page = signed_in(field, demo)
    field.offline()
    log_contact_offline(page)
    end_session(page, app, demo)
    field.online()
    expect(page.locator("[data-sync-status]")).to_have_text("Sign in to sync", timeout=30_000)
    assert contacts_with(app, NOTE) == 0
    sign_in_page(page, "volunteer@example.org", demo["password"])
    ready(page)
    expect(page.locator("[data-sync-status]")).to_be_hidden()
    assert contacts_with(app, NOTE) == 1
