"""What scripts write is in the page's language from the first load, and in Arabic a count
keeps its sign before the number."""

import re

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from server.i18n import catalogs

from .conftest import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_catalogs")]
HINT = "%(num)d more: type a name to find them"


def _hint_pattern(language: str) -> re.Pattern:
    """Every plural form of the picker's hint in that language, any number in it."""
    translations = Translations.load(str(catalogs.TRANSLATIONS), [language])
    forms = {translations.ngettext(HINT, HINT, n) for n in range(0, 200)}
    return re.compile("|".join(re.escape(form).replace(re.escape("%(num)d"), r"\d+") for form in forms))


@pytest.mark.parametrize(("locale", "language"), [("nl-BE", "nl"), ("ar", "ar")])
def test_the_person_picker_hint_is_in_the_page_language_on_first_load(new_context, demo, locale,
                                                                       language):
    page = new_context(locale=locale).new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    page.goto("/contacts/new")
    found = page.locator("[data-picker-found]").first
    expect(found).not_to_be_empty()
    expect(found).to_have_text(_hint_pattern(language))
    assert "type a name" not in found.text_content()


def test_a_counter_button_reads_plus_one_in_arabic(new_context, demo):
    page = new_context(locale="ar").new_page()
    sign_in_page(page, "worker@example.org", demo["password"])
    page.goto("/gatherings/")
    hrefs = page.locator("main a[href^='/gatherings/']").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))")
    gathering = next(h for h in hrefs if re.fullmatch(r"/gatherings/[0-9a-f-]{36}", h))
    page.goto(f"{gathering}/count")
    plus = page.locator(".tap-plus").first
    expect(plus).to_have_text("+1")
    # The sign is drawn left of the number, as "+1" reads in Arabic too.
    sign, digit = plus.evaluate("""button => {
      const text = document.createTreeWalker(button, NodeFilter.SHOW_TEXT).nextNode();
      const left = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                            return r.getBoundingClientRect().left; };
      return [left(0), left(1)];
    }""")
    assert sign < digit
    assert plus.locator("bdi[dir=ltr]").count() == 1
