"""`flask seed-scale --small`: the synthetic region for benchmarks, its two pinned accounts,
the worker's caseload of 300 and a pull that matches the rows written in bulk."""

import pytest
from sqlalchemy import func, or_, select

from server.auth.models import User
from server.contacts.models import Contact, contact_person
from server.core.changes import ChangeCounter, ChangeLog
from server.demo.scale import COORDINATOR_EMAIL, WORKER_EMAIL
from server.demo.seed import DEMO_PASSWORD
from server.extensions import db
from server.org.models import TeamMember
from server.people.models import Person

from .conftest import csrf_token, sign_in
from .sync_client import pull_all

pytestmark = pytest.mark.committed


def _seed(app, *args: str):
    return app.test_cli_runner().invoke(args=["seed-scale", "--small", *args])


def _client(app, email: str):
    client = app.test_client()
    response = sign_in(client, email, DEMO_PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    client.csrf = csrf_token(client, "/")
    return client


def _scope(worker_id: str) -> tuple[set[str], set[str], set[str]]:
    """The worker's teams, and the people and contacts their scope takes in, read from the rows."""
    teams = set(db.session.scalars(select(TeamMember.team_id).where(
        TeamMember.user_id == worker_id)))
    people = set(db.session.scalars(select(Person.id).where(or_(
        Person.team_id.in_(teams), (Person.team_id.is_(None)) & (Person.created_by == worker_id)))))
    contacts = set(db.session.scalars(select(Contact.id).where(or_(
        Contact.author_id == worker_id,
        Contact.id.in_(select(contact_person.c.contact_id).join(
            Person, Person.id == contact_person.c.person_id).where(Person.team_id.in_(teams)))))))
    return teams, people, contacts


def test_small_region_signs_in_both_accounts_and_the_worker_pulls_their_caseload(app):
    result = _seed(app)
    assert result.exit_code == 0, result.output
    assert "total:" in result.output
    assert "rows/s" in result.output
    worker = _client(app, WORKER_EMAIL)
    coordinator = _client(app, COORDINATOR_EMAIL)
    assert coordinator.get("/").status_code == 200
    with app.app_context():
        worker_id = db.session.scalar(select(User.id).where(User.email == WORKER_EMAIL))
        teams, people, contacts = _scope(worker_id)
        [team] = teams
        caseload = db.session.scalar(select(func.count()).where(Person.team_id == team))
        on_caseload = db.session.scalar(select(func.count()).select_from(contact_person).join(
            Person, Person.id == contact_person.c.person_id).where(Person.team_id == team))
        counter = db.session.get(ChangeCounter, 1).value
        logged = db.session.scalar(select(func.max(ChangeLog.seq)))
        db.session.remove()
    assert caseload == 300
    assert 28 <= on_caseload / caseload <= 34  # about 31 contacts a person
    assert counter == logged  # the counter names the last change written
    cache, _cursor = pull_all(worker, limit=1000)
    pulled = {kind: {i for (t, i) in cache if t == kind} for kind in ("person", "contact")}
    assert pulled["person"] == people
    assert len(people) >= 300
    assert pulled["contact"] == contacts


def test_second_run_on_the_same_database_is_refused(app):
    assert _seed(app).exit_code == 0
    with app.app_context():
        people = db.session.scalar(select(func.count()).select_from(Person))
        db.session.remove()
    again = _seed(app, "--seed", "2")
    assert again.exit_code == 1
    assert "already holds a synthetic region" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)) == people
        db.session.remove()


def test_too_few_people_for_the_caseload_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["seed-scale", "--small", "--people", "200"])
    assert result.exit_code == 2
    assert "too few people" in result.output
