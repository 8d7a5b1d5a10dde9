"""Administration on a 360 px phone: the user list searched among 200 users, an invitation's
link copied with one tap (and still there to select without script), and every admin page
fitting the screen in Dutch and in Arabic; the municipality switcher readable in the header."""

import pytest
from playwright.sync_api import expect

from server.auth.models import Membership
from server.extensions import db

from .. import factories
from .conftest import misfits, screenshot, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_catalogs")]

WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def crowded(app, world):
    """Municipality A with 200 users."""
    with app.app_context():
        a = db.session.get(type(world.a), world.a.id)
        for n in range(193):
            factories.make_user(f"helper{n:03d}@a.test", a, "volunteer")
        factories.make_user("zeynep.kaya@a.test", a, "officer")
        db.session.commit()
    return world


def test_user_search_among_200_users_on_a_phone(new_context, crowded):
    page = new_context().new_page()
    sign_in_page(page, "coordinator@a.test")
    page.goto("/manage/users")
    assert page.locator(".user-row").count() == 25
    assert page.get_by_text("200 users").is_visible()
    assert page.evaluate(WIDTH) <= 360
    screenshot(page, "admin-users-360")
    page.fill("#user-q", "zeynep")
    expect(page.locator(".user-row")).to_have_count(1)
    assert page.locator(".user-row strong").inner_text() == "Zeynep.Kaya"
    assert page.get_by_text("1 user", exact=True).is_visible()
    page.fill("#user-q", "")
    page.select_option("#user-role", "officer")
    expect(page.locator(".user-row")).to_have_count(2)
    page.locator(".user-row a", has_text="Zeynep.Kaya").click()
    page.get_by_role("link", name="Deactivate…").click()
    assert page.get_by_role("button", name="Yes, deactivate").is_visible()
    assert page.evaluate(WIDTH) <= 360
    screenshot(page, "admin-deactivate-360")


def test_invitation_link_is_copied_with_one_tap(new_context, world):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    sign_in_page(page, "coordinator@a.test")
    page.goto("/manage/invite")
    page.fill("#email", "nieuw@example.org")
    page.select_option("#team_id", label="Onthaal")
    page.get_by_role("button", name="Create invitation").click()
    link = page.locator("#invite-link")
    link.wait_for()
    value = link.input_value()
    assert "/invite/" in value
    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()  # shown by the page's script once it has run
    copy.click()
    status = page.locator("[data-copy-status]")
    status.filter(has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == value
    has_share = page.evaluate("typeof navigator.share === 'function'")
    assert page.get_by_role("button", name="Share…").is_visible() is has_share
    assert page.evaluate(WIDTH) <= 360
    screenshot(page, "admin-invite-360")


# A phone's share sheet, stood in for: Chromium on a desktop has none.
SHARE_SHEET = """
navigator.share = async (data) => { window.sharedData = data; };
navigator.canShare = () => true;
"""


def test_invitation_link_goes_to_the_share_sheet(new_context, world):
    context = new_context()
    context.add_init_script(SHARE_SHEET)
    page = context.new_page()
    sign_in_page(page, "coordinator@a.test")
    page.goto("/manage/invite")
    page.fill("#email", "gedeeld@example.org")
    page.get_by_role("button", name="Create invitation").click()
    value = page.locator("#invite-link").input_value()
    page.get_by_role("button", name="Share…").click()
    shared = page.evaluate("() => window.sharedData")
    assert shared == {"title": "Your invitation to handvast", "url": value}


def test_without_script_the_link_is_there_to_select(new_context, world):
    page = new_context(java_script_enabled=False).new_page()
    sign_in_page(page, "coordinator@a.test")
    page.goto("/manage/invite")
    page.fill("#email", "zonder@example.org")
    page.get_by_role("button", name="Create invitation").click()
    link = page.locator("#invite-link")
    assert link.is_visible()
    assert "/invite/" in link.input_value()
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()


PAGES = ["/manage/", "/manage/users", "/manage/invite", "/manage/teams",
         "/manage/teams/{team}", "/manage/neighbourhoods", "/manage/municipalities",
         "/manage/services/", "/manage/services/{service}", "/manage/users/{user}",
         "/manage/users/{user}/deactivate"]


@pytest.mark.parametrize(("locale", "direction"), [("nl-BE", "ltr"), ("ar", "rtl")])
def test_every_admin_page_fits_a_phone(new_context, world, locale, direction):
    page = new_context(locale=locale).new_page()
    sign_in_page(page, "admin@a.test")
    values = {"team": world.team.id, "service": world.records["service"],
              "user": world.users["volunteer"].id}
    for path in PAGES:
        page.goto(path.format(**values))
        name = path.format(team="team", service="service", user="user").strip("/")
        screenshot(page, f"admin-{locale}-{name.replace('/', '-') or 'home'}")
        assert page.evaluate("document.documentElement.dir") == direction
        assert page.evaluate(WIDTH) <= 360, path


def test_the_municipality_switcher_is_readable_in_the_header(app, new_context, world):
    """Its text was white (the header's colour) on the select's white."""
    with app.app_context():
        db.session.add(Membership(user_id=world.users["coordinator"].id,
                                  municipality_id=world.b.id, role="coordinator"))
        db.session.commit()
    page = new_context().new_page()
    sign_in_page(page, "coordinator@a.test")
    switcher = page.locator("#municipality-switch")
    expect(switcher).to_be_visible()
    assert misfits(page) == []
    assert switcher.evaluate("s => getComputedStyle(s).color") != "rgb(255, 255, 255)"
    screenshot(page, "municipality-switcher-360")
