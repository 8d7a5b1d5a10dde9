"""Light on data: a page view and an idle hour stay within their budgets, counted at the server
for every response the page and its service worker receive (benchmarks/idle.py measures the
same and prints the figures); a role is never sent a page it cannot open; and the pages of a
person the user may no longer see leave the phone at the next sync."""

import pytest
from sqlalchemy import select

from benchmarks.idle import (
    FIRST_SYNC_GOAL,
    FIRST_SYNC_REQUESTS,
    IDLE_HOUR_GOAL,
    PAGE_VIEW_GOAL,
    Counted,
    idle_hour,
    page_view,
    served,
    sync_traffic,
)
from server.auth.models import User
from server.extensions import db
from server.org.models import Municipality

from ..factories import actor_for, apply
from .conftest import ready, sign_in_page, signed_in, synced

pytestmark = pytest.mark.browser

EVERY_KEPT_PAGE = """async () => {
  const cache = await caches.open("handvast-pages-2");
  const pages = [];
  for (const request of await cache.keys()) {
    pages.push({ path: new URL(request.url).pathname, text: await (await cache.match(request)).text() });
  }
  return pages;
}"""


@pytest.fixture
def counted(app):
    counter = Counted(app)
    app.wsgi_app = counter
    yield counter
    app.wsgi_app = counter.app


def test_a_page_view_and_an_idle_hour_stay_within_their_budgets(field, demo, counted):  # noqa: F811
    page = signed_in(field, demo, "worker@example.org")  # noqa: F811
    page_view(page, counted, "/people/")  # the first after the install fills the HTTP cache
    for url in ("/", "/contacts/new", "/people/"):
        responses = page_view(page, counted, url)
        assert served(responses) < PAGE_VIEW_GOAL, (url, responses)
    context = page.context
    page.close()
    hour = idle_hour(context, counted)  # its timer 120 times faster: 30 s are an hour
    assert served(hour) < IDLE_HOUR_GOAL, hour
    paths = {path for path, *_ in hour}
    assert paths == {"/api/v1/sync/pull"}, "an idle phone with nothing new fetches no page"
    assert 4 <= len(hour) <= 15  # it still looks for news, less often while nothing changes


def test_the_first_sync_comes_in_a_handful_of_requests(field, demo, counted):  # noqa: F811
    """The demo worker's first sync: a snapshot of the records, the pull after it and one
    bundle of kept pages, not a request per page (247 requests and 680 KB before)."""
    page = signed_in(field, demo, "worker@example.org")  # noqa: F811
    data = sync_traffic(counted.take())
    paths = [path for path, *_ in data]
    assert len(data) <= FIRST_SYNC_REQUESTS, data
    assert served(data) < FIRST_SYNC_GOAL, (served(data), data)
    assert "/api/v1/sync/snapshot" in paths
    assert "/api/v1/sync/pages" in paths
    kept = {p["path"] for p in page.evaluate(EVERY_KEPT_PAGE)}
    assert {"/", "/people/", f"/people/{demo['amina']}", "/contacts/new"} <= kept
    assert len(kept) > 50, "the pages come in the bundle, not one by one later"


@pytest.mark.parametrize("email", ["buddy@example.org", "admin@example.org"])
def test_a_role_is_never_sent_a_page_it_cannot_open(field, demo, counted, email):  # noqa: F811
    page = field.phone().new_page()
    sign_in_page(page, email, demo["password"])
    ready(page)
    synced(page)
    refused = [(path, status) for path, status, *_ in counted.take() if status >= 400]
    assert refused == []


def test_every_page_of_a_person_no_longer_seen_leaves_the_phone(app, field, demo):  # noqa: F811
    page = signed_in(field, demo)  # noqa: F811
    amina = demo["amina"]
    page.goto(f"/people/{amina}")
    kept = page.evaluate(EVERY_KEPT_PAGE)
    assert any(p["path"] == f"/people/{amina}" for p in kept)
    assert any("Amina El Idrissi" in p["text"] and p["path"].startswith("/contacts/") for p in kept)
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
        dilbeek = db.session.scalar(select(Municipality).where(Municipality.name == "Dilbeek"))
        apply(actor_for(coordinator, dilbeek), "person.assign", {"team_id": None}, record_id=amina)
        db.session.commit()
    synced(page)
    left = [p["path"] for p in page.evaluate(EVERY_KEPT_PAGE)
            if amina in p["path"] or "Amina El Idrissi" in p["text"]]
    assert left == []
