"""The OpenAPI 3.1 document at GET /api/v1/openapi.json: valid, complete (every route, mutation
type, record type and field, every status), and schemathesis, signed in as a field worker,
finds no 5xx and no answer that breaks the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server.contacts.operations import FIELDS as CONTACT_FIELDS
from server.people.operations import EDITABLE as PERSON_FIELDS
from server.sync.registry import HANDLERS
from server.sync.registry import RECORD_TYPES as TYPES

from .buddy_helpers import world_pair
from .sync_client import contact_create, mutation, person_create, person_update, pull_all, results

DOCUMENT = "/api/v1/openapi.json"
STATUSES = {"applied", "duplicate", "merged", "conflict", "rejected"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def document(client) -> dict:
    response = client.get(DOCUMENT)  # public: a client reads it before signing in
    assert response.status_code == 200
    return response.get_json()


def test_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(document).validate()


def test_every_api_route_and_method_is_documented(app, document):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            documented = document["paths"].get(rule.rule, {})
            assert set(rule.methods) - {"HEAD", "OPTIONS"} == {m.upper() for m in documented}, \
                rule.rule


def test_every_mutation_type_the_server_handles_is_documented(document):
    schemas = document["components"]["schemas"]
    documented = {schemas[ref["$ref"].rsplit("/", 1)[1]]["properties"]["type"]["const"]
                  for ref in schemas["Mutation"]["oneOf"]}

    assert documented == set(HANDLERS)


@pytest.mark.parametrize(("mutation_type", "accepted"), [
    ("person.create", PERSON_FIELDS), ("person.update", PERSON_FIELDS),
    ("contact.create", CONTACT_FIELDS), ("contact.correct", CONTACT_FIELDS),
])
def test_documented_fields_are_the_ones_the_operation_accepts(document, mutation_type, accepted):
    schema = document["components"]["schemas"][f"Mutation_{mutation_type.replace('.', '_')}"]

    assert set(schema["properties"]["fields"]["properties"]) == set(accepted)


def test_contract_fields_are_documented_as_the_contract_says(document):
    schemas = document["components"]["schemas"]
    person = schemas["Mutation_person_create"]["properties"]["fields"]
    contact = schemas["Mutation_contact_create"]["properties"]["fields"]

    assert person["required"] == ["display_name"]
    assert contact["properties"]["channel"]["enum"] == [
        "home_visit", "street", "phone", "drop_in", "school", "office", "other"]
    assert contact["properties"]["note_visibility"]["enum"] == ["team", "private", "sensitive"]
    assert set(contact["properties"]["domains"]["items"]["enum"]) == {
        "civil_affairs", "education", "integration", "dutch_language", "safety",
        "welfare_health", "youth_sport_culture", "housing_environment", "work"}


def test_every_status_of_the_contract_is_documented(document):
    schemas = document["components"]["schemas"]
    paths = document["paths"]

    assert set(schemas["Result"]["properties"]["status"]["enum"]) == STATUSES
    assert {"200", "400", "401", "413", "503"} <= set(paths["/api/v1/sync/push"]["post"]["responses"])
    assert {"200", "400", "401", "410", "503"} <= set(paths["/api/v1/sync/pull"]["get"]["responses"])
    assert {"200", "401"} <= set(paths["/api/v1/sync/conflicts"]["get"]["responses"])


def test_every_record_type_a_pull_sends_is_documented_with_all_its_fields(app, document, world,
                                                                         login, tmp_path):
    with app.app_context():
        world_pair(world)  # a buddy pair and its sessions
    schemas = document["components"]["schemas"]
    assert {f"Data_{t}" for t in TYPES} <= set(schemas)
    _welcome_visit(app, world, login, tmp_path)
    coordinator = login("coordinator@a.test")  # the fullest view there is
    results(coordinator, *field_work())
    cache, _ = pull_all(coordinator)

    assert {t for t, _id in cache} == set(TYPES)
    for (record_type, _id), change in cache.items():
        documented = schemas[f"Data_{record_type}"]["properties"]
        assert set(change["data"]) <= set(documented), record_type


def field_work() -> list[dict]:
    """A gathering counted at, an outreach round and a signal (not in every test's world)."""
    gathering = mutation("gathering.create", {"kind": "buurtbabbel", "place": "Plein",
                                              "starts_at": "2026-12-20T14:00:00+01:00"})
    return [gathering, mutation("gathering.increment", {"counter": "children", "delta": 2},
                                record_id=gathering["record_id"]),
            mutation("gathering.topic", {"domain": "work"}, record_id=gathering["record_id"]),
            mutation("outreach_round.start", {"place": "Markt",
                                              "started_at": "2026-11-20T10:00:00+01:00"}),
            mutation("signal.create", {"theme": "other", "urgency": "low",
                                       "description": "Schema"})]


def _welcome_visit(app, world, login, tmp_path) -> None:
    from .test_welcome import make_households, visit
    from .welcome_helpers import row

    households = make_households(app, world, [row("Schema", "Household")], tmp_path)
    results(login("volunteer@a.test"), visit(households["Schema Household"], "declined"))


def _signed_in(login) -> dict:
    worker = login("worker@a.test")
    # a few records of every kind and a conflict, so that answers carry real data
    person = person_create("Schema", phone="+32 1", languages=["nl"])
    results(worker, person, contact_create([person["record_id"]], note="n"),
            person_update(person["record_id"], 1, phone="+32 2"),
            mutation("referral.advance", {"status": "sent"},
                     record_id=_first_referral(worker)))
    results(login("volunteer@a.test"), person_update(person["record_id"], 1, phone="+32 3"))
    return {"headers": {"X-CSRFToken": worker.csrf},
            "cookies": {"session": worker.get_cookie("session").value}}


def _first_referral(client) -> str:
    cache, _ = pull_all(client)
    return next(i for t, i in cache if t == "referral")


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE,
                                  schemathesis.GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, world, login, mode):
    schema = schemathesis.openapi.from_wsgi(DOCUMENT, app)
    signed_in = _signed_in(login)

    @settings(max_examples=3 * settings.default.max_examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy(mode))
    def call(case) -> None:
        case.call_and_validate(checks=CHECKS, **signed_in)

    call()
