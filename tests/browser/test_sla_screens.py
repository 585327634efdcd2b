"""The SLA sidebar of a demo ticket in a real browser: each due time and how it was computed, in Chinese and
in English, on a laptop and on a phone."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.models import SlaClock, utcnow
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_screens import assert_fits_width, header_button, sign_in


@pytest.mark.browser
@pytest.mark.parametrize("size", ("laptop", "phone"))
def test_the_sla_sidebar_explains_itself_in_both_languages(live_site, open_page, screenshot, size):
    with live_site.app.app_context():  # a fresh demo ticket whose clock counts the weekday service hours
        ticket_id = db.session.scalar(select(SlaClock.ticket_id).where(
            SlaClock.kind == "first_response", SlaClock.state == "running", SlaClock.business.is_(True),
            SlaClock.due_at > utcnow()).order_by(SlaClock.id.desc()).limit(1))
    assert ticket_id is not None, "the demo data has no running business-time clock"
    page = open_page(LAPTOP if size == "laptop" else PHONE)
    sign_in(page, "supervisor1")
    page.goto(f"/desk/tickets/{ticket_id}")
    sidebar = page.locator("section.sla")
    expect(sidebar.get_by_role("heading", name="服务时限")).to_be_visible()
    sidebar.locator("[data-sla=first_response] summary").click()
    expect(sidebar.locator("[data-sla=first_response]")).to_contain_text("从 ")
    expect(sidebar.locator("[data-sla=first_response]")).to_contain_text("截止")
    sidebar.scroll_into_view_if_needed()
    assert_fits_width(page)
    screenshot(page, f"ticket-sla-zh-{size}")

    header_button(page, "English").click()
    sidebar = page.locator("section.sla")
    expect(sidebar.get_by_role("heading", name="Service levels")).to_be_visible()
    sidebar.locator("[data-sla=first_response] summary").click()
    expect(sidebar.locator("[data-sla=first_response]")).to_contain_text("Counted from")
    expect(sidebar.locator("[data-sla=first_response]")).to_contain_text("of service hours")
    assert_fits_width(page)
    screenshot(page, f"ticket-sla-en-{size}")
