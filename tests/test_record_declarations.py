"""One declaration per record type: the OpenAPI document states exactly the limits the
operations apply. Every limit is read from the document and tried through a real push, at
the limit and one past it; every limit the declaration has is in the document."""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from server.buddies.models import BuddyPair, BuddyProfile, BuddySession, BuddyWish
from server.contacts.models import Contact
from server.core.clock import now
from server.core.ids import new_id
from server.core.records import INPUTS, RECORDS, Field, Kind, Read
from server.core.tallies import DELTA_HIGH
from server.gatherings.models import Gathering
from server.outreach.models import OutreachRound
from server.people.models import Person
from server.referrals.models import Referral
from server.signals.models import Signal
from server.welcome.models import Household, WelcomeVisit

from .buddy_helpers import world_pair
from .sync_client import contact_create, mutation, person_create, results


def _person(world):
    created = person_create("Limit")
    return [created], {}, created["record_id"], 1


def _contact(world):
    created = contact_create()
    return [created], {}, created["record_id"], 1


def _referral(world):
    created = mutation("referral.create", {"person_id": world.records["person"],
                                           "service_id": world.records["service"]})
    return [created], {"status": "sent"}, created["record_id"], 1


def _gathering(world):
    created = mutation("gathering.create", {"kind": "buurtbabbel", "place": "Plein",
                                            "starts_at": "2026-12-20T14:00:00+01:00"})
    return [created], {}, created["record_id"], 1


def _round(world):
    created = mutation("outreach_round.start", {"place": "Markt",
                                                "started_at": now().isoformat()})
    return [created], {}, created["record_id"], None


def _signal(world):
    created = mutation("signal.create", {"theme": "work", "urgency": "low",
                                         "description": "Limit"})
    return [created], {"status": "acknowledged"}, created["record_id"], None


def _with(make, fields: dict, version=False):
    def base(world):
        before, _fields, record_id, at = make(world)
        return before, fields, record_id, at if version else None
    return base


def _counted(make, kind: str, counter: str):
    """A record whose counter already holds the largest tap: a tap of the smallest delta may
    take it back (a count never goes below zero)."""
    def base(world):
        before, _fields, record_id, _at = make(world)
        full = mutation(f"{kind}.increment", {"counter": counter, "delta": DELTA_HIGH},
                        record_id=record_id)
        return [*before, full], {"counter": counter, "delta": 1}, record_id, None
    return base


def _welcome_visit(world):
    return [], {"household_id": world.records["household"], "outcome": "welcomed",
                "agrees_to_contact": True,
                "occurred_at": (now() - timedelta(hours=1)).isoformat()}, None, None


# Per mutation type: what goes before it, the fields it needs anyway, its record and version.
BASES = {
    "person.create": lambda world: ([], {"display_name": "Limit"}, None, None),
    "person.update": _person,
    "person.assign": _person,
    "contact.create": lambda world: ([], {
        "occurred_at": (now() - timedelta(hours=1)).isoformat(), "channel": "phone"}, None, None),
    "contact.correct": _contact,
    "referral.create": lambda world: ([], {"person_id": world.records["person"],
                                           "service_id": world.records["service"]}, None, None),
    "referral.advance": _referral,
    "buddy_profile.save": lambda w: ([], {"capacity": 1}, world_pair(w)["buddy_profile"], None),
    "buddy_wish.create": lambda w: ([], {"person_id": w.records["person"]}, None, None),
    "buddy_pair.propose": lambda w: ([], {}, None, None),
    "buddy_pair.answer": lambda w: ([], {}, world_pair(w)["buddy_pair"], None),
    "buddy_pair.move": lambda w: ([], {"status": "paused"}, world_pair(w)["buddy_pair"], None),
    "buddy_pair.goals": lambda w: ([], {}, world_pair(w)["buddy_pair"], None),
    "buddy_session.plan": lambda w: ([], {"pair_id": world_pair(w)["buddy_pair"], "day": "2027-01-10",
                                          "start_time": "10:00", "duration_minutes": 60}, None, None),
    "buddy_session.confirm": lambda w: ([], {}, world_pair(w)["buddy_future"], None),
    "buddy_session.log": lambda w: ([], {"outcome": "done"}, world_pair(w)["buddy_past"], None),
    "gathering.create": lambda world: ([], {"kind": "praatcafe", "place": "Bib",
                                            "starts_at": now().isoformat()}, None, None),
    "gathering.update": _gathering,
    "gathering.increment": _counted(_gathering, "gathering", "residents"),
    "gathering.hear": _with(_gathering, {"language": "ar"}),
    "gathering.topic": _with(_gathering, {"text": "Wachtlijst"}),
    "gathering.attend": _with(_gathering, {}),
    "outreach_round.start": lambda world: ([], {"place": "Markt",
                                                "started_at": now().isoformat()}, None, None),
    "outreach_round.end": _with(_round, {"ended_at": now().isoformat()}),
    "outreach_round.increment": _counted(_round, "outreach_round", "flyers"),
    "outreach_round.topic": _with(_round, {"text": "Huisvesting"}),
    "signal.create": lambda world: ([], {"theme": "work", "urgency": "low",
                                         "description": "Limit"}, None, None),
    "signal.triage": _signal,
    "signal.seen": _with(_signal, {}),
    "welcome_visit.log": _welcome_visit,
}
# Who pushes a mutation type's probes when it is not the worker.
PUSHERS = {"buddy_profile.save": "buddy@a.test", "buddy_pair.answer": "buddy@a.test"}
TOO_MANY = {Kind.CHOICES: "must be a list", Kind.IDS: "must be a list"}


def _text(field: Field, length: int) -> str:
    """Text of this length that is otherwise right for the field (its pattern, if any)."""
    for make in (lambda n: "a" * n, lambda n: "a" * (n - 4) + "@b.c",
                 lambda n: "abc-defgh-" + "x" * (n - 10), lambda n: "12:30" + "0" * (n - 5)):
        if field.pattern is None or field.pattern.match(make(length)):
            return make(length)
    raise AssertionError(f"no sample text for {field.name}")


def _items(field: Field, count: int) -> list:
    if field.kind is Kind.CHOICES:
        return [field.choices[i % len(field.choices)] for i in range(count)]
    if field.kind is Kind.CODES:
        return [chr(97 + i // 26) + chr(97 + i % 26) for i in range(count)]
    return [new_id() for _ in range(count)]


def _probes(field: Field, schema: dict) -> list[tuple[object, str | None]]:
    """(value, reason it is refused, or None) at each limit the document states."""
    if field.kind in (Kind.TEXT, Kind.LINES):
        return [(_text(field, schema["maxLength"]), None),
                (_text(field, schema["maxLength"]) + "0", "too long")]
    if "maxItems" in schema:
        fit = None if field.kind is not Kind.IDS else "not found or not allowed"
        return [(_items(field, schema["maxItems"]), fit),
                (_items(field, schema["maxItems"] + 1), TOO_MANY.get(field.kind, field.mismatch))]
    if field.kind is Kind.INT:
        return [(schema["minimum"], None), (schema["maximum"], None),
                (schema["minimum"] - 1, "out of range"), (schema["maximum"] + 1, "out of range")]
    if field.kind is Kind.CHOICE:
        return [("not-a-choice", "not one of the allowed values")]
    return []


def test_every_declared_mutation_type_is_tried_here(app):
    assert set(BASES) == set(INPUTS)


@pytest.mark.parametrize("mutation_type", sorted(BASES))
def test_document_limits_are_the_operations_limits(app, client, world, login, mutation_type,
                                                   tmp_path):
    if mutation_type.startswith("welcome_visit."):
        world.records["household"] = _household(app, world, tmp_path)
    document = client.get("/api/v1/openapi.json").get_json()
    name = f"Mutation_{mutation_type.replace('.', '_')}"
    documented = document["components"]["schemas"][name]["properties"]["fields"]["properties"]
    declared = INPUTS[mutation_type]
    assert set(documented) == set(declared.names)
    worker = login(PUSHERS.get(mutation_type, "worker@a.test"))
    expected, items = [], []
    for field in declared.fields:
        _assert_declared_limits_documented(field, documented[field.name])
        for value, reason in _probes(field, documented[field.name]):
            with app.app_context():
                before, base, record_id, version = BASES[mutation_type](world)
            items += [*before, mutation(mutation_type, {**base, field.name: value},
                                        record_id=record_id, base_version=version)]
            expected.append((len(items) - 1, field.name, reason))
    answers = results(worker, *items)
    for index, name, reason in expected:
        errors = [e["reason"] for e in answers[index].get("errors", []) if e["field"] == name]
        assert errors == ([reason] if reason else []), (name, reason, answers[index])
        if reason is None:
            assert answers[index]["status"] in ("applied", "merged"), (name, answers[index])


def _assert_declared_limits_documented(field: Field, schema: dict) -> None:
    limits = {"maxLength": field.max_len, "maxItems": field.max_items, "minimum": field.low,
              "maximum": field.high}
    assert {k: schema.get(k) for k in limits} == limits, field.name
    if field.kind is Kind.CHOICE:
        assert [c for c in schema["enum"] if c is not None] == list(field.choices)
        assert (None in schema["enum"]) == (not field.required and field.default is None)
    if field.kind is Kind.CHOICES:
        assert schema["items"]["enum"] == list(field.choices)
    if field.required and field.kind in (Kind.TEXT, Kind.LINES):
        assert schema["minLength"] == 1


def _household(app, world, tmp_path) -> str:
    from .test_welcome import make_households
    from .welcome_helpers import row

    return make_households(app, world, [row("Limit", "Household")], tmp_path)["Limit Household"]


MODELS = {"person": Person, "contact": Contact, "referral": Referral,
          "buddy_profile": BuddyProfile, "buddy_wish": BuddyWish, "buddy_pair": BuddyPair,
          "buddy_session": BuddySession, "gathering": Gathering,
          "outreach_round": OutreachRound, "signal": Signal, "household": Household,
          "welcome_visit": WelcomeVisit}
LISTS = (Kind.CHOICES, Kind.CODES, Kind.IDS, Kind.FLAG)  # never null: empty, or false


def test_every_record_type_is_kept_in_a_model(app):
    assert set(MODELS) == set(RECORDS)


@pytest.mark.parametrize("record_type", sorted(MODELS))
def test_the_model_keeps_what_the_declaration_allows(app, record_type):
    """Each stored field is a column that holds every value the validation lets through
    (a list of people is a relationship), and is nullable exactly when the field is optional."""
    columns = MODELS[record_type].__table__.c
    for field in RECORDS[record_type].fields:
        if field.read is Read.INPUT:
            continue
        if field.name not in columns:
            assert field.kind is Kind.IDS, field.name
            assert hasattr(MODELS[record_type], "people"), field.name
            continue
        column = columns[field.name]
        optional = not field.required and field.default is None and field.kind not in LISTS
        assert column.nullable == optional, field.name
        length = getattr(column.type, "length", None)
        if field.kind is Kind.TEXT:
            assert length == field.max_len, field.name
        if field.kind is Kind.CHOICE:
            assert length >= max(map(len, field.choices)), field.name


class _Form(HTMLParser):
    """The data-spec of a page's mutation form and the attributes of its fields by name."""

    def __init__(self) -> None:
        super().__init__()
        self.spec: dict = {}
        self.fields: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-mutation-form" in attrs:
            self.spec = json.loads(attrs["data-spec"])
        if tag in ("input", "textarea", "select") and attrs.get("type") != "hidden":
            self.fields.setdefault(attrs.get("name"), {**attrs, "tag": tag})


@pytest.mark.parametrize(("page", "mutation_type"), [
    ("/people/new", "person.create"), ("/contacts/new", "contact.create"),
    ("/referrals/new", "referral.create"), ("/gatherings/new", "gathering.create"),
    ("/signals/new", "signal.create")])
def test_forms_carry_the_declared_kinds_and_limits(world, login, page, mutation_type):
    form = _Form()
    form.feed(login("worker@a.test").get(page).get_data(as_text=True))
    declared = {f.name: f for f in INPUTS[mutation_type].fields}

    assert form.spec == {name: declared[name].form_kind for name in form.spec}
    for name, attrs in form.fields.items():
        if name not in declared:
            continue
        field = declared[name]
        if attrs["tag"] != "select":
            assert attrs.get("maxlength") == (str(field.max_len) if field.max_len else None), name
        assert ("required" in attrs) == field.required, name
        if field.kind is Kind.INT:
            assert (attrs["min"], attrs["max"]) == (str(field.low), str(field.high)), name
