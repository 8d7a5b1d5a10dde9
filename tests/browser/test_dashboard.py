"""The dashboard of the demo coordinator, counted: in six languages it fits a 360 px phone
and a desktop (no table that scrolls there), keeps to the CSP, and axe-core finds nothing
wrong with its tables and SVG charts."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import misfits, screenshot, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_catalogs")]

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.mark.parametrize("language", ["en", "nl", "fr", "tr", "uk", "ar"])
def test_the_dashboard_fits_a_phone_and_a_desktop_in_every_language(app, demo, new_context,
                                                                     language):
    assert app.test_cli_runner().invoke(args=["indicators", "refresh"]).exit_code == 0
    found = {}
    for width in (360, 1280):
        context = new_context(locale=language, viewport={"width": width, "height": 900})
        context.add_init_script(LISTEN)
        page = context.new_page()
        sign_in_page(page, "coordinator@example.org", demo["password"])
        page.goto("/dashboard")
        assert page.locator("svg[role=img] title").count() > 0
        found[width] = misfits(page) + page.evaluate("() => window.__violations")
        if width == 360:
            screenshot(page, f"dashboard-360-{language}")
            results = Axe().run(page)
            assert not results.violations_count, results.generate_report()
    assert found == {360: [], 1280: []}
