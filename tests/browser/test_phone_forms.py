"""A field day on a cheap phone (360 x 740): the contact form's common case on about one
screen, a failed save that takes you to what went wrong, a message after every save, and a
contact page whose values are never squeezed by their labels. With scripts on and off."""

import pytest

from .conftest import screenshot, sign_in_page

pytestmark = pytest.mark.browser

SENSITIVE = "Sensitive (health, psychological; every read is logged)"
NOTE = "Spreekt over slaapproblemen sinds de verhuis; huisarts voorgesteld."


@pytest.fixture
def phone(app, new_context, demo):
    """phone(js=True, who=...) -> a signed-in page on the demo, 360 x 740."""
    def open_(js: bool = True, who: str = "volunteer@example.org", locale: str = "en-BE"):
        page = new_context(locale=locale, java_script_enabled=js).new_page()
        sign_in_page(page, who, demo["password"])
        return page

    return open_


def _bottom_of(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().bottom + scrollY")


def test_the_common_case_fits_about_one_screen(phone):
    page = phone()
    page.goto("/contacts/new")
    assert not page.locator("details.more-fields").evaluate("d => d.open")
    for name in ("#occurred_at", "#channel", "#person_ids-choices", "#note"):
        assert page.locator(name).is_visible(), name
    for name in ("#duration_minutes", "#follow_up_on", "#domains"):
        assert not page.locator(name).is_visible(), f"{name} should wait behind 'more details'"
    # "With whom" is a search, not a scroll box: a few names, and typing finds the others.
    choices = page.locator("#person_ids-choices")
    assert choices.evaluate("list => list.scrollHeight <= list.clientHeight")
    assert page.locator("#person_ids-choices label.choice:visible").count() == 2
    page.locator("#person_ids-filter").fill("samir")
    assert page.locator("#person_ids-choices label.choice:visible").all_inner_texts() == [
        "Samir Benali"]
    assert choices.evaluate("list => list.scrollHeight <= list.clientHeight")
    page.locator("#person_ids-filter").fill("")
    save = _bottom_of(page, "form[data-mutation-form] button[type=submit]")
    screenshot(page, "contact-form-360")
    # About one screen: the whole form, Save included, within 1.25 screens of 740 px.
    assert save <= 740 * 1.25, f"Save is {save:.0f}px down a 740px screen"


def test_without_script_the_picker_lists_everyone_and_offers_no_dead_search_box(phone):
    page = phone(js=False)
    page.goto("/contacts/new")
    assert not page.locator("#person_ids-filter").is_visible()  # Enter in it would only submit
    names = page.locator("#person_ids-choices label.choice")
    assert names.count() > 6
    assert all(names.nth(i).is_visible() for i in range(names.count()))
    script = phone()
    script.goto("/contacts/new")
    assert script.locator("#person_ids-filter").is_visible()


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_a_failed_save_focuses_the_error_summary_whose_links_go_to_the_fields(phone, js):
    page = phone(js=js)
    page.goto("/contacts/new")
    page.locator("summary").click()
    page.get_by_label("Duration in minutes").fill("5000")
    page.get_by_role("button", name="Save").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    page.wait_for_function("document.activeElement?.hasAttribute('data-error-summary')")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    links = summary.get_by_role("link")
    hrefs = links.evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert "#channel" in hrefs  # how: required
    assert "#duration_minutes" in hrefs  # not a whole number, behind "more": opened for it
    assert page.locator("details.more-fields").evaluate("d => d.open")
    summary.get_by_role("link", name="How").click()
    assert page.evaluate("document.activeElement.id") == "channel"
    summary.locator("a[href='#duration_minutes']").click()
    assert page.evaluate("document.activeElement.id") == "duration_minutes"
    assert page.get_by_label("Duration in minutes").input_value() == "5000"  # kept as typed
    screenshot(page, f"contact-form-errors-{'js' if js else 'nojs'}")


@pytest.mark.parametrize("js", [True, False], ids=["script", "no-script"])
def test_every_form_says_it_saved(phone, js):
    page = phone(js=js)
    # A person.
    page.goto("/people/new")
    page.get_by_label("Name or nickname").fill("Oksana Melnyk")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/people/new" not in url)
    assert page.locator(".flash").inner_text() == "Person saved."
    person_url = page.url
    # A contact with them.
    page.goto("/contacts/new")
    page.get_by_label("Home visit").check()
    if js:  # a few people show until one types a name
        page.get_by_label("Find a person").fill("Oksana")
    page.get_by_label("Oksana Melnyk").check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    assert page.locator(".flash").inner_text() == "Contact saved."
    # A referral for them, and its next step.
    page.goto(person_url)
    page.get_by_role("link", name="Refer", exact=True).click()
    page.get_by_label("Service").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/referrals/new" not in url)
    assert page.locator(".flash").inner_text() == "Referral saved."
    page.get_by_role("button", name="Save step").click()
    page.locator(".flash", has_text="Referral updated.").wait_for()
    # Editing the person.
    page.goto(person_url)
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Phone").fill("0470 12 34 56")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: url.endswith(person_url[-36:]))
    assert page.locator(".flash").inner_text() == "Changes saved."
    phone_link = page.locator("a[href^='tel:']").bounding_box()
    assert phone_link["height"] >= 44, "the number to call is the main thing to tap"


def test_the_phone_remembers_more_details_and_the_last_duration_and_visibility(phone):
    page = phone()
    page.goto("/contacts/new")
    page.locator("summary").click()
    page.get_by_label("Home visit").check()
    page.get_by_label("Duration in minutes").fill("25")
    page.get_by_label(SENSITIVE).check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    page.goto("/contacts/new")
    assert page.get_by_label("Duration in minutes").input_value() == "25"
    assert page.get_by_label(SENSITIVE).is_checked()
    assert page.locator("details.more-fields").evaluate("d => d.open")  # never out of sight


def test_values_on_the_contact_page_are_never_squeezed_by_long_labels(phone):
    page = phone()
    page.goto("/contacts/new")
    page.get_by_label("Street").check()
    page.locator("summary").click()
    page.get_by_label("Dutch language").check()
    page.get_by_label("Welfare and health").check()
    page.get_by_label(SENSITIVE).check()
    page.get_by_label("Note").fill(NOTE)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/contacts/new" not in url)
    page.get_by_role("button", name="Show note").or_(page.get_by_role("link", name="Show note")).click()
    page.get_by_text(NOTE).wait_for()
    main = page.evaluate("document.querySelector('main').clientWidth")
    widths = page.locator(".facts dd").evaluate_all(
        "dds => dds.map((dd) => dd.getBoundingClientRect().width)")
    screenshot(page, "contact-sensitive-360")
    assert widths
    for width in widths:  # a value gets (nearly) the whole width of the page, not a 30px column
        assert width >= 0.8 * (main - 32), f"a value {width:.0f}px wide on a {main}px page"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The domains read as a sentence of the language: "Dutch language and Welfare and health".
    assert "Dutch language and Welfare and health" in page.locator(".facts").inner_text()
