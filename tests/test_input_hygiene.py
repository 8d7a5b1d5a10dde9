"""Odd input is refused with a reason, never a crash, a silent overwrite, an off-site redirect,
a look-alike name or personal data in a log."""

import importlib
import logging
import pkgutil
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import requests

import server
from server.contacts.models import Contact
from server.core.ids import new_id
from server.extensions import db
from server.people.models import Person
from server.referrals.models import Referral
from server.sync.openapi import MUTATION_TYPES
from server.sync.registry import HANDLERS

from . import factories
from .conftest import csrf_token
from .records import contact_form
from .sync_client import contact_create, mutation, person_create, person_update, results

# Every feature declares its mutation types when its package is imported: all of them, so the
# parametrised tests below see every type whichever test files were collected before.
for _feature in pkgutil.iter_modules(server.__path__):
    importlib.import_module(f"server.{_feature.name}")


def _person(app, person_id: str) -> Person:
    with app.app_context():
        person = db.session.get(Person, person_id)
        db.session.expunge(person)
        return person


# Defect 8: a base_version above the record's version ---------------------------------------

def test_push_with_base_version_above_the_record_is_rejected(app, world, login):
    worker = login("worker@a.test")
    person_id = world.records["person"]
    [result] = results(worker, person_update(person_id, base_version=99, phone="+32 1"))
    assert result["status"] == "rejected"
    assert [e["field"] for e in result["errors"]] == ["base_version"]
    assert _person(app, person_id).phone == "+32 470 00"


@pytest.mark.parametrize(("kind", "mutation_type", "fields"), [
    ("contact", "contact.correct", {"place": "Markt"}),
    ("referral", "referral.advance", {"status": "sent"}),
    ("person", "person.assign", {"team_id": None}),
])
def test_every_update_refuses_a_base_version_above_the_record(app, world, login, kind,
                                                               mutation_type, fields):
    worker = login("worker@a.test")
    record_id = world.records[kind]
    [result] = results(worker, mutation(mutation_type, fields, record_id=record_id,
                                        base_version=50))
    assert result["status"] == "rejected"
    assert result["errors"][0]["field"] == "base_version"
    model = {"contact": Contact, "referral": Referral, "person": Person}[kind]
    with app.app_context():
        assert db.session.get(model, record_id).version == 1


def test_form_with_base_version_above_the_record_is_refused_inline(app, world, login):
    worker = login("worker@a.test")
    person_id = world.records["person"]
    response = worker.post(f"/people/{person_id}", data={
        "csrf_token": worker.csrf, "base_version": "7", "display_name": "Someone else",
        "original": '{"display_name": "Amina El Idrissi"}'})
    assert response.status_code == 422
    assert 'id="base_version-error"' in response.get_data(as_text=True)
    assert _person(app, person_id).display_name == "Amina El Idrissi"


def test_base_version_of_the_record_still_applies(app, world, login):
    worker = login("worker@a.test")
    [result] = results(worker, person_update(world.records["person"], base_version=1,
                                             phone="+32 2"))
    assert result["status"] == "applied"


# Defect 11: redirects, numbers, the referral fragment, odd input everywhere ----------------

OFF_SITE = ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b", "//evil.example",
            "https://evil.example/", "/\\evil.example", " //evil.example", "/ /evil.example",
            "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_choice_never_redirects_off_site(client, target):
    token = csrf_token(client)
    response = client.post("/language", data={"csrf_token": token, "locale": "fr",
                                              "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_sign_in_never_redirects_off_site(world, client, target):
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": "worker@a.test",
                                           "password": factories.PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_path_of_the_site_is_still_where_you_return(client):
    token = csrf_token(client)
    response = client.post("/language", data={"csrf_token": token, "locale": "fr",
                                              "next": "/people/new"})
    assert response.headers["Location"] == "/people/new"


def _contact_form(client, **overrides):
    return client.post("/contacts/", data=contact_form(client, **overrides))


@pytest.mark.parametrize("typed", ["²", "1e3", "-0", "+5", "4.5", "٤٥x", "1234567890"])
def test_duration_that_is_no_whole_number_is_refused_inline(world, login, typed):
    response = _contact_form(login("worker@a.test"), duration_minutes=typed)
    assert response.status_code == 422
    assert 'id="duration_minutes-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize(("typed", "minutes"), [("45", 45), ("٤٥", 45), ("۴۵", 45)])
def test_duration_in_arabic_or_persian_digits_is_welcome(app, world, login, typed, minutes):
    response = _contact_form(login("worker@a.test"), duration_minutes=typed)
    assert response.status_code == 303
    contact_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        assert db.session.get(Contact, contact_id).duration_minutes == minutes


@pytest.mark.parametrize("typed", ["²", "1e3", "-1", "x"])
def test_base_version_that_is_no_whole_number_is_refused(app, world, login, typed):
    worker = login("worker@a.test")
    person_id = world.records["person"]
    response = worker.post(f"/people/{person_id}", data={
        "csrf_token": worker.csrf, "base_version": typed, "phone": "+32 3"})
    assert response.status_code == 422
    assert _person(app, person_id).phone == "+32 470 00"


def test_referral_page_as_an_htmx_fragment(world, login):
    worker = login("worker@a.test")
    response = worker.get(f"/referrals/{world.records['referral']}",
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<section id="advance"' in html
    assert "<html" not in html


ODD_TEXT = ["²", "1e3", "-0", "\x00", "x" * 10_000, "/\n/evil.example"]
# Invalid UTF-8 (a surrogate encoded as if it were a character), sent as raw form bytes.
LONE_SURROGATE = b"ab\xed\xa0\x80cd"
FORM_FIELDS = [
    "email", "password", "password_again", "current_password", "display_name", "next", "locale",
    "municipality_id", "role", "roles", "active", "name", "user_id", "member", "q", "phone", "reach_note",
    "neighbourhood_id", "languages", "preferred_language", "consent_basis", "consent_purpose",
    "consent_date", "occurred_at", "channel", "domains", "person_ids", "duration_minutes", "note",
    "note_visibility", "place", "follow_up_on", "team_id", "person_id", "service_id",
    "follow_up_due", "status", "occurred_on", "keep", "base_version", "mutation_id",
    "record_id", "mutation_type", "original", "category", "name_nl", "name_ar",
    "description_nl", "website", "address", "page",
    "record_id", "mutation_type", "original",
    # gatherings, outreach rounds, signals
    "kind", "title", "starts_at", "host_ids", "invitation_languages", "counter", "delta",
    "language", "heard", "text", "present", "theme", "urgency", "description", "forwarded_to",
    "gathering_id", "round_id",
]


def _form_routes(app, world, token: str) -> list[str]:
    """Every page form of the app (not the JSON API), its path filled with real records."""
    values = {"person_id": world.records["person"], "contact_id": world.records["contact"],
              "referral_id": world.records["referral"], "team_id": world.team.id,
              "user_id": world.users["volunteer"].id, "conflict_id": new_id(),
              "invitation_id": new_id(), "passkey_id": new_id(), "grant_id": new_id(), "token": token,
              "neighbourhood_id": new_id(), "municipality_id": world.a.id,
              "service_id": world.records["service"], "wish_id": new_id(), "pair_id": new_id(),
              "session_id": new_id(), "household_id": new_id(), "import_id": new_id(),
              "item_id": new_id(), **_field_records(app, world)}
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/"):
            routes.append(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule))
    assert len(routes) >= 15
    return sorted(routes, key=lambda path: path == "/logout")


def _field_records(app, world) -> dict[str, str]:
    """A gathering, an outreach round and a signal of the worker's, for their forms."""
    worker = world.actor("worker")
    with app.app_context():
        ids = {
            "gathering_id": factories.apply(worker, "gathering.create", {
                "kind": "buurtbabbel", "place": "Plein", "starts_at": "2026-12-20T14:00:00+01:00"}),
            "round_id": factories.apply(worker, "outreach_round.start", {
                "place": "Markt", "started_at": "2026-11-20T10:00:00+01:00"}),
            "signal_id": factories.apply(worker, "signal.create", {
                "theme": "work", "urgency": "low", "description": "Odd input"}),
        }
        db.session.commit()
    return ids


def _invitation_token(login) -> str:
    coordinator = login("coordinator@a.test")
    page = coordinator.post("/manage/users/invite", data={
        "csrf_token": coordinator.csrf, "email": f"new-{new_id()[:8]}@example.org",
        "role": "volunteer"}).get_data(as_text=True)
    found = re.search(r"/invite/([A-Za-z0-9_-]{20,})", page)
    return found.group(1) if found else "not-a-token-" + "x" * 32


@pytest.mark.parametrize("role", ["worker", "coordinator"])
def test_every_form_answers_odd_input_without_a_server_error(app, world, login, role):
    token = _invitation_token(login)
    failures, answers = [], set()
    for path in _form_routes(app, world, token):
        client = login(f"{role}@a.test")
        for odd in [*ODD_TEXT, LONE_SURROGATE]:
            value = odd if isinstance(odd, bytes) else odd.encode("utf-8")
            body = urlencode([("csrf_token", client.csrf),
                              *((name, value) for name in FORM_FIELDS)])
            response = client.post(path, data=body,
                                   content_type="application/x-www-form-urlencoded")
            answers.add(response.status_code)
            if response.status_code >= 500:
                failures.append((path, odd[:20], response.status_code))
    assert failures == []
    assert {303, 422} <= answers  # past the CSRF check: the forms themselves answered


def test_every_mutation_type_is_in_the_odd_input_test(app):
    assert set(HANDLERS) == set(MUTATION_TYPES)  # handlers register when the app is made


@pytest.mark.parametrize("mutation_type", sorted(MUTATION_TYPES))
def test_every_mutation_type_rejects_odd_input_per_item(world, login, mutation_type):
    worker = login("worker@a.test")
    # Types without a record in the world get an unknown id: refused all the same.
    record = world.records.get(mutation_type.split(".")[0]) or new_id()
    updates = not mutation_type.endswith(".create")
    names = list(MUTATION_TYPES[mutation_type][1]) or ["note"]
    items = []
    for odd in [*ODD_TEXT, "\ud800"]:
        items.append(mutation(mutation_type, dict.fromkeys(names, odd),
                              record_id=record if updates else None,
                              base_version=1 if updates else None))
    for base in ["²", "1e3", -1, 10**30, 1.5]:
        item = mutation(mutation_type, {}, record_id=record)
        item["base_version"] = base
        items.append(item)
    answers = results(worker, *items)
    assert [a["status"] for a in answers] == ["rejected"] * len(items)
    assert all(a["errors"] for a in answers)


# Defect 12: no personal data or secrets in logs -------------------------------------------

def _live_sign_in(live_server, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{live_server.url}/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = session.post(f"{live_server.url}/login", allow_redirects=False, data={
        "csrf_token": token, "email": email, "password": factories.PASSWORD})
    assert response.status_code == 303
    return session


def _search_as_the_page_does(session: requests.Session, base: str, text: str) -> str:
    """Submit the people search form as the browser would: its method, its action."""
    page = session.get(f"{base}/people/").text
    form = re.search(r'<form method="(\w+)" action="([^"]+)"[^>]*role="search"', page)
    method, action = form.groups()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    if method == "get":
        return session.get(f"{base}{action}", params={"q": text}).text
    return session.post(f"{base}{action}", data={"q": text, "csrf_token": token},
                        headers={"HX-Request": "true", "X-CSRFToken": token}).text


def test_people_search_and_invitation_links_stay_out_of_the_request_log(world, login,
                                                                        live_server, caplog):
    token = _invitation_token(login)
    worker = _live_sign_in(live_server, "worker@a.test")
    with caplog.at_level(logging.INFO):
        found = _search_as_the_page_does(worker, live_server.url, "Amina El")
        assert "Amina El Idrissi" in found
        assert requests.get(f"{live_server.url}/invite/{token}").status_code == 200
        requests.get(f"{live_server.url}/invite/{token}?probe=1")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/people/" in logged  # the request log was captured
    assert "Amina" not in logged
    assert token not in logged
    assert "probe" not in logged


def test_gunicorn_access_log_redacts_tokens_and_queries():
    from gunicorn.config import Config

    from server.logs import AccessLogger

    config = Config()
    logger = AccessLogger(config)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/invite/SeCrEt?q=Amina",
               "PATH_INFO": "/invite/SeCrEt", "QUERY_STRING": "q=Amina",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
               "HTTP_REFERER": "https://h.example/people/?q=Amina"}
    response = SimpleNamespace(status="200 OK", sent=12, headers=[])
    request = SimpleNamespace(headers=[("Cookie", "session=SeCrEt")])
    atoms = logger.atoms_wrapper_class(logger.atoms(response, request, environ, timedelta(0)))
    for log_format in (config.access_log_format,
                       '%(r)s %(U)s %(q)s %(f)s %({cookie}i)s %({raw_uri}e)s'):
        line = log_format % atoms
        assert "SeCrEt" not in line
        assert "Amina" not in line
    assert "/invite/[redacted]" in config.access_log_format % atoms


# Defect 13: look-alike names -------------------------------------------------------------

LOOK_ALIKES = [("Ami\u200bna", "Amina"), ("\u202eissirdI lE animA", "issirdI lE animA"),
               ("Ami\u2066na\u2069", "Amina"), ("A\u0301mina", "\u00c1mina"),
               ("Am\x07ina\ufeff", "Amina"), ("Ami\u200dna\u2060", "Amina")]


@pytest.mark.parametrize(("typed", "stored"), LOOK_ALIKES)
def test_names_from_forms_are_cleaned(app, world, login, typed, stored):
    worker = login("worker@a.test")
    response = worker.post("/people/", data={"csrf_token": worker.csrf, "display_name": typed})
    assert response.status_code == 303
    person_id = response.headers["Location"].rsplit("/", 1)[1]
    assert _person(app, person_id).display_name == stored


@pytest.mark.parametrize(("typed", "stored"), LOOK_ALIKES)
def test_names_from_sync_are_cleaned(app, world, login, typed, stored):
    [result] = results(login("worker@a.test"), person_create(typed))
    assert result["status"] == "applied"
    assert _person(app, result["record_id"]).display_name == stored


def test_a_name_of_invisible_characters_only_is_missing(world, login):
    [result] = results(login("worker@a.test"), person_create("\u200b\u202e\u2066"))
    assert result["status"] == "rejected"
    assert result["errors"] == [{"field": "display_name", "reason": "required"}]


def test_notes_keep_their_lines_and_persian_joiners(app, world, login):
    note = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\nline two"
    [result] = results(login("worker@a.test"), contact_create(note="\u202e" + note))
    with app.app_context():
        assert db.session.get(Contact, result["record_id"]).note == note


def test_team_and_place_names_are_cleaned(app, world, login):
    coordinator = login("coordinator@a.test")
    coordinator.post("/manage/teams", data={"csrf_token": coordinator.csrf,
                                            "name": "Onthaal\u200b"})
    assert "Onthaal\u200b" not in coordinator.get("/manage/teams").get_data(as_text=True)
    [result] = results(login("worker@a.test"), contact_create(place="Mar\u202ekt"))
    with app.app_context():
        assert db.session.get(Contact, result["record_id"]).place == "Markt"


def test_people_and_services_in_selects_show_with_their_own_direction(world, login):
    worker = login("worker@a.test")
    results(worker, person_create("\u0623\u0645\u064a\u0646\u0629\u200b"))
    html = worker.get("/referrals/new").get_data(as_text=True)
    options = re.findall(r"<option value=\"[0-9a-f-]{36}\"([^>]*)>([^<]*)</option>", html)
    assert options  # services
    assert all('dir="auto"' in attributes for attributes, _text in options)
    people = re.findall(r'name="person_id" value="[0-9a-f-]{36}"[^>]*> <bdi>([^<]*)</bdi>', html)
    assert len(people) >= 2  # people in the picker, each isolated in its own direction
    assert "\u0623\u0645\u064a\u0646\u0629" in people
    assert "\u200b" not in html


def test_a_name_mixing_look_alike_alphabets_in_a_word_is_refused(app, world, login):
    worker = login("worker@a.test")
    [result] = results(worker, person_create("\u0410mina El Idrissi"))  # Cyrillic А
    assert result["status"] == "rejected"
    assert result["errors"][0]["field"] == "display_name"
    response = worker.post("/people/", data={"csrf_token": worker.csrf,
                                             "display_name": "Amin\u0430"})  # Cyrillic а
    assert response.status_code == 422
    assert 'id="display_name-error"' in response.get_data(as_text=True)


def test_names_in_two_alphabets_side_by_side_are_welcome(world, login):
    [result] = results(login("worker@a.test"), person_create("\u041e\u043a\u0441\u0430\u043d\u0430 Oksana"))
    assert result["status"] == "applied"


@pytest.mark.parametrize("code", ["nl\n", "nl\r\n", "ar\n-x"])
def test_a_language_code_is_a_tag_and_nothing_more(world, login, code):
    """As found: "nl\\n" was taken as a language (a pattern's $ matches before a last newline)."""
    worker = login("worker@a.test")
    [spoken] = results(worker, person_create(languages=[code]))
    assert spoken["status"] == "rejected"
    assert spoken["errors"] == [{"field": "languages", "reason": "must be a list of language codes"}]
