"""The customer archive and customer care in a real browser, in both languages on a phone and a laptop: the
list, a record's page, opening a protected record with a reason, and the care calendar. Screenshots go to
test-artifacts/screenshots/."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.models import Customer
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_screens import assert_fits_width, header_button, sign_in

VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}


def _ids(app):
    with app.app_context():
        person = db.session.scalar(select(Customer).where(Customer.kind == "person", Customer.confidentiality == "normal",
                                                          Customer.organisation_id.is_not(None)).order_by(Customer.id))
        secret = db.session.scalar(select(Customer).where(Customer.confidentiality == "secret").order_by(Customer.id))
        return person.id, secret.id, secret.name


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_manager_searches_the_archive_opens_records_and_reads_the_care_calendar(open_page, screenshot, live_site,
                                                                                   size, language):
    person, secret, secret_name = _ids(live_site.app)
    page = open_page(VIEWPORTS[size])
    sign_in(page, "manager")
    if language == "en":
        header_button(page, "English").click()
    page.locator("nav.mainnav").get_by_role("link", name="客户档案" if language == "zh" else "Customers").click()
    expect(page).to_have_url(re.compile(r"/desk/customers/$"))
    expect(page.locator("table.customers tbody tr").first).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"customers-list-{language}-{size}")
    page.locator("form.customer-filters input[name=q]").fill(secret_name[:4])
    page.locator("form.customer-filters button.primary").click()
    restricted = page.locator("table.customers tr", has_text=secret_name)
    expect(restricted.locator("td.restricted")).to_be_visible()

    page.goto(f"/desk/customers/{person}")
    expect(page.locator("#tickets")).to_be_visible()
    expect(page.locator("#contacts dd").first).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"customers-page-{language}-{size}")

    page.goto(f"/desk/customers/{secret}")
    page.fill("input[name=reason]", "处理投诉 #12")
    page.click("form.stacked button.primary")
    expect(page.locator("#contacts")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"customers-protected-{language}-{size}")

    page.goto("/desk/care/calendar")
    expect(page.locator("ol.agenda > li").first).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"care-calendar-{language}-{size}")
