"""The most frequent act, in a real browser on a phone-sized screen."""


from .conftest import screenshot, sign_in_page


def test_volunteer_logs_a_contact_and_sees_it_on_the_timeline(app, new_context, demo):
    person_id = demo["amina"]
    page = new_context().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    page.get_by_role("link", name="Log contact").first.click()  # one tap from home
    page.wait_for_url("**/contacts/new")
    page.get_by_label("Home visit").check()
    page.get_by_text("More details").click()  # domains and duration wait behind it
    page.get_by_label("Dutch language").check()
    page.get_by_label("Amina El Idrissi").check()
    page.get_by_label("Duration in minutes").fill("20")
    page.get_by_label("Note").fill("Samen het inschrijvingsformulier voor NT2 ingevuld.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(lambda url: "/contacts/new" not in url)  # saved: on to the contact
    page.goto(f"/people/{person_id}")
    timeline = page.locator(".timeline")
    timeline.get_by_text("Samen het inschrijvingsformulier voor NT2 ingevuld.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "volunteer-timeline-360")
