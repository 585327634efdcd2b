"""The portal in a real browser at phone size: a visitor signs up, sees a public answer while typing the
title of a request (never an internal one), files the request with a photo and finds it in the list; a
visitor without an account uses the public form and lands on the tracking page."""
import os
import re

import pytest
from playwright.sync_api import expect

from core.extensions import db
from core.models import KbArticle
from core.search.analysis import tokenize
from tests.support.browser import LiveServer

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "test-artifacts", "screenshots")


@pytest.fixture
def phone(browser, app):
    with app.app_context():
        db.session.add_all([KbArticle(title="停水了怎么办？", body="<p>先查看小区公告，计划停水会提前通知。</p>", public=True),
                            KbArticle(title="停水内部处置流程", body="<p>内部：通知抢修班组。</p>", public=False)])
        db.session.commit()
    # Suggestions cut the typed title into words with jieba, whose dictionary loads on first use (0.6 s on a
    # quiet machine, many seconds on a loaded one): load it here so the browser's wait measures the page.
    tokenize("停水")
    errors = []
    with LiveServer(app) as server:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, base_url=server.url)
        context.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page = context.new_page()
        yield page
        context.close()
    assert errors == []


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shot(page, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"portal-{name}.png"), full_page=True)


@pytest.mark.browser
def test_sign_up_get_an_answer_while_typing_and_file_a_request(phone, tmp_path):
    phone.goto("/portal/signup")
    phone.fill("input[name=name]", "孙丽")
    phone.fill("input[name=email]", "sun.li@example.cn")
    phone.fill("input[name=phone]", "13700000003")
    phone.fill("input[name=password]", "water-2024")
    _fits(phone)
    _shot(phone, "signup")
    phone.click("form button.primary")
    expect(phone).to_have_url(re.compile(r"/portal/$"))
    phone.click("a.button.primary")
    phone.select_option("select[name=type]", "fault")
    phone.fill("input[name=title]", "家里停水了")
    suggestions = phone.locator("[data-deflect-results]")
    expect(suggestions).to_be_visible()
    expect(suggestions.locator("li")).to_have_count(1)
    expect(suggestions.get_by_role("link", name="停水了怎么办？")).to_be_visible()
    _fits(phone)
    _shot(phone, "new-request")
    photo = tmp_path / "水表.jpg"
    photo.write_bytes(b"\xff\xd8 meter")
    phone.set_input_files("input[type=file]", str(photo))
    phone.click("form button.primary")
    expect(phone).to_have_url(re.compile(r"/portal/tickets/\d+$"))
    expect(phone.locator("ol.timeline")).to_contain_text("水表.jpg")
    _fits(phone)
    _shot(phone, "request")
    phone.goto("/portal/")
    expect(phone.locator("table.tickets")).to_contain_text("家里停水了")


@pytest.mark.browser
def test_the_public_form_suggests_answers_and_leads_to_the_tracking_page(phone):
    phone.goto("/portal/request")
    expect(phone.locator("input[name=website]")).not_to_be_in_viewport()
    phone.fill("input[name=name]", "周先生")
    phone.fill("input[name=phone]", "13600000004")
    phone.select_option("select[name=type]", "fault")
    phone.fill("input[name=title]", "小区停水")
    expect(phone.locator("[data-deflect-results] li")).to_have_count(1)
    expect(phone.locator("[data-deflect-results]")).to_contain_text("计划停水会提前通知")
    _fits(phone)
    _shot(phone, "public-form")
    phone.click("form button.primary")
    expect(phone).to_have_url(re.compile(r"/portal/track/[\w.-]+$"))
    expect(phone.locator("h1")).to_have_text("小区停水")
    _fits(phone)
    _shot(phone, "track")
