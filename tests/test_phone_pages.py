"""Pages that fit a phone, without a browser: a home and a "more" per role offering only what
the role may open, the error summary on every form, a message after every save that the phone
never keeps, times to the minute and lists joined as the language joins them."""

import re

import pytest
from markupsafe import Markup

from server.core.clock import now

from . import factories

ROLES = {"admin": "admin@a.test", "coordinator": "coordinator@a.test",
         "worker": "worker@a.test", "volunteer": "volunteer@a.test", "buddy": "buddy@a.test",
         "officer": "officer@a.test"}
LINK = re.compile(r'href="(/[^"#]*)"')


@pytest.mark.parametrize("role", ROLES)
def test_home_and_more_offer_only_pages_the_role_can_open(world, login, role):
    client = login(ROLES[role])
    for start in ("/", "/more"):
        page = client.get(start).get_data(as_text=True)
        for path in sorted(set(LINK.findall(page))):
            if path.startswith(("/static/", "/login", "/logout", "/i18n/", "/manifest")):
                continue
            assert client.get(path).status_code == 200, f"{role}: {start} offers {path}"


def test_each_role_starts_where_its_work_is(world, login):
    def home(role):
        return login(ROLES[role]).get("/").get_data(as_text=True)

    coordinator = home("coordinator")
    assert coordinator.index("overview-heading") < coordinator.index("today-heading")
    admin = home("admin")
    assert "Administration" in admin
    assert "/manage/users" in admin
    assert "Log contact" not in admin
    assert "Open referrals" not in admin
    buddy = home("buddy")
    assert "/contacts/new" not in buddy
    assert "/referrals/new" not in buddy
    assert "/people/new" not in login(ROLES["buddy"]).get("/people/").get_data(as_text=True)


def test_the_officer_sees_where_they_logged_contacts(app, world, login):
    with app.app_context():
        factories.make_contact(world.actor("officer"), [])
        factories.db.session.commit()
    page = login(ROLES["officer"]).get("/").get_data(as_text=True)
    assert "Where I logged contacts (30 days)" in page


@pytest.mark.parametrize(("path", "data"), [
    ("/contacts/", {"mutation_type": "contact.create", "channel": "", "occurred_at": ""}),
    ("/people/", {"mutation_type": "person.create", "display_name": ""}),
    ("/referrals/", {"mutation_type": "referral.create", "person_id": "", "service_id": ""}),
    ("/manage/teams", {"name": ""}),
])
def test_a_failed_save_opens_on_an_error_summary_linking_to_each_field(world, login, path, data):
    client = login("coordinator@a.test")
    response = client.post(path, data={"csrf_token": client.csrf, **data})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert summary, page[:2000]
    assert "autofocus" in summary.group(0).split(">")[0]  # focused also without script
    for anchor in re.findall(r'href="#([^"]+)"', summary.group(1)):
        assert f'id="{anchor}"' in page, f"the summary links to #{anchor}, which is not there"
    assert re.findall(r'href="#([^"]+)"', summary.group(1))


def test_a_page_showing_a_save_message_is_never_kept_on_the_phone(world, login):
    client = login("worker@a.test")
    response = client.post("/contacts/", data={
        "csrf_token": client.csrf, "mutation_type": "contact.create", "channel": "street",
        "occurred_at": now().strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 303
    shown = client.get(response.headers["Location"])
    assert "Contact saved." in shown.get_data(as_text=True)
    assert shown.headers["X-Handvast-Keep"] == "no"
    again = client.get(response.headers["Location"])
    assert "Contact saved." not in again.get_data(as_text=True)
    assert "X-Handvast-Keep" not in again.headers  # the same page without the message is kept


def test_marking_a_follow_up_done_says_so(app, world, login):
    with app.app_context():
        contact = factories.make_contact(world.actor("worker"), [], follow_up_on=now().date().isoformat())
        factories.db.session.commit()
    client = login("worker@a.test")
    response = client.post(f"/contacts/{contact}/follow-up-done", data={"csrf_token": client.csrf},
                           follow_redirects=True)
    assert "Follow-up marked as done." in response.get_data(as_text=True)


def test_times_are_to_the_minute_and_lists_join_per_language(app):
    from datetime import datetime

    from flask_babel import force_locale

    from server.core.clock import LOCAL_TZ
    from server.i18n import date_and_time, list_of

    moment = datetime(2026, 11, 12, 14, 5, 33, tzinfo=LOCAL_TZ)
    with app.test_request_context():
        with force_locale("nl"):
            assert date_and_time(moment) == "12 nov 2026, 14:05"
            assert list_of(["Arabisch", "Frans", "Nederlands"]) == "Arabisch, Frans en Nederlands"
        with force_locale("en"):
            assert ":33" not in date_and_time(moment)
            assert list_of(["<b>", Markup("<a>x</a>")]) == "&lt;b&gt; and <a>x</a>"
        with force_locale("ar"):
            assert list_of(["أ", "ب", "ج"]) == "أ، وب، وج"
            assert list_of(["أ", "ب"]) == "أ وب"
