"""The home screen and the contact form on a 360 px phone, in Dutch and in Arabic: nothing
sticks out sideways, and Arabic mirrors the whole layout."""

import pytest

from .conftest import screenshot, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_catalogs")]

# Centres (x) of what must swap sides in right-to-left, and the page's width.
LAYOUT = """() => {
  const middle = (el) => { const r = el.getBoundingClientRect(); return r.left + r.width / 2; };
  const text = (el) => { const range = document.createRange(); range.selectNodeContents(el);
                         const r = range.getBoundingClientRect(); return r.left + r.width / 2; };
  const nav = [...document.querySelectorAll('.bottom-nav a')];
  const choice = document.querySelector('.choice');
  return {
    dir: document.documentElement.dir, lang: document.documentElement.lang,
    width: document.documentElement.scrollWidth, viewport: window.innerWidth,
    brand: middle(document.querySelector('.brand')),
    firstNav: middle(nav[0]), lastNav: middle(nav[nav.length - 1]),
    heading: text(document.querySelector('main .greeting') || document.querySelector('main h1')),
    box: choice ? middle(choice.querySelector('input')) : null,
    label: choice ? middle(choice.querySelector('span')) : null,
  };
}"""


@pytest.fixture
def phone(app, new_context, demo):
    """phone(locale, who) -> a page signed in as a demo user, in that browser language."""
    def open_(locale: str, who: str = "volunteer@example.org"):
        page = new_context(locale=locale).new_page()
        sign_in_page(page, who, demo["password"])
        return page

    return open_


def _check(page, language: str, name: str) -> dict:
    layout = page.evaluate(LAYOUT)
    screenshot(page, name)
    assert layout["lang"] == language
    assert layout["width"] <= 360, f"{name}: {layout['width']}px wide on a 360px screen"
    start_is_right = layout["dir"] == "rtl"
    assert (layout["brand"] > layout["viewport"] / 2) is start_is_right, layout
    assert (layout["firstNav"] > layout["lastNav"]) is start_is_right, layout
    assert (layout["heading"] > layout["viewport"] / 2) is start_is_right, layout
    return layout


@pytest.mark.parametrize(("locale", "language", "direction"),
                         [("nl-BE", "nl", "ltr"), ("ar", "ar", "rtl")])
def test_home_and_contact_form_fit_a_phone_and_mirror_in_arabic(phone, locale, language,
                                                                  direction):
    page = phone(locale)
    page.goto("/")
    home = _check(page, language, f"languages-home-{language}-360")
    assert home["dir"] == direction
    page.goto("/contacts/new")
    form = _check(page, language, f"languages-contact-form-{language}-360")
    # A radio button sits before its label: left of it in Dutch, right of it in Arabic.
    assert (form["box"] > form["label"]) is (direction == "rtl"), form


def test_referral_arrow_points_the_reading_way(phone):
    for locale, rtl in (("nl-BE", False), ("ar", True)):
        page = phone(locale, "worker@example.org")
        page.goto("/referrals/")
        screenshot(page, f"languages-referrals-{locale[:2]}-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        for row in page.locator(".list-row a", has=page.locator(".arrow")).all():
            person, service = (row.locator("bdi").nth(i).bounding_box() for i in (0, 1))
            if abs(service["y"] - person["y"]) < 5:  # one line: the service comes after...
                assert (service["x"] < person["x"]) is rtl
            else:  # ...or on the next line
                assert service["y"] > person["y"]
            transform = row.locator(".arrow").evaluate("el => getComputedStyle(el).transform")
            assert (transform != "none") is rtl  # and the arrow turns to point at it
