"""What a phone keeps, per role: the server lists only pages the role can open, each page it
lists opens, forms carry the server's own rules, and every text response is compressed
without breaking revalidation."""

import gzip
import json
import re

import pytest

from server.contacts.fields import CREATE as CONTACT_CREATE
from server.people.fields import UPDATE as PERSON_UPDATE

from .test_access_matrix import USERS

FORMS = {"/people/new", "/contacts/new", "/referrals/new", "/contacts/follow-ups"}


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_page_of_a_roles_working_set_opens_for_that_role(world, login, role):
    client = login(USERS[role])
    kept = client.get("/working-set.json")
    assert kept.status_code == 200
    body = kept.get_json()
    assert body["pages"], "every signed-in role keeps its home page"
    for page in body["pages"]:
        assert client.get(page["url"]).status_code == 200, page["url"]
    record_pages = [t for templates in body["records"].values() for t in templates]
    assert "/people/{id}" in record_pages


@pytest.mark.parametrize("role", ["buddy", "admin"])
def test_a_role_without_forms_is_never_sent_them(world, login, role):
    urls = {page["url"] for page in login(USERS[role]).get("/working-set.json").get_json()["pages"]}
    assert not urls & FORMS
    assert "/people/{id}/edit" not in login(USERS[role]).get("/working-set.json").get_json()[
        "records"]["person"]


def test_working_set_answers_304_when_unchanged_and_404_without_a_role(client, world, login):
    worker = login(USERS["worker"])
    first = worker.get("/working-set.json")
    again = worker.get("/working-set.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/working-set.json").status_code in (302, 401, 404)


def test_log_contact_form_is_the_same_bytes_minute_after_minute(world, login):
    worker = login(USERS["worker"])
    first = worker.get("/contacts/new")
    assert 'data-default-now' in first.get_data(as_text=True)
    again = worker.get("/contacts/new", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def _rules(html: str) -> dict:
    found = re.search(r'data-rules="([^"]*)"', html).group(1)
    return json.loads(found.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
                      .replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">"))


def test_forms_carry_the_declared_rules_and_mark_required_fields(world, login):
    worker = login(USERS["worker"])
    contact_form = worker.get("/contacts/new").get_data(as_text=True)
    assert _rules(contact_form) == CONTACT_CREATE.form_rules(leave_out=["follow_up_done"])
    assert _rules(contact_form)["occurred_at"] == {"required": True, "past": True}
    assert _rules(contact_form)["duration_minutes"] == {"low": 0, "high": 1440}
    person_form = worker.get("/people/new").get_data(as_text=True)
    person_rules = _rules(person_form)
    assert person_rules == PERSON_UPDATE.form_rules()
    assert person_rules["display_name"] == {"required": True, "max_len": 120}
    assert person_rules["email"]["mismatch"] == "not a valid e-mail address"
    assert re.search(r'<label for="display_name">[^<]+<span aria-hidden="true">\*</span>', person_form)
    assert re.search(r'<legend>How <span aria-hidden="true">\*</span></legend>', contact_form)


@pytest.mark.parametrize("url", ["/", "/contacts/new", "/i18n/messages.json", "/static/js/forms.js",
                                 "/static/css/app.css", "/sw.js", "/working-set.json"])
def test_text_responses_are_compressed_and_still_revalidate(world, login, url):
    worker = login(USERS["worker"])
    with worker.get(url) as plain:
        source = plain.get_data()
    for encoding in ("br", "gzip"):
        with worker.get(url, headers={"Accept-Encoding": encoding}) as packed:
            assert packed.headers["Content-Encoding"] == encoding, url
            body = packed.get_data()
        assert len(body) < len(source)
        if encoding == "gzip":
            assert gzip.decompress(body) == source
        etag = packed.headers["ETag"]
        again = worker.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.get_data() == b""


def test_a_gathering_page_is_fetched_again_when_the_users_people_change(world, login):
    """It names attendees and offers the user's people to name: a person leaving the caseload
    must leave the kept copy at the next sync (pwa/js/pages.js, record_concerns)."""
    body = login(USERS["worker"]).get("/working-set.json").get_json()
    assert "person" in body["record_concerns"]["/gatherings/{id}"]
