"""A phone's first sync as a snapshot (docs/sync.md): after it and the pulls that follow, the
phone holds the same records and kept pages as a phone that pulled everything from the
beginning, and what it keeps opens without signal."""

import pytest
from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.org.models import Municipality
from server.people.models import Person

from ..factories import actor_for, apply
from ..records import contact_fields
from .conftest import signed_in, synced

pytestmark = pytest.mark.browser

RECORDS = """async () => {
  const { open } = await import("/static/js/store.js");
  const records = await (await open()).getAll("records");
  return records.map(({ type, id, version, data }) => ({ type, id, version, data }));
}"""
KEPT_PAGES = """async () => (await (await caches.open("handvast-pages-2")).keys())
  .map((request) => new URL(request.url).pathname).sort()"""
# The phone forgets what it has and pulls from the first change on, as before snapshots.
PULL_FROM_THE_BEGINNING = """async (cursor) => {
  const store = await import("/static/js/store.js");
  const pages = await import("/static/js/pages.js");
  await store.forgetRecords();
  await pages.forgetPages();
  await store.setMeta("pages_version", null);
  await store.setMeta("cursor", cursor);
}"""


def _dilbeek(email: str):
    user = db.session.scalar(select(User).where(User.email == email))
    return user, db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))


def test_a_phone_from_a_snapshot_ends_as_one_that_pulled_everything(app, field, demo):  # noqa: F811
    snapshotted = signed_in(field, demo, "worker@example.org")  # noqa: F811
    amina = demo["amina"]
    with app.app_context():
        worker, dilbeek = _dilbeek("worker@example.org")
        coordinator, _ = _dilbeek("coordinator@example.org")
        version = db.session.get(Person, amina).version
        apply(actor_for(coordinator, dilbeek), "person.update", {"phone": "+32 470 99 88 77"},
              record_id=amina, base_version=version)
        logged = apply(actor_for(worker, dilbeek), "contact.create",
                       contact_fields([amina], note="After the snapshot, at the library."))
        db.session.commit()
        cursor = f"1.{dilbeek.id}.{worker.sync_epoch}.0"
    synced(snapshotted)

    pulled = signed_in(field, demo, "worker@example.org")  # noqa: F811
    pulled.evaluate(PULL_FROM_THE_BEGINNING, cursor)
    synced(pulled)

    by_key = lambda records: {(r["type"], r["id"]): r for r in records}  # noqa: E731
    assert by_key(snapshotted.evaluate(RECORDS)) == by_key(pulled.evaluate(RECORDS))
    kept = snapshotted.evaluate(KEPT_PAGES)
    assert kept == pulled.evaluate(KEPT_PAGES)
    assert f"/contacts/{logged}" in kept

    field.offline()
    snapshotted.goto(f"/contacts/{logged}")
    assert "After the snapshot, at the library." in snapshotted.content()
    snapshotted.goto(f"/people/{amina}")
    assert "Amina El Idrissi" in snapshotted.content()
