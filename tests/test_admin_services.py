"""The service directory edited by coordinators and admins: texts in every shipped language,
a missing translation shown to the editor, a fallback marked for the reader, deactivation."""

import pytest
from sqlalchemy import select

from server.audit.models import AuditEvent
from server.extensions import db
from server.services.models import Service

from .sync_client import pull_all

LANGUAGES = ("nl", "fr", "en", "ar", "tr", "uk")
COMPLETE = {
    "category": "language",
    "name_nl": "Taalpunt", "name_fr": "Point langue", "name_en": "Language point",
    "name_ar": "نقطة اللغة", "name_tr": "Dil noktası", "name_uk": "Мовний пункт",
    "description_nl": "Oefen Nederlands", "description_ar": "تدرب على الهولندية",
    "phone": "02 123 45 67", "website": "https://taalpunt.example.be", "address": "Markt 1",
}


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data})


def _service(app, name_nl):
    with app.app_context():
        for service in db.session.scalars(select(Service)):
            if service.names.get("nl") == name_nl:
                db.session.expunge(service)
                return service
    return None


@pytest.mark.parametrize("manager", ["coordinator@a.test", "admin@a.test"])
def test_manager_adds_a_service_in_every_language(app, world, login, manager):
    client = login(manager)
    response = _post(client, "/manage/services/new", **COMPLETE)
    assert response.status_code == 303
    service = _service(app, "Taalpunt")
    assert service.municipality_id == world.a.id
    assert {code: service.names[code] for code in LANGUAGES} == {
        code: COMPLETE[f"name_{code}"] for code in LANGUAGES}
    assert service.descriptions == {"nl": "Oefen Nederlands", "ar": "تدرب على الهولندية"}
    assert service.website == "https://taalpunt.example.be"
    arabic = client.get(f"/services/{service.id}", headers={"Accept-Language": "ar"})
    assert "نقطة اللغة" in arabic.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.object_id).where(
            AuditEvent.action == "create_service")) == service.id


def test_invalid_service_answers_422_with_the_form_as_left(app, world, login):
    client = login("coordinator@a.test")
    response = _post(client, "/manage/services/new", category="nonsense", name_nl="",
                     name_tr="Dil noktası", website="javascript:alert(1)", phone="x" * 41)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for reason in ("not one of the allowed values", "required",
                   "not a web address starting with https://", "too long"):
        assert reason in html
    assert 'value="Dil noktası"' in html
    assert 'value="javascript:alert(1)"' in html
    assert 'id="name_nl"' in html
    assert 'aria-invalid="true"' in html
    assert _service(app, "") is None


def test_editing_bumps_the_version_and_reaches_the_phones(app, world, login):
    service_id = world.records["service"]
    client = login("coordinator@a.test")
    worker = login("worker@a.test")
    cache, cursor = pull_all(worker)
    assert cache[("service", service_id)]["data"]["names"]["nl"] == "Huis van het Nederlands"
    saved = _post(client, f"/manage/services/{service_id}", **{**COMPLETE, "name_nl": "Huis NL"})
    assert saved.status_code == 303
    cache, _cursor = pull_all(worker, cursor, cache=cache)
    entry = cache[("service", service_id)]
    assert entry["data"]["names"]["nl"] == "Huis NL"
    assert entry["version"] == 2
    # found by its Ukrainian name, shown in the reader's language
    found = worker.get("/services/", query_string={"q": "мовний"}).get_data(as_text=True)
    assert "<bdi>Language point</bdi>" in found


def test_a_deactivated_service_is_no_longer_found_or_offered(app, world, login):
    service_id = world.records["service"]
    off = _post(login("coordinator@a.test"), f"/manage/services/{service_id}/active", active="0")
    assert off.status_code == 303
    worker = login("worker@a.test")
    assert "Huis van het Nederlands" not in worker.get("/services/").get_data(as_text=True)
    assert service_id not in worker.get("/referrals/new").get_data(as_text=True)
    page = worker.get(f"/services/{service_id}").get_data(as_text=True)
    assert "Deactivated" in page
    assert "Refer someone" not in page
    listing = login("coordinator@a.test").get("/manage/services/").get_data(as_text=True)
    assert "Huis van het Nederlands" in listing
    assert "Deactivated" in listing


def test_the_editor_sees_which_translations_are_missing(app, world, login):
    client = login("coordinator@a.test")
    listing = client.get("/manage/services/").get_data(as_text=True)
    assert "Missing: Arabic, Turkish, Ukrainian" in listing
    form = client.get(f"/manage/services/{world.records['service']}").get_data(as_text=True)
    assert form.count("Missing translation") == 3
    assert 'id="name_ar" name="name_ar" type="text" lang="ar" dir="rtl"' in form


@pytest.mark.parametrize("language", ["ar", "tr", "uk"])
def test_the_reader_sees_a_fallback_marked_as_dutch(app, world, login, language):
    worker = login("worker@a.test")
    page = worker.get(f"/services/{world.records['service']}",
                      headers={"Accept-Language": language}).get_data(as_text=True)
    assert '<bdi lang="nl" dir="auto">Huis van het Nederlands</bdi>' in page
    assert '<small class="fallback-language" lang="nl">(Nederlands)</small>' in page
    french = worker.get(f"/services/{world.records['service']}",
                        headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Huis van het Nederlands (fr)" in french
    assert "(Nederlands)" not in french


def test_another_municipalitys_service_is_out_of_reach(app, world, login):
    service_b = world.records["service_b"]
    coordinator = login("coordinator@a.test")
    assert coordinator.get(f"/manage/services/{service_b}").status_code == 404
    assert _post(coordinator, f"/manage/services/{service_b}", **COMPLETE).status_code == 404
    assert _post(coordinator, f"/manage/services/{service_b}/active",
                 active="0").status_code == 404
    assert _service(app, "Service in B").active
    assert login("worker@a.test").get("/manage/services/").status_code == 404
