"""Property-based (hypothesis stateful): phones going on and offline, creating people and
contacts, editing people, a coordinator moving people between caseloads; batches delivered
twice, in shuffled order, with lost answers (the server applied, the phone did not hear and
sends again) and lost pulls.

A model of the server predicts every push result (applied, merged, conflict, duplicate,
rejected) from the contract alone. Afterwards: every acknowledged mutation is in the
database once, the database equals the model, every phone's cache equals a pull from
scratch, and every overlapping edit is a conflict kept for the author who lost."""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test
from sqlalchemy import select

from server.core.clock import now
from server.extensions import db
from server.people.models import Person
from server.sync.models import AppliedMutation, SyncConflict

from . import factories
from .conftest import csrf_token, sign_in
from .sync_client import pull, pull_all, push

pytestmark = pytest.mark.committed  # other processes, threads or databases read what it writes

USERS = {  # key: (role, team key or None)
    "C": ("coordinator", None), "W": ("worker", "T1"), "V": ("volunteer", "T1"),
    "U": ("volunteer", "T2"),
}
PHONES = {"C1": "C", "W1": "W", "W2": "W", "V1": "V", "U1": "U"}  # W has two phones
VALUES = {
    "display_name": ["Amina", "Yusuf", "Olena"],
    "phone": [None, "+32 470 11", "+32 470 22"],
    "preferred_language": [None, "nl", "fr"],
    "languages": [[], ["ar"], ["fr", "nl"]],
}
# max_examples comes from the Hypothesis profile (tests/conftest.py): few while developing.
SETTINGS = settings(stateful_step_count=40, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@dataclass
class PersonModel:
    created_by: str
    team: str | None
    values: dict
    version: int = 1
    field_versions: dict = field(default_factory=dict)
    field_authors: dict = field(default_factory=dict)


class ServerModel:
    """What the contract says the server must answer, mutation by mutation."""

    def __init__(self) -> None:
        self.people: dict[str, PersonModel] = {}
        self.order: list[str] = []  # person ids in creation order
        self.contacts: set[str] = set()
        self.applied: dict[str, dict] = {}  # mutation id -> the first (non-rejected) result
        self.conflicts: list[tuple] = []  # (user, record, field, mutation id, their value)

    def may_write(self, user: str, person: PersonModel) -> bool:
        role, team = USERS[user]
        if role == "coordinator":
            return True
        return person.team == team or (person.team is None and person.created_by == user)

    def expect(self, user: str, m: dict) -> dict:
        if m["id"] in self.applied:
            return {**self.applied[m["id"]], "status": "duplicate"}
        result = getattr(self, "_" + m["type"].replace(".", "_"))(user, m)
        if result["status"] != "rejected":
            self.applied[m["id"]] = result
        return result

    @staticmethod
    def _result(m: dict, status: str, version: int | None = None, **extra) -> dict:
        return {"id": m["id"], "status": status, "record_id": m["record_id"], "version": version,
                **extra}

    def _person_create(self, user: str, m: dict) -> dict:
        if m["record_id"] in self.people:
            return self._result(m, "rejected")
        values = {"display_name": m["fields"]["display_name"], "phone": None,
                  "preferred_language": None, "languages": []}
        self.people[m["record_id"]] = PersonModel(
            created_by=user, team=USERS[user][1], values=values,
            field_versions=dict.fromkeys(values, 1), field_authors=dict.fromkeys(values, user))
        self.order.append(m["record_id"])
        return self._result(m, "applied", 1)

    def _person_update(self, user: str, m: dict) -> dict:
        person = self.people.get(m["record_id"])
        if person is None or not self.may_write(user, person):
            return self._result(m, "rejected")
        base, before = m["base_version"], person.version
        apply, conflicts = {}, []
        for name, value in m["fields"].items():
            if person.values[name] == value:
                continue
            if person.field_versions[name] > base and person.field_authors[name] != user:
                conflicts.append(name)
                self.conflicts.append((user, m["record_id"], name, m["id"], value))
            else:
                apply[name] = value
        if apply:
            person.version += 1
            for name, value in apply.items():
                person.values[name] = value
                person.field_versions[name] = person.version
                person.field_authors[name] = user
        if conflicts:
            return self._result(m, "conflict", person.version, conflict_fields=conflicts)
        return self._result(m, "merged" if base < before else "applied", person.version)

    def _person_assign(self, user: str, m: dict) -> dict:
        person = self.people.get(m["record_id"])
        if person is None:
            return self._result(m, "rejected")
        team = m["fields"]["team_key"]
        if team != person.team:
            person.team = team
            person.version += 1
        return self._result(m, "applied", person.version)

    def _contact_create(self, user: str, m: dict) -> dict:
        people = [self.people.get(p) for p in m["fields"]["person_ids"]]
        if any(p is None or not self.may_write(user, p) for p in people):
            return self._result(m, "rejected")  # caseload roles see exactly what they write
        self.contacts.add(m["record_id"])
        return self._result(m, "applied", 1)


@dataclass
class Phone:
    user: str
    client: object
    client_id: str
    online: bool = True
    seq: int = 0
    outbox: list[dict] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)  # everything this phone ever sent
    acked: set[str] = field(default_factory=set)
    set_aside: list[dict] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    cursor: str | None = None


class SyncMachine(RuleBasedStateMachine):
    app = None  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.ids = 0
        self.model = ServerModel()
        with self.app.app_context():
            factories.empty_database()
            town = factories.make_municipality("Property")
            teams = {key: factories.make_team(town, key) for key in ("T1", "T2")}
            self.users = {key: factories.make_user(f"{key.lower()}@property.test", town, role,
                                                   teams=(teams[team],) if team else ()).id
                          for key, (role, team) in USERS.items()}
            self.teams = {key: team.id for key, team in teams.items()}
            db.session.commit()
            db.session.remove()
        self.phones = {name: Phone(user, self._login(user), self._new_id())
                       for name, user in PHONES.items()}
        # a morning's start: a few people on each caseload, every phone synced once
        for phone, name in (("W1", "Amina"), ("W1", "Yusuf"), ("C1", "Olena"), ("U1", "Amina")):
            self._save(self.phones[phone], "person.create", self._new_id(), {"display_name": name})
        for device in self.phones.values():
            if device.outbox:
                self._hear(device, device.outbox, self._push(device, device.outbox))
        for device in self.phones.values():
            self._pull(device)

    # --- helpers -------------------------------------------------------------------------

    def _new_id(self) -> str:
        """Ids made on the phone when the user presses save (deterministic per example)."""
        self.ids += 1
        return f"{self.ids:08x}-0000-4000-8000-{self.ids:012x}"

    def _login(self, user: str):
        client = self.app.test_client()
        assert sign_in(client, f"{user.lower()}@property.test").status_code == 303
        client.csrf = csrf_token(client, "/")
        return client

    def _save(self, phone: Phone, mutation_type: str, record_id: str, fields: dict,
              base_version: int | None = None) -> None:
        phone.seq += 1
        m = {"id": self._new_id(), "seq": phone.seq, "type": mutation_type,
             "record_id": record_id, "fields": fields}
        if base_version is not None:
            m["base_version"] = base_version
        phone.outbox.append(m)
        phone.sent.append(m)

    def _cached_people(self, phone: Phone) -> list[str]:
        return [p for p in self.model.order if ("person", p) in phone.cache]

    def _wire(self, m: dict) -> dict:
        """The model keeps team keys; the wire carries team ids."""
        if m["type"] != "person.assign":
            return m
        key = m["fields"]["team_key"]
        return {**m, "fields": {"team_id": self.teams[key] if key else None}}

    def _push(self, phone: Phone, batch: list[dict]) -> list[dict]:
        response = push(phone.client, *[self._wire(m) for m in batch], client_id=phone.client_id)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        answered = response.get_json()["results"]
        assert [r["id"] for r in answered] == [m["id"] for m in batch]
        # the server applies in seq order (then request order): so does the model
        order = sorted(range(len(batch)), key=lambda i: (batch[i]["seq"], i))
        for i in order:
            self._check(self.model.expect(phone.user, batch[i]), answered[i])
        return answered

    @staticmethod
    def _check(expected: dict, got: dict) -> None:
        assert got["status"] == expected["status"], (expected, got)
        if expected["status"] == "rejected":
            assert got["errors"], got
            return
        assert (got["record_id"], got["version"]) == (expected["record_id"],
                                                       expected["version"]), (expected, got)
        fields = expected.get("conflict_fields")
        if fields:
            assert sorted(got["conflict"]["fields"]) == sorted(fields), (expected, got)
        elif expected["status"] != "duplicate":
            assert "conflict" not in got, got

    def _pull(self, phone: Phone) -> None:
        phone.cache, phone.cursor = pull_all(phone.client, phone.cursor, limit=7,
                                             cache=phone.cache)

    def _matches_a_fresh_pull(self, phone: Phone) -> None:
        fresh, _ = pull_all(phone.client)
        assert phone.cache == fresh

    # --- what users do -------------------------------------------------------------------

    @rule(phone=st.sampled_from(list(PHONES)), name=st.sampled_from(VALUES["display_name"]))
    def create_person(self, phone: str, name: str) -> None:
        self._save(self.phones[phone], "person.create", self._new_id(), {"display_name": name})

    @rule(phone=st.sampled_from(list(PHONES)), pick=st.integers(0, 99), with_person=st.booleans())
    def log_contact(self, phone: str, pick: int, with_person: bool) -> None:
        device = self.phones[phone]
        people = self._cached_people(device) if with_person else []
        self._save(device, "contact.create", self._new_id(), {
            "occurred_at": (now() - timedelta(hours=1)).isoformat(), "channel": "home_visit",
            "person_ids": [people[pick % len(people)]] if people else []})

    @rule(phone=st.sampled_from(list(PHONES)), pick=st.integers(0, 99),
          edits=st.dictionaries(st.sampled_from(list(VALUES)), st.integers(0, 2), min_size=1,
                                max_size=2))
    def edit_person(self, phone: str, pick: int, edits: dict) -> None:
        device = self.phones[phone]
        people = self._cached_people(device)
        if not people:
            return
        person_id = people[pick % len(people)]
        fields = {name: VALUES[name][i] for name, i in edits.items()}
        self._save(device, "person.update", person_id, fields,
                   base_version=device.cache[("person", person_id)]["version"])

    @rule(pick=st.integers(0, 99), team=st.sampled_from(["T1", "T2", None]))
    def coordinator_moves_a_person(self, pick: int, team: str | None) -> None:
        device = self.phones["C1"]
        people = self._cached_people(device)
        if people:
            self._save(device, "person.assign", people[pick % len(people)], {"team_key": team})

    @rule(phone=st.sampled_from(list(PHONES)))
    def toggle_network(self, phone: str) -> None:
        self.phones[phone].online = not self.phones[phone].online

    @precondition(lambda self: any(p.online for p in self.phones.values()))
    @rule(phone=st.sampled_from(list(PHONES)), shuffle=st.integers(0, 2**16),
          resend=st.integers(0, 3), lose_answer=st.booleans(), lose_pull=st.booleans(),
          part=st.integers(1, 3))
    def sync(self, phone: str, shuffle: int, resend: int, lose_answer: bool, lose_pull: bool,
             part: int) -> None:
        device = self.phones[phone]
        if not device.online:
            return
        # a flaky connection may carry only the first part of the outbox
        batch = device.outbox[: max(1, len(device.outbox) * part // 3)] if device.outbox else []
        batch += [m for m in device.sent if m["id"] in device.acked][-resend:] if resend else []
        batch += batch[:1] if resend == 3 else []  # one mutation twice in one batch
        random.Random(shuffle).shuffle(batch)
        answered = self._push(device, batch) if batch else []
        if not lose_answer:
            self._hear(device, batch, answered)
        if lose_pull:
            pull(device.client, device.cursor)  # the server answered; the phone never heard
            return
        self._pull(device)
        self._matches_a_fresh_pull(device)

    @staticmethod
    def _hear(device: Phone, batch: list[dict], answered: list[dict]) -> None:
        done = set()
        for m, result in zip(batch, answered, strict=True):
            done.add(m["id"])
            if result["status"] == "rejected":
                device.set_aside.append(m)
            else:
                device.acked.add(m["id"])
        device.outbox = [m for m in device.outbox if m["id"] not in done]

    # --- afterwards ----------------------------------------------------------------------

    def teardown(self) -> None:
        for device in self.phones.values():  # everyone back online, everything sent
            device.online = True
            while device.outbox:
                batch = list(device.outbox)
                self._hear(device, batch, self._push(device, batch))
        for device in self.phones.values():
            self._pull(device)
        for name, device in self.phones.items():
            fresh, _ = pull_all(device.client)
            assert device.cache == fresh, name
        with self.app.app_context():
            self._database_equals_the_model()
            db.session.remove()

    def _database_equals_the_model(self) -> None:
        acknowledged = set().union(*(d.acked for d in self.phones.values()))
        ledger = set(db.session.scalars(select(AppliedMutation.id)))
        assert acknowledged <= ledger  # nothing acknowledged is lost
        assert ledger == set(self.model.applied)  # and nothing else took effect
        people = {p.id: p for p in db.session.scalars(select(Person))}
        assert set(people) == set(self.model.people)  # every create once, none doubled
        team_of = {v: k for k, v in self.teams.items()}
        for person_id, expected in self.model.people.items():
            stored = people[person_id]
            assert stored.version == expected.version
            assert team_of.get(stored.team_id) == expected.team
            assert {n: getattr(stored, n) for n in expected.values} == expected.values
        stored_conflicts = sorted(json.dumps([c.user_id, c.record_id, c.field, c.mutation_id,
                                              c.their_value])
                                  for c in db.session.scalars(select(SyncConflict)))
        expected_conflicts = sorted(json.dumps([self.users[u], r, f, m, v])
                                    for u, r, f, m, v in self.model.conflicts)
        assert stored_conflicts == expected_conflicts  # every overlapping edit, kept for the loser


def test_phones_syncing_through_lost_answers_and_duplicates_converge(app):
    SyncMachine.app = app
    run_state_machine_as_test(SyncMachine, settings=SETTINGS)
