"""What each reader gets of notes and people, the same on pages, fragments and pull: referral
step notes follow the rules of contact notes, officers never read anyone's welfare notes nor
move a referral past "sent", and nobody learns who else was at a contact unless they may see
that person."""

import html
import json
import re
from datetime import timedelta

import pytest

from server.core.clock import now, today_local
from server.extensions import db
from server.org.models import Municipality

from . import factories
from .sync_client import mutation, pull_all, results

WELFARE = "partner violence and depression"


@pytest.fixture
def officer_referral(app, world):
    """The officer refers someone they met on patrol to CAW; the person is then put on the
    team's caseload and the worker records that it went out, with a welfare note."""
    with app.app_context():
        officer, worker = world.actor("officer"), world.actor("worker")
        person = factories.make_person(officer, display_name="Met on patrol")
        caw = factories.make_service(db.session.get(Municipality, world.a.id), "CAW")
        referral = factories.make_referral(officer, person, caw, note="Asked about help")
        factories.apply(world.actor("coordinator"), "person.assign",
                        {"team_id": world.team.id}, record_id=person)
        factories.apply(worker, "referral.advance", {"status": "sent", "note": WELFARE},
                        record_id=referral)
        db.session.commit()
    return referral


def test_officer_never_reads_the_welfare_note_on_their_referral(officer_referral, login):
    officer = login("officer@a.test")
    path = f"/referrals/{officer_referral}"

    page = officer.get(path)
    fragment = officer.get(path, headers={"HX-Request": "true"})
    pulled = officer.get("/api/v1/sync/pull")

    assert page.status_code == fragment.status_code == pulled.status_code == 200
    for body in (page, fragment, pulled):
        assert WELFARE not in body.get_data(as_text=True)
    assert "Asked about help" in page.get_data(as_text=True)  # their own note stays theirs
    assert "This note is not shared with you." in fragment.get_data(as_text=True)
    cache, _ = pull_all(officer)
    assert cache[("referral", officer_referral)]["data"]["status"] == "sent"


def test_the_team_reads_the_step_note_and_a_private_one_stays_with_its_author(
        app, world, officer_referral, login):
    with app.app_context():
        factories.apply(world.actor("worker"), "referral.advance",
                        {"status": "accepted", "note": "Intake booked, own words",
                         "note_visibility": "private"}, record_id=officer_referral)
        db.session.commit()
    path = f"/referrals/{officer_referral}"
    clients = {role: login(f"{role}@a.test") for role in ("worker", "volunteer", "coordinator")}
    pages = {role: c.get(path).get_data(as_text=True) for role, c in clients.items()}
    assert all(WELFARE in page for page in pages.values())
    # The page is kept on phones: the private note is never in it, it comes live.
    assert all("Intake booked, own words" not in page for page in pages.values())
    note_url = re.search(r'hx-get="(/referrals/[^"]+/note)" hx-trigger="load"', pages["worker"])
    assert note_url
    assert note_url.group(1) not in pages["volunteer"]
    for role in ("worker", "coordinator"):
        live = clients[role].get(note_url.group(1))
        assert "Intake booked, own words" in live.get_data(as_text=True)
        assert live.headers["X-Handvast-Keep"] == "no"
    assert clients["volunteer"].get(note_url.group(1)).status_code == 404


def test_officer_cannot_move_a_sent_referral_along(app, officer_referral, login):
    officer = login("officer@a.test")
    path = f"/referrals/{officer_referral}"

    page = officer.post(f"{path}/advance", data={"csrf_token": officer.csrf,
                                                 "status": "accepted"})
    pushed = results(officer, mutation("referral.advance", {"status": "accepted"},
                                       record_id=officer_referral))

    assert page.status_code == 404
    assert WELFARE not in page.get_data(as_text=True)
    assert pushed[0]["status"] == "rejected"
    assert WELFARE not in str(pushed)
    assert 'action="/referrals/' not in officer.get(path).get_data(as_text=True)
    worker = login("worker@a.test")
    assert worker.post(f"{path}/advance", data={"csrf_token": worker.csrf,
                                                "status": "accepted"}).status_code == 303


def test_officer_may_send_their_own_proposal_and_nothing_further(app, world, login):
    with app.app_context():
        officer = world.actor("officer")
        person = factories.make_person(officer, display_name="Met at the station")
        referral = factories.make_referral(officer, person, world.records["service"])
        db.session.commit()
    client = login("officer@a.test")
    path = f"/referrals/{referral}/advance"
    skip = client.post(path, data={"csrf_token": client.csrf, "status": "declined"})
    sent = client.post(path, data={"csrf_token": client.csrf, "status": "sent"})
    after = client.post(path, data={"csrf_token": client.csrf, "status": "dropped"})
    assert (skip.status_code, sent.status_code, after.status_code) == (422, 303, 404)


def test_private_and_sensitive_referral_notes_never_travel_to_phones(
        app, world, login):
    worker = login("worker@a.test")
    proposed = mutation("referral.create", {
        "person_id": world.records["person"], "service_id": world.records["service"],
        "note": "Only for me and the coordinator", "note_visibility": "private"})
    sensitive = mutation("referral.create", {
        "person_id": world.records["person"], "service_id": world.records["service"],
        "note": "Health worry", "note_visibility": "sensitive"})
    assert [r["status"] for r in results(worker, proposed, sensitive)] == ["applied"] * 2

    own, _ = pull_all(worker)
    team, _ = pull_all(login("volunteer@a.test"))

    # A private note is read live by its author, never kept on a phone (pull included).
    assert own[("referral", proposed["record_id"])]["data"]["note"] is None
    assert team[("referral", proposed["record_id"])]["data"]["note"] is None
    assert own[("referral", sensitive["record_id"])]["data"]["note"] is None


@pytest.fixture
def shared_contact(app, world):
    """A contact the coordinator logged with Amina (the team's) and Karim, who is on another
    team's caseload in the same municipality."""
    with app.app_context():
        coordinator = world.actor("coordinator")
        other = factories.make_team(db.session.get(Municipality, world.a.id), "Other team")
        karim = factories.make_person(coordinator, display_name="Karim Other Team")
        factories.apply(coordinator, "person.assign", {"team_id": other.id}, record_id=karim)
        contact = factories.make_contact(coordinator, [world.records["person"], karim])
        db.session.commit()
    return contact, karim


def test_volunteer_sees_no_name_or_id_of_another_teams_person_on_a_shared_contact(
        world, shared_contact, login):
    contact, karim = shared_contact
    volunteer = login("volunteer@a.test")

    page = volunteer.get(f"/contacts/{contact}").get_data(as_text=True)
    timeline = volunteer.get(f"/people/{world.records['person']}").get_data(as_text=True)
    pulled = volunteer.get("/api/v1/sync/pull").get_data(as_text=True)
    cache, _ = pull_all(volunteer)

    for body in (page, timeline, pulled):
        assert "Karim Other Team" not in body
        assert karim not in body
    assert "Amina El Idrissi" in page
    assert '<bdi dir="ltr">+1</bdi> other' in page
    data = cache[("contact", contact)]["data"]
    assert data["person_ids"] == [world.records["person"]]
    assert data["other_people"] == 1
    coordinator = login("coordinator@a.test").get(f"/contacts/{contact}").get_data(as_text=True)
    assert "Karim Other Team" in coordinator


def test_own_contact_lists_and_corrections_keep_a_moved_person_unnamed(app, world, login):
    """The volunteer logged a contact with Amina and someone new; the new person then goes to
    another team. The volunteer's lists stop naming them; a correction of whom the contact was
with changes only the people the volunteer sees, the moved person stays on it."""
    with app.app_context():
        volunteer = world.actor("volunteer")
        other = factories.make_team(db.session.get(Municipality, world.a.id), "Other team")
        moved = factories.make_person(volunteer, display_name="Moved Away Person")
        contact = factories.make_contact(
            volunteer, [world.records["person"], moved],
            follow_up_on=today_local().isoformat(),
            occurred_at=(now() - timedelta(minutes=5)).isoformat())
        factories.apply(world.actor("coordinator"), "person.assign", {"team_id": other.id},
                        record_id=moved)
        db.session.commit()
    client = login("volunteer@a.test")

    bodies = [client.get(path).get_data(as_text=True)
              for path in ("/", "/contacts/follow-ups", f"/contacts/{contact}/correct")]
    original = html.unescape(re.search(r'name="original" value="([^"]*)"', bodies[2])[1])
    drawn = json.loads(original)
    corrected = client.post(f"/contacts/{contact}/correct", data={
        **{k: v for k, v in drawn.items() if v is not None and k != "person_ids"},
        "csrf_token": client.csrf, "original": original})  # Amina taken off

    for body in bodies:
        assert "Moved Away Person" not in body
        assert moved not in body
    assert '<bdi dir="ltr">+1</bdi> other' in bodies[0]
    assert '<bdi dir="ltr">+1</bdi> other' in bodies[1]
    assert corrected.status_code == 303, corrected.get_data(as_text=True)
    with app.app_context():
        from server.contacts.models import Contact

        people = {p.id for p in db.session.get(Contact, contact).people}
    assert people == {moved}


def test_the_person_rule_of_pages_and_pull_equals_the_sql_scope(app, world, shared_contact):
    """core.access.may_see_person (lists of participants) and people.queries.visible_people
    (every other read) must never disagree, for any role and any person of the municipality."""
    from sqlalchemy import select

    from server.contacts.models import Contact, contact_person
    from server.core.access import may_see_person
    from server.people.models import Person
    from server.people.queries import visible_people

    with app.app_context():
        factories.make_person(world.actor("officer"), display_name="Officer's own")
        db.session.commit()
        people = db.session.scalars(select(Person).where(Person.municipality_id == world.a.id))
        people = list(people)
        for role in ("admin", "coordinator", "worker", "volunteer", "buddy", "officer"):
            actor = world.actor(role)
            visible = set(db.session.scalars(select(Person.id).where(
                Person.id.in_(visible_people(actor).with_only_columns(Person.id)))))
            logged = set(db.session.scalars(select(contact_person.c.person_id).join(
                Contact, Contact.id == contact_person.c.contact_id).where(
                Contact.author_id == actor.user_id)))
            for person in people:
                rule = may_see_person(actor, person.team_id, person.created_by,
                                      logged_by_actor=person.id in logged)
                assert rule == (person.id in visible), (role, person.display_name)
