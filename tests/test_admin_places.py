"""Municipalities (admins) and neighbourhoods (admins, coordinators): create, rename,
deactivate; what deactivation means for forms, records and switching."""

from sqlalchemy import select

from server.audit.models import AuditEvent
from server.auth.models import Membership, User
from server.extensions import db
from server.org.models import Municipality, Neighbourhood

from . import factories
from .conftest import switch_municipality


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data})


def _hood(app, municipality_id, name="Centrum"):
    with app.app_context():
        return db.session.scalar(select(Neighbourhood).where(
            Neighbourhood.municipality_id == municipality_id, Neighbourhood.name == name))


def _actions(app, action):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.object_id).where(
            AuditEvent.action == action)))


# Neighbourhoods

def test_coordinator_adds_renames_and_deactivates_a_neighbourhood(app, world, login):
    coordinator = login("coordinator@a.test")
    assert _post(coordinator, "/manage/neighbourhoods", name="Sint-Ulriks-Kapelle").status_code == 303
    hood = _hood(app, world.a.id, "Sint-Ulriks-Kapelle")
    assert hood.active
    renamed = _post(coordinator, f"/manage/neighbourhoods/{hood.id}", name="Sint-Ulriks")
    assert renamed.status_code == 303
    assert _hood(app, world.a.id, "Sint-Ulriks").id == hood.id
    off = _post(coordinator, f"/manage/neighbourhoods/{hood.id}/active", active="0")
    assert off.status_code == 303
    assert not _hood(app, world.a.id, "Sint-Ulriks").active
    assert _actions(app, "create_neighbourhood") == [hood.id]
    assert _actions(app, "rename_neighbourhood") == [hood.id]
    assert _actions(app, "deactivate_neighbourhood") == [hood.id]
    page = coordinator.get("/manage/neighbourhoods").get_data(as_text=True)
    assert "Sint-Ulriks" in page
    assert "Reactivate" in page


def test_neighbourhood_name_errors_keep_the_form(app, world, login):
    coordinator = login("coordinator@a.test")
    empty = _post(coordinator, "/manage/neighbourhoods", name="  ")
    assert empty.status_code == 422
    assert "required" in empty.get_data(as_text=True)
    duplicate = _post(coordinator, "/manage/neighbourhoods", name="Centrum")
    assert duplicate.status_code == 422
    assert "a neighbourhood with this name exists" in duplicate.get_data(as_text=True)
    _post(coordinator, "/manage/neighbourhoods", name="Bodegem")
    bodegem = _hood(app, world.a.id, "Bodegem")
    clash = _post(coordinator, f"/manage/neighbourhoods/{bodegem.id}", name="Centrum")
    assert clash.status_code == 422
    html = clash.get_data(as_text=True)
    assert f'id="name-{bodegem.id}"' in html
    assert 'value="Centrum"' in html
    assert 'aria-invalid="true"' in html
    assert _hood(app, world.a.id, "Bodegem") is not None


def test_the_same_name_may_be_used_in_another_municipality(app, world, login):
    coordinator_b = login("coordinator@b.test")
    assert _post(coordinator_b, "/manage/neighbourhoods", name="Kassei").status_code == 303
    assert _post(login("coordinator@a.test"), "/manage/neighbourhoods",
                 name="Kassei").status_code == 303


def test_coordinator_cannot_touch_another_municipalitys_neighbourhood(app, world, login):
    hood_b = _hood(app, world.b.id)
    coordinator = login("coordinator@a.test")
    assert _post(coordinator, f"/manage/neighbourhoods/{hood_b.id}",
                 name="Mine now").status_code == 404
    assert _post(coordinator, f"/manage/neighbourhoods/{hood_b.id}/active",
                 active="0").status_code == 404
    assert _hood(app, world.b.id).active


def test_deactivated_neighbourhood_leaves_the_forms_but_stays_on_records(app, world, login):
    hood = _hood(app, world.a.id)
    worker = login("worker@a.test")
    person = world.records["person"]
    with app.app_context():
        factories.apply(world.actor("worker"), "person.update", {"neighbourhood_id": hood.id},
                        record_id=person, base_version=1)
        db.session.commit()
    _post(login("coordinator@a.test"), f"/manage/neighbourhoods/{hood.id}/active", active="0")
    assert f'value="{hood.id}"' not in worker.get("/people/new").get_data(as_text=True)
    assert f'value="{hood.id}"' not in worker.get("/contacts/new").get_data(as_text=True)
    assert "Centrum" in worker.get(f"/people/{person}").get_data(as_text=True)
    edit = worker.get(f"/people/{person}/edit").get_data(as_text=True)
    assert f'value="{hood.id}" dir="auto" selected' in edit  # saving keeps it


# Municipalities

def test_admin_creates_a_municipality_and_may_switch_into_it(app, world, login):
    admin = login("admin@a.test")
    created = _post(admin, "/manage/municipalities", name="Grimbergen")
    assert created.status_code == 303
    with app.app_context():
        new = db.session.scalar(select(Municipality).where(Municipality.name == "Grimbergen"))
        assert new.active
        assert new.slug == "grimbergen"
        roles = db.session.scalars(select(Membership.role).where(
            Membership.municipality_id == new.id)).all()
        assert roles == ["admin"]
        new_id = new.id
    assert _actions(app, "create_municipality") == [new_id]
    switch_municipality(admin, new_id)
    assert "Grimbergen" in admin.get("/manage/").get_data(as_text=True)


def test_admin_renames_and_validation_keeps_what_was_typed(app, world, login):
    admin = login("admin@a.test")
    assert _post(admin, f"/manage/municipalities/{world.a.id}", name="Alpha-Noord").status_code == 303
    with app.app_context():
        assert db.session.get(Municipality, world.a.id).name == "Alpha-Noord"
    clash = _post(admin, f"/manage/municipalities/{world.a.id}", name="Beta")
    assert clash.status_code == 422
    assert "a municipality with this name exists" in clash.get_data(as_text=True)
    assert 'value="Beta"' in clash.get_data(as_text=True)
    too_long = _post(admin, "/manage/municipalities", name="x" * 121)
    assert too_long.status_code == 422
    assert "too long" in too_long.get_data(as_text=True)


def test_a_deactivated_municipality_can_no_longer_be_switched_into(app, world, login):
    admin = login("admin@a.test")
    _post(admin, "/manage/municipalities", name="Zemst")
    with app.app_context():
        zemst = db.session.scalar(select(Municipality.id).where(Municipality.name == "Zemst"))
    refused = _post(admin, f"/manage/municipalities/{world.a.id}/active", active="0")
    assert refused.status_code == 422  # the one being worked in
    assert "switch to another one first" in refused.get_data(as_text=True)
    with app.app_context():
        epoch = db.session.get(User, world.users["admin"].id).sync_epoch
        worker_epoch = db.session.get(User, world.users["worker"].id).sync_epoch
    assert _post(admin, f"/manage/municipalities/{zemst}/active", active="0").status_code == 303
    assert _actions(app, "deactivate_municipality") == [zemst]
    with app.app_context():  # its people's phones sync afresh, without it
        assert db.session.get(User, world.users["admin"].id).sync_epoch == epoch + 1
        assert db.session.get(User, world.users["worker"].id).sync_epoch == worker_epoch
    switch_municipality(admin, zemst)
    home = admin.get("/").get_data(as_text=True)
    assert 'name="municipality_id"' not in home  # only Alpha is left to choose
    assert "Zemst" not in admin.get("/manage/").get_data(as_text=True)
    assert "Zemst" in admin.get("/manage/municipalities").get_data(as_text=True)  # to reactivate
    assert _post(admin, f"/manage/municipalities/{zemst}/active", active="1").status_code == 303
    switch_municipality(admin, zemst)
    assert "Zemst" in admin.get("/manage/").get_data(as_text=True)


def test_coordinators_and_other_admins_municipalities_are_out_of_reach(app, world, login):
    assert login("coordinator@a.test").get("/manage/municipalities").status_code == 404
    admin = login("admin@a.test")
    assert _post(admin, f"/manage/municipalities/{world.b.id}", name="Taken").status_code == 404
    assert _post(admin, f"/manage/municipalities/{world.b.id}/active",
                 active="0").status_code == 404
    assert "Beta" not in admin.get("/manage/municipalities").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Municipality, world.b.id).active
