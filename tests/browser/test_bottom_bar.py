"""The bottom bar on the narrowest phones, in every language: each tab's label fits its box
whole (nothing cut, nothing ellipsised: "Meer" never "Me", "Більше" never "Біль"), every tab
is a tap target of at least 44 px, and nothing the keyboard reaches hides behind the bar."""

import pytest

from .conftest import screenshot, sign_in_page

pytestmark = pytest.mark.browser

LANGUAGES = ["nl", "fr", "en", "ar", "tr", "uk"]
WIDTHS = [320, 360]

TABS = """() => [...document.querySelectorAll('.bottom-nav a')].map((a) => {
  const label = a.querySelector('.tab-label');
  const box = a.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(label);
  const text = range.getBoundingClientRect();
  const style = getComputedStyle(label);
  return { text: label.textContent.trim(), width: box.width, height: box.height,
           fits: a.scrollWidth <= a.clientWidth && label.scrollWidth <= label.clientWidth,
           inside: text.left >= box.left - 0.5 && text.right <= box.right + 0.5,
           ellipsis: style.textOverflow === 'ellipsis' || getComputedStyle(a).textOverflow === 'ellipsis' };
})"""


def test_every_tab_label_fits_at_320_and_360_in_every_language(app, demo, new_context):
    labels = {}
    for language in LANGUAGES:
        labels[language] = _check_language(new_context, demo["password"], language)
    # Short forms made for the bar, natural in each language.
    assert labels["nl"] == ["Start", "Personen", "Noteer", "Verwijzingen", "Meer"]
    assert labels["uk"][-1] == "Більше"


def _check_language(new_context, password, language):
    page = new_context(locale=language).new_page()
    sign_in_page(page, "volunteer@example.org", password)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 740})
        page.goto("/")
        tabs = page.evaluate(TABS)
        assert len(tabs) == 5, tabs  # home, people, log, referrals, more
        for tab in tabs:
            assert "(" not in tab["text"], f"{language}: untranslated tab {tab['text']!r}"
            assert tab["fits"], f"{language} at {width}px: {tab['text']!r} cut"
            assert tab["inside"], f"{language} at {width}px: {tab['text']!r} outside its tab"
            assert not tab["ellipsis"], tab
            assert tab["height"] >= 44, f"{language}: {tab} too low to tap"
            assert tab["width"] >= 44, f"{language}: {tab} too narrow to tap"
        if language in ("nl", "uk", "ar"):
            screenshot(page, f"bottom-bar-{language}-{width}")
    labels = [tab["text"] for tab in tabs]
    page.close()
    return labels


def test_a_field_reached_by_tab_is_never_behind_the_bar(app, demo, new_context):
    """Tabbing down the contact form: each focused field is above the bar, not under it."""
    page = new_context().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    page.set_viewport_size({"width": 320, "height": 568})
    page.goto("/contacts/new")
    bar_top = page.evaluate("document.querySelector('.bottom-nav').getBoundingClientRect().top")
    page.focus("#occurred_at")
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => {
          const el = document.activeElement;
          if (el.closest('.bottom-nav, .foot')) return null;
          const r = el.getBoundingClientRect();
          return { bottom: r.bottom, name: el.name || el.textContent };
        }""")
        if focused is None:
            break
        assert focused["bottom"] <= bar_top, f"{focused['name']} is behind the bottom bar"
