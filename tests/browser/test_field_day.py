"""A field day on a cheap phone: offline never loses meaning. A contact started from a
person's page keeps that person; a person created offline can be chosen at once and both
sync in order; a person saved offline shows what was saved; the phone refuses what the server
would, with its reasons; "offline" and open conflicts show in the header.

The server really goes away (SwitchableServer.down), so the service worker serves the phone's
copies, which were kept without any ?person=."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from server.auth.models import User
from server.contacts.models import Contact
from server.extensions import db
from server.org.models import Municipality
from server.people.models import Person

from ..conftest import csrf_token, sign_in
from ..factories import actor_for, apply
from .conftest import screenshot, signed_in, synced

pytestmark = pytest.mark.browser

NOTE = "Samen naar het OCMW, afspraak voor de huurwaarborg."
OUTBOX_COUNT = """async () => {
  const { open } = await import("/static/js/store.js");
  return (await open()).count("outbox");
}"""


def _contact(app, note: str):
    with app.app_context():
        contact = db.session.scalar(select(Contact).where(Contact.note == note))
        return None if contact is None else sorted(p.id for p in contact.people)


def _all_sent(page) -> None:
    expect(page.locator("[data-sync-status]")).to_be_hidden(timeout=30_000)
    assert page.evaluate(OUTBOX_COUNT) == 0


def test_contact_logged_offline_from_a_persons_page_keeps_that_person(app, field, demo):  # noqa: F811
    page = signed_in(field, demo)  # noqa: F811
    page.goto(f"/people/{demo['amina']}")
    field.offline()
    page.locator("main").get_by_role("link", name="Log contact").click()
    page.wait_for_url(re.compile(r"/contacts/new\?person="))
    expect(page.locator("[data-connection]")).to_be_visible()
    expect(page.get_by_label("Amina El Idrissi")).to_be_checked()
    page.get_by_label("Street").check()
    page.get_by_label("Note").fill(NOTE)
    screenshot(page, "field-day-contact-offline-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone — will sync")
    page.goto(f"/referrals/new?person={demo['amina']}")  # any form opened with parameters
    expect(page.get_by_label("Amina El Idrissi")).to_be_checked()
    field.online()
    synced(page)
    _all_sent(page)
    assert _contact(app, NOTE) == [demo["amina"]]
    page.goto(f"/people/{demo['amina']}")
    expect(page.locator(".timeline")).to_contain_text(NOTE)
    expect(page.locator(".timeline .pending")).to_have_count(0)


def test_person_created_offline_is_chosen_in_a_contact_and_both_sync_once_in_order(
        app, field, demo):  # noqa: F811
    page = signed_in(field, demo)
    field.offline()
    page.goto("/people/new")
    page.get_by_label("Name or nickname").fill("Yusuf Demir")
    page.get_by_role("button", name="Save").click()
    status = page.locator("[data-save-status]")
    expect(status).to_contain_text("Saved on this phone — will sync")
    page.goto("/contacts/new")  # found by typing, among those the page was kept with
    page.get_by_label("Find a person").fill("yus")
    expect(page.get_by_label("Yusuf Demir")).to_be_visible()
    expect(page.get_by_label("Amina El Idrissi")).to_be_hidden()
    screenshot(page, "field-day-picker-offline-360")
    page.goto("/contacts/new")
    page.get_by_label("Find a person").fill("Yusuf")
    page.keyboard.press("Enter")  # Enter chooses the first match, never submits
    expect(page.get_by_label("Yusuf Demir")).to_be_checked()
    page.get_by_label("Home visit").check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved on this phone — will sync")
    field.online()
    synced(page)
    _all_sent(page)
    with app.app_context():
        yusuf = db.session.scalars(select(Person).where(Person.display_name == "Yusuf Demir")).all()
        assert len(yusuf) == 1
        yusuf_id = yusuf[0].id
    assert _contact(app, NOTE) == [yusuf_id]  # the person was there when the contact came
    synced(page)  # a second round sends nothing again
    with app.app_context():
        assert len(db.session.scalars(select(Contact).where(Contact.note == NOTE)).all()) == 1


def test_person_saved_offline_shows_what_was_saved_until_synced(app, field, demo):  # noqa: F811
    page = signed_in(field, demo)  # noqa: F811
    page.goto(f"/people/{demo['amina']}/edit")
    field.offline()
    page.get_by_label("Phone").fill("0470 99 88 77")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")
    expect(page.get_by_label("Phone")).to_have_value("0470 99 88 77")  # not emptied
    page.goto(f"/people/{demo['amina']}")
    pending = page.locator("[data-pending-person]")
    expect(pending).to_contain_text("Saved on this phone, not yet synced")
    expect(pending).to_contain_text("Phone")
    expect(pending).to_contain_text("0470 99 88 77")
    expect(pending.locator("dt")).to_have_count(1)  # only what was changed
    screenshot(page, "field-day-person-pending-360")
    field.online()
    synced(page)
    _all_sent(page)
    expect(pending).to_be_hidden()
    page.reload()
    facts = page.locator(".facts:not([data-pending-values])", has=page.locator("dt", has_text="Phone"))
    expect(facts).to_contain_text("0470 99 88 77")
    with app.app_context():
        assert db.session.get(Person, demo["amina"]).phone == "0470 99 88 77"


def _server_errors(app, demo, path: str, data: dict) -> dict[str, str]:  # noqa: F811
    """The reasons the server gives for the same form, field by field."""
    client = app.test_client()
    sign_in(client, "volunteer@example.org", demo["password"])
    response = client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})
    assert response.status_code == 422
    return dict(re.findall(r'id="([a-z_]+)-error">([^<]+)<', response.get_data(as_text=True)))


def _phone_errors(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.field-error')]
        .map((node) => [node.id.replace(/-error$/, ''), node.textContent]))""")


def test_the_phone_refuses_what_the_server_would_with_its_reasons(app, field, demo):  # noqa: F811
    page = signed_in(field, demo)  # noqa: F811
    field.offline()
    page.goto("/contacts/new")
    expect(page.locator("legend", has_text="How")).to_contain_text("*")  # required, marked
    page.get_by_label("When").fill("2099-01-01T10:00")
    more = page.locator("details.more-fields")
    more.locator("summary").click()
    page.get_by_label("Duration in minutes").fill("2000")
    more.locator("summary").click()  # closed again: the check opens it for the field
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")  # as the server's
    expect(summary).to_be_focused()
    expect(page.get_by_label("Duration in minutes")).to_be_visible()
    summary.locator("a[href='#duration_minutes']").click()
    expect(page.get_by_label("Duration in minutes")).to_be_focused()
    phone = _phone_errors(page)
    assert phone == {"occurred_at": "in the future", "channel": "required",
                     "duration_minutes": "out of range"}
    expect(page.locator("fieldset[aria-invalid=true] legend", has_text="How")).to_be_visible()
    screenshot(page, "field-day-contact-refused-on-the-phone-360")
    page.goto("/people/new")
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Save").click()
    person_phone = _phone_errors(page)
    assert person_phone == {"display_name": "required", "email": "not a valid e-mail address"}
    assert page.evaluate(OUTBOX_COUNT) == 0  # nothing went to the outbox
    assert _server_errors(app, demo, "/contacts/", {
        "occurred_at": "2099-01-01T10:00", "duration_minutes": "2000"}) == phone
    assert _server_errors(app, demo, "/people/", {"email": "not an address"}) == person_phone


def test_offline_and_open_conflicts_show_in_the_header_on_every_page(app, field, demo):  # noqa: F811
    page = signed_in(field, demo)  # noqa: F811
    indicator = page.locator("[data-connection]")
    expect(indicator).to_be_hidden()
    page.goto(f"/people/{demo['amina']}/edit")
    field.offline()
    page.context.set_offline(False)  # the phone has signal; the server cannot be reached
    page.get_by_label("Phone").fill("0470 22 22 22")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this phone — will sync")
    for url in ("/", "/people/", "/more"):
        page.goto(url)
        expect(indicator).to_have_text("Offline")
        expect(page.locator("[data-sync-status]")).to_have_text("1 waiting")
    screenshot(page, "field-day-header-offline-360")
    with app.app_context():  # meanwhile a colleague changes the same field
        worker = db.session.scalar(select(User).where(User.email == "worker@example.org"))
        dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
        person = db.session.get(Person, demo["amina"])
        apply(actor_for(worker, dilbeek), "person.update", {"phone": "0470 11 11 11"},
              record_id=person.id, base_version=person.version)
        db.session.commit()
    field.online()
    synced(page)
    expect(indicator).to_be_hidden()
    badge = page.locator("[data-conflict-badge]")
    expect(badge).to_have_text("1 conflict")
    page.goto("/people/")
    expect(badge).to_have_text("1 conflict")
    screenshot(page, "field-day-header-conflict-360")
    badge.click()
    page.wait_for_url("**/conflicts")
    expect(page.locator(".conflicts li")).to_contain_text("0470 22 22 22")
    page.get_by_role("button", name="Keep mine").click()  # resolved: the badge goes
    expect(page.locator(".conflicts li")).to_have_count(0)
    expect(badge).to_be_hidden()
