"""A page's cost follows the page, not the municipality: the same statements for a small and
a larger one, the rows fetched and shown bounded by the page (tests/queries.py counts)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from server.buddies.models import BuddyPair, BuddyWish
from server.contacts.models import Contact, contact_person
from server.core.clock import now, today_local
from server.core.ids import new_id
from server.extensions import db
from server.gatherings.models import gathering_attendee
from server.paging import PAGE_SIZE, paged
from server.people.models import Person
from server.referrals.models import Referral
from server.welcome.models import Household

from . import factories
from .queries import cost_of, counted

SMALL, LARGE = 5, 60  # the larger one past a page of PAGE_SIZE


def _referrals(app, world, count: int, **fields) -> None:
    with app.app_context():
        worker = world.actor("worker")
        for i in range(count):
            person = factories.make_person(worker, display_name=f"Persoon {i:03}")
            factories.make_referral(worker, person, world.records["service"], **fields)
        db.session.commit()


def _overdue_and_waiting(app, world, count: int) -> None:
    yesterday = (today_local() - timedelta(days=1)).isoformat()
    _referrals(app, world, count, follow_up_due=yesterday)
    with app.app_context():
        officer, worker = world.actor("officer"), world.actor("worker")
        for i in range(count):
            factories.make_person(officer, display_name=f"Zonder team {i:03}")
            factories.make_contact(worker, [], occurred_at=(now() - timedelta(days=i % 50)).isoformat())
        db.session.commit()


def test_the_coordinators_home_costs_the_same_for_a_larger_municipality(app, world, login):
    coordinator = login("coordinator@a.test")
    _overdue_and_waiting(app, world, SMALL)
    small, _ = cost_of(coordinator, "/")
    _overdue_and_waiting(app, world, LARGE - SMALL)
    large, page = cost_of(coordinator, "/")
    assert len(large) == len(small)
    # As found: every overdue referral, every person without a team and every contact
    # timestamp of eight weeks was fetched to show ten, ten and eight bars.
    assert large.rows - small.rows <= 2 * (10 - SMALL)
    assert f"{LARGE} overdue referrals" in page
    assert f"{LARGE} people without a team" in page
    assert page.count("Zonder team ") == 10
    assert page.count("<meter") == 8


def test_contacts_per_week_counts_each_local_week(app, world, login):
    with app.app_context():
        worker = world.actor("worker")
        for days in (0, 1, 8, 9, 10, 70):  # the last one before the eight weeks
            factories.make_contact(worker, [], occurred_at=(now() - timedelta(days=days)).isoformat())
        db.session.commit()
        from server.home.queries import contacts_per_week

        weeks = contacts_per_week(world.actor("coordinator"), today_local())
    assert len(weeks) == 8
    assert sum(n for _, n in weeks) == 6  # the world's own contact, five of these
    assert [monday.weekday() for monday, _ in weeks] == [0] * 8


@pytest.mark.parametrize(("email", "url"), [("coordinator@a.test", "/referrals/?all=1"),
                                            ("worker@a.test", "/referrals/")])
def test_the_open_referrals_are_paged(app, world, login, email, url):
    client = login(email)
    _referrals(app, world, SMALL)
    small, _ = cost_of(client, url)
    _referrals(app, world, LARGE - SMALL)
    large, page = cost_of(client, url)
    assert len(large) == len(small)
    # As found: the whole municipality rendered, every referral's steps loaded with it.
    assert page.count('class="list-row') == PAGE_SIZE
    assert not large.touching("referral_step")
    assert large.rows - small.rows <= PAGE_SIZE - SMALL
    assert 'rel="next"' in page
    total = LARGE + 1  # the world's own referral
    assert f"Page 1 of 2 ({total} in all)" in page
    second = client.get(f"{url}{'&' if '?' in url else '?'}page=2").get_data(as_text=True)
    assert second.count('class="list-row') == total - PAGE_SIZE
    previous = second.split('rel="prev" href="')[1].split('"')[0]
    assert previous == url.replace("&amp;", "&").replace("&", "&amp;")  # the first page: the kept URL


def test_a_page_number_that_is_no_number_is_refused_with_a_reason(world, login):
    response = login("worker@a.test").get("/referrals/?page=zero")
    assert response.status_code == 400
    assert "The page number must be a whole number from 1." in response.get_data(as_text=True)


def _households(app, world, count: int) -> None:
    with app.app_context():
        for i in range(count):
            db.session.add(Household(
                municipality_id=world.a.id, names=f"Gezin {i:03}", street="Kerkstraat",
                street_key="kerkstraat", house_number=str(i), postcode="1700",
                registered_on=today_local(), languages=["ar"], assigned_team_id=world.team.id))
        db.session.commit()


@pytest.mark.parametrize("email", ["coordinator@a.test", "volunteer@a.test"])
def test_the_welcome_worklist_is_paged(app, world, login, email):
    client = login(email)
    _households(app, world, SMALL)
    small, _ = cost_of(client, "/welcome/")
    _households(app, world, LARGE - SMALL)
    large, page = cost_of(client, "/welcome/")
    assert len(large) == len(small)
    assert page.count('class="list-row') == PAGE_SIZE  # as found: all sixty
    assert large.rows - small.rows <= PAGE_SIZE - SMALL
    assert 'rel="next"' in page


def _pairs(app, world, count: int) -> None:
    with app.app_context():
        worker = world.actor("worker")
        for i in range(count):
            person = factories.make_person(worker, display_name=f"Maatje {i:03}")
            wish = BuddyWish(municipality_id=world.a.id, person_id=person, author_id=worker.user_id,
                              status="matched")
            db.session.add(wish)
            db.session.flush()
            db.session.add(BuddyPair(
                municipality_id=world.a.id, wish_id=wish.id, person_id=person,
                buddy_id=world.users["buddy"].id, proposed_by=worker.user_id,
                proposed_on=today_local(), answer_by=today_local() + timedelta(days=7)))
        db.session.commit()


def test_the_buddy_pairs_are_paged(app, world, login):
    coordinator = login("coordinator@a.test")
    _pairs(app, world, SMALL)
    small, _ = cost_of(coordinator, "/buddies/")
    _pairs(app, world, LARGE - SMALL)
    large, page = cost_of(coordinator, "/buddies/")
    assert len(large) == len(small)
    # As found: all pairs listed, and the proposals all fetched to find those waiting.
    assert page.count("Maatje ") == PAGE_SIZE
    assert large.rows - small.rows <= PAGE_SIZE - SMALL
    assert 'rel="next"' in page


def test_the_contact_form_reads_the_picker_once(app, world, login):
    with app.app_context():
        for i in range(SMALL):
            factories.make_person(world.actor("worker"), display_name=f"Kies {i:03}")
        db.session.commit()
    cost, page = cost_of(login("worker@a.test"), "/contacts/new")
    assert "Kies 004" in page
    picker = [s for s in cost.touching("person") if "ORDER BY person.display_name" in s]
    assert len(picker) == 1  # as found: twice, the municipality's people sorted each time


def test_a_persons_page_costs_the_same_beside_more_contacts(app, world, login):
    person = world.records["person"]
    worker = login("worker@a.test")

    def contacts(count: int) -> None:
        with app.app_context():
            for _ in range(count):
                factories.make_contact(world.actor("worker"), [])  # with no one
            db.session.commit()

    contacts(SMALL)
    small, _ = cost_of(worker, f"/people/{person}")
    contacts(LARGE - SMALL)
    large, _ = cost_of(worker, f"/people/{person}")
    assert len(large) == len(small)
    assert large.rows == small.rows


@pytest.mark.postgres  # a PostgreSQL plan or extension: the PostgreSQL lane only
def test_the_household_name_match_is_served_by_the_trigram_index(app, world):
    with app.app_context():
        from server.welcome.queries import matches

        household = Household(municipality_id=world.a.id, names="Amina Idrissi",
                              street="Kerkstraat", street_key="kerkstraat", house_number="1",
                              postcode="1700", registered_on=today_local())
        db.session.add(household)
        db.session.flush()
        _many_people_like(world.records["person"], 3000)
        with counted() as cost:
            found = matches(world.actor("coordinator"), household)
        assert [m.person.id for m in found] == [world.records["person"]]
        plan = _plan(cost, lambda s: "LIKE" in s.upper() and "FROM person" in s)
        # As found: lower(display_name) LIKE, which no index serves: every person read.
        assert "ix_person_name_trigram" in plan, plan


def _plan(cost, chosen) -> str:
    """PostgreSQL's plan of the first statement ``chosen`` picks, with its own parameters."""
    index = next(i for i, s in enumerate(cost.statements) if chosen(s))
    return "\n".join(db.session.connection().exec_driver_sql(
        "EXPLAIN " + cost.statements[index], cost.parameters[index]).scalars())


def _many_people_like(person_id: str, count: int) -> None:
    """``count`` copies of a person under other names, and fresh statistics: a municipality
    large enough for PostgreSQL's planner to choose as it would at scale."""
    columns = [c.name for c in Person.__table__.columns]
    chosen = {"id": "gen_random_uuid()::text", "display_name": "'Naam ' || g"}
    values = ", ".join(chosen.get(name, name) for name in columns)
    db.session.execute(text(f"INSERT INTO person ({', '.join(columns)}) SELECT {values} "
                            "FROM person, generate_series(1, :count) AS g WHERE id = :id"),
                       {"count": count, "id": person_id})
    db.session.execute(text("SELECT gin_clean_pending_list('ix_person_name_trigram')"))
    db.session.execute(text("ANALYZE person"))


def _signals(app, world, count: int) -> None:
    with app.app_context():
        for i in range(count):
            factories.apply(world.actor("worker"), "signal.create", {
                "theme": "housing_environment", "urgency": "normal",
                "description": f"Signaal {i:03}"})
        db.session.commit()


def test_the_signal_list_never_loads_the_steps(app, world, login):
    worker = login("worker@a.test")
    _signals(app, world, SMALL)
    small, _ = cost_of(worker, "/signals/")
    _signals(app, world, LARGE - SMALL)
    large, page = cost_of(worker, "/signals/")
    assert len(large) == len(small)
    assert page.count("Signaal ") == 2 * LARGE  # in "your signals" and in "all signals"
    # As found: every listed signal's steps loaded (twice two hundred at most) and unused.
    assert not large.touching("signal_step")
    assert large.rows - small.rows <= 2 * (LARGE - SMALL)


def _past_gathering_with(app, world, attendees: int) -> None:
    with app.app_context():
        worker = world.actor("worker")
        gathering = factories.apply(worker, "gathering.create", {
            "kind": "buurtbabbel", "starts_at": (now() - timedelta(days=2)).isoformat(),
            "place": "Plein"})
        people = [factories.make_person(worker, display_name=f"Aanwezig {i:03}")
                  for i in range(attendees)]
        db.session.execute(gathering_attendee.insert(), [
            {"gathering_id": gathering, "person_id": person} for person in people])
        db.session.commit()


def test_the_signal_form_never_loads_who_attended_the_gatherings_it_offers(app, world, login):
    worker = login("worker@a.test")
    _past_gathering_with(app, world, SMALL)
    small, _ = cost_of(worker, "/signals/new")
    _past_gathering_with(app, world, LARGE)
    large, page = cost_of(worker, "/signals/new")
    assert len(large) == len(small)
    # As found: the attendees, hosts and topics of the twenty gatherings offered to link.
    assert not large.touching("gathering_attendee")
    assert large.rows - small.rows <= 1  # the one more gathering


@pytest.mark.postgres  # a PostgreSQL plan or extension: the PostgreSQL lane only
def test_a_persons_contacts_are_read_from_their_links(app, world):
    """As found: the caseload rule listed every contact of the team's people (a hashed
    subplan over the municipality's links) to return the person's dozen."""
    with app.app_context():
        from server.contacts.queries import for_person

        worker = world.actor("worker")
        other = factories.make_person(worker, display_name="Ander teamlid")
        source = factories.make_contact(world.actor("coordinator"), [other])
        row = db.session.execute(select(Contact.__table__).where(Contact.id == source)).mappings().one()
        ids = [new_id() for _ in range(3000)]
        db.session.execute(Contact.__table__.insert(), [{**row, "id": i} for i in ids])
        db.session.execute(contact_person.insert(), [{"contact_id": i, "person_id": other} for i in ids])
        db.session.execute(text("ANALYZE contact"))
        db.session.execute(text("ANALYZE contact_person"))
        with counted() as cost:
            found = for_person(worker, world.records["person"])
        assert [c.id for c in found] == [world.records["contact"]]
        plan = _plan(cost, lambda s: "FROM contact" in s)
        assert "hashed SubPlan" not in plan, plan
        assert "Seq Scan on contact " not in plan, plan
        assert "Seq Scan on contact_person" not in plan, plan


def _copies(table, source_id: str, count: int, **varying) -> list[str]:
    """``count`` copies of a row under new ids (``varying``: column -> f(i)), then ANALYZE."""
    row = db.session.execute(select(table).where(table.c.id == source_id)).mappings().one()
    ids = [new_id() for _ in range(count)]
    db.session.execute(table.insert(), [
        {**row, "id": i, **{name: f(n) for name, f in varying.items()}} for n, i in enumerate(ids)])
    db.session.execute(text(f"ANALYZE {table.name}"))
    return ids


@pytest.mark.postgres  # a PostgreSQL plan or extension: the PostgreSQL lane only
def test_the_weekly_contact_counts_are_read_from_an_index(app, world):
    """As found at scale: every contact of the municipality read to count eight weeks."""
    with app.app_context():
        from server.home.queries import contacts_per_week

        moment = now()
        table = Contact.__table__
        rows = [db.session.execute(select(table).where(table.c.id == world.records[source]))
                .mappings().one() for source in ("contact", "contact_b", "contact_b")]
        # A region: the other municipalities' contacts between this one's, over two years.
        db.session.execute(table.insert(), [
            {**rows[n % 3], "id": new_id(), "note": "x" * 400,
             "occurred_at": moment - timedelta(days=n // 3 % 700)} for n in range(12000)])
        db.session.execute(text("ANALYZE contact"))
        with counted() as cost:
            contacts_per_week(world.actor("coordinator"), today_local())
        plan = _plan(cost, lambda s: "count(CASE" in s)
        assert "ix_contact_municipality_occurred" in plan, plan


@pytest.mark.postgres  # a PostgreSQL plan or extension: the PostgreSQL lane only
def test_a_page_of_open_referrals_is_read_in_index_order(app, world):
    """As found at scale: every open referral of the municipality sorted for a page of 50."""
    with app.app_context():
        from server.referrals.queries import open_referrals

        today = today_local()
        _copies(Referral.__table__, world.records["referral"], 4000,
                follow_up_due=lambda n: today + timedelta(days=n % 300) if n % 7 else None)
        with counted() as cost:
            paged(open_referrals(world.actor("coordinator"), mine_only=False), 1)
        plan = _plan(cost, lambda s: "LIMIT" in s and "FROM referral" in s)
        assert "ix_referral_municipality_due" in plan, plan
        assert "Sort" not in plan.split("Nested Loop")[0], plan
