"""The search box and results page in a real browser, on the demo data: Chinese and English, phone and
laptop; screenshots go to test-artifacts/screenshots/."""
import re

import pytest
from playwright.sync_api import expect

from core.extensions import db
from core.tickets.service import create_ticket
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_screens import assert_fits_width, header_button, sign_in

VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture
def indexed_site(live_site):
    index = live_site.app.extensions["kefu_search"]
    if index.rebuild_thread is not None:  # the demo data came in bulk: indexed as a new site would be
        index.rebuild_thread.join(timeout=600)
    with live_site.app.app_context():  # the demo data is random: make sure a ticket says 漏水
        create_ticket(type_key="inquiry", title="卫生间漏水", body="楼上卫生间漏水，天花板已经发霉了")
        db.session.commit()
    return live_site


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_search_from_the_header_in_both_languages(indexed_site, open_page, screenshot, size):
    page = open_page(VIEWPORTS[size])
    sign_in(page, "manager")
    box = page.locator("header.topbar form.topsearch input[name=q]")
    box.fill("漏水")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/desk/search\?q="))
    expect(page.get_by_role("heading", name="搜索")).to_be_visible()
    expect(page.locator(".search-total")).to_contain_text("条结果")
    expect(page.locator(".hit-title mark").first).to_have_text("漏水")
    assert page.locator("li.hit").count() > 0
    assert_fits_width(page)
    screenshot(page, f"search-zh-{size}")
    header_button(page, "English").click()
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    expect(page.locator(".search-total")).to_contain_text("results")
    assert_fits_width(page)
    screenshot(page, f"search-en-{size}")
