"""Words with two meanings keep each meaning in every language (message contexts), a page
says what it does before it is done, and counts keep their sign in Arabic."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.support import Translations

from server.core.clock import now
from server.extensions import db
from server.i18n import catalogs
from server.org.models import Municipality

from . import factories

pytestmark = pytest.mark.usefixtures("compiled_catalogs", "world")
TRANSLATED = ["ar", "fr", "nl", "tr", "uk"]  # English is the source


def _catalog(language: str) -> Translations:
    return Translations.load(str(catalogs.TRANSLATIONS), [language])


def _page(client, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_street_of_an_address_is_not_the_contact_channel_in_the_street(login, language):
    street = _catalog(language).pgettext("address", "Street")
    in_the_street = _catalog(language).pgettext("contact channel", "Street")
    assert street != in_the_street
    streets = _page(login("coordinator@a.test"), "/welcome/manage/streets", language)
    assert f'<label for="street">{street}</label>' in streets
    contact_form = _page(login("worker@a.test"), "/contacts/new", language)
    assert in_the_street in contact_form


def test_street_reads_as_an_address_in_dutch_and_the_channel_as_on_the_street(login):
    streets = _page(login("coordinator@a.test"), "/welcome/manage/streets", "nl")
    assert '<label for="street">Straat</label>' in streets
    assert "Op straat" in _page(login("worker@a.test"), "/contacts/new", "nl")


def test_the_import_mapping_names_the_street_of_an_address(app):
    from server.welcome.manage import _target_labels

    for language, street in (("nl", "Straat"), ("fr", "Rue"), ("tr", "Sokak")):
        with app.test_request_context(headers={"Accept-Language": language}):
            assert _target_labels()["street"] == street


@pytest.mark.parametrize(("language", "noun"), [("nl", "Link"), ("fr", "Lien"), ("ar", "رابط"),
                                                 ("tr", "Bağlantı"), ("uk", "Посилання")])
def test_an_info_pack_link_is_a_noun_not_the_verb_to_link(login, language, noun):
    page = _page(login("coordinator@a.test"), "/welcome/manage/pack", language)
    assert re.search(rf'<option value="link"[^>]*>\s*{noun}\s*</option>', page), page
    assert _catalog(language).gettext("Link") != noun  # the household's "Link" button: a verb


@pytest.mark.parametrize(("language", "to_do"), [
    ("nl", "Een tweede factor instellen"), ("fr", "Configurer un second facteur"),
    ("ar", "إعداد عامل ثانٍ"), ("tr", "İkinci adımı kur"), ("uk", "Налаштувати другий фактор")])
def test_enrolment_says_what_it_will_do_and_the_audit_trail_what_was_done(login, language, to_do):
    page = _page(login("worker@a.test"), "/account/two-factor/app", language)
    assert f"<h1>{to_do}</h1>" in page
    assert _catalog(language).pgettext("audit event", "Set up a second factor") != to_do


@pytest.fixture
def shared_contact(app, world):
    """A contact of Amina (the volunteer's) and Karim, on another team's caseload."""
    with app.app_context():
        coordinator = world.actor("coordinator")
        other = factories.make_team(db.session.get(Municipality, world.a.id), "Other team")
        karim = factories.make_person(coordinator, display_name="Karim Other Team")
        factories.apply(coordinator, "person.assign", {"team_id": other.id}, record_id=karim)
        contact = factories.make_contact(coordinator, [world.records["person"], karim])
        db.session.commit()
    return contact


def test_plus_one_other_keeps_its_sign_before_the_number_in_arabic(shared_contact, login):
    page = _page(login("volunteer@a.test"), f"/contacts/{shared_contact}", "ar")
    assert '<bdi dir="ltr">+1</bdi> شخص آخر' in page


def test_tally_buttons_are_isolated_left_to_right(app, world, login):
    with app.app_context():
        gathering = factories.apply(world.actor("volunteer"), "gathering.create", {
            "kind": "buurtbabbel", "starts_at": (now() + timedelta(days=1)).isoformat(),
            "place": "Plein"})
        db.session.commit()
    page = _page(login("volunteer@a.test"), f"/gatherings/{gathering}/count", "ar")
    assert '<bdi dir="ltr">+1</bdi></button>' in page
    assert '<bdi dir="ltr">−1</bdi></button>' in page


def test_a_forwarded_signal_arrow_mirrors_in_arabic(app, world, login):
    with app.app_context():
        signal = factories.apply(world.actor("worker"), "signal.create", {
            "theme": "housing_environment", "urgency": "high", "description": "Schimmel."})
        factories.apply(world.actor("coordinator"), "signal.triage",
                        {"status": "forwarded", "forwarded_to": "Wonen"}, record_id=signal)
        db.session.commit()
    page = _page(login("worker@a.test"), f"/signals/{signal}", "ar")
    assert '<span class="arrow" aria-hidden="true">→</span> <bdi>Wonen</bdi>' in page


def test_every_arrow_in_a_template_mirrors_with_the_reading_way():
    """An arrow outside the mirrored .arrow points the wrong way in Arabic (the signal updates
    list kept one after the signal page was fixed)."""
    root = Path(__file__).resolve().parents[1] / "server"
    bare = [f"{path.relative_to(root)}:{number}"
            for path in root.rglob("*.html")
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.count("→") > line.count('<span class="arrow" aria-hidden="true">→</span>')]
    assert bare == []
