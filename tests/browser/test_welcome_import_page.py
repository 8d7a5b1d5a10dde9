"""The coordinator imports a month's list in the browser: map, preview, and a progress bar
that runs a 10,000-row file to the end; and the visit form as the phone shows it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from server.core.clock import today_local

from ..welcome_helpers import register_csv, row
from .conftest import screenshot, sign_in_page

pytestmark = pytest.mark.browser


def test_ten_thousand_rows_import_with_a_progress_bar(new_context, demo, tmp_path):  # noqa: F811
    start = today_local() - timedelta(days=40)
    rows = [row(f"Voornaam{i}", f"Familie{i}", street=f"Laan {i % 50}", number=str(i),
                registered=start + timedelta(days=i % 30)) for i in range(10_000)]
    rows[5][3] = ""
    path = tmp_path / "inschrijvingen-groot.csv"
    path.write_bytes(register_csv(rows))
    page = new_context().new_page()
    sign_in_page(page, "coordinator@example.org", demo["password"])
    page.goto("/welcome/manage/")
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.locator("h1")).to_have_text("Map the columns")
    expect(page.locator("#names-0")).to_have_value("Voornaam")
    screenshot(page, "welcome-mapping-360")
    page.get_by_role("button", name="Read the file and preview").click()
    expect(page.locator("#problems-heading")).to_be_visible(timeout=30_000)
    expect(page.locator("body")).to_contain_text("Row 7: Street: missing")
    page.get_by_role("button", name="Import 9999 households").click()
    expect(page.locator("progress")).to_be_visible()
    screenshot(page, "welcome-import-progress-360")
    expect(page.locator("[role=status]").filter(has_text="Done")).to_have_text(
        "Done: 9999 new households.", timeout=60_000)


def test_the_visit_form_at_phone_width(new_context, demo):  # noqa: F811
    page = new_context().new_page()
    sign_in_page(page, "volunteer@example.org", demo["password"])
    page.goto("/welcome/")
    page.locator(".worklist a").first.click()
    expect(page.get_by_role("link", name="Log visit")).to_be_visible()
    screenshot(page, "welcome-household-360")
    page.get_by_role("link", name="Log visit").click()
    expect(page.get_by_label("Agrees to be contacted again")).to_be_visible()
    screenshot(page, "welcome-visit-form-360")
