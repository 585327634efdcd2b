"""The main screens in a real browser, as their users meet them: sign-in, the desk, both languages, the admin
panel, the customer portal and the profile, on a phone and on a laptop. Screenshots of each go to
test-artifacts/screenshots/ for a person to look at."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import or_, select

from core.demo.data import DEMO_PASSWORD, demo_email
from core.extensions import db
from core.models import Ticket, User
from tests.browser.conftest import LAPTOP, PHONE

VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
CJK = re.compile(r"[\u4e00-\u9fff]")


def sign_in(page, local):
    page.goto("/login")
    page.fill("#email", demo_email(local))
    page.fill("#password", DEMO_PASSWORD)
    page.click("form button.primary")
    expect(page).not_to_have_url(re.compile(r"/login"))


def assert_fits_width(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def header_button(page, name):
    return page.locator("header.topbar").get_by_role("button", name=name, exact=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_login_page_is_in_chinese_and_fits_the_screen(open_page, screenshot, size):
    page = open_page(VIEWPORTS[size])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, f"login-zh-{size}")


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_agent_lands_on_the_desk_with_chinese_tickets(open_page, screenshot, size):
    page = open_page(VIEWPORTS[size])
    sign_in(page, "agent1")
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.locator("nav.mainnav a.active")).to_have_text("工作台")
    expect(page.get_by_role("heading", name="我的工单")).to_be_visible()
    titles = page.locator("table.tickets tbody td.title").all_inner_texts()
    assert 0 < len(titles) <= 50
    assert sum(bool(CJK.search(title)) for title in titles) > len(titles) / 2  # the demo has some English ones
    hidden = page.locator("table.tickets thead th", has_text="处理人")
    if size == "phone":
        expect(hidden).to_be_hidden()
    else:
        expect(hidden).to_be_visible()
    first_row = page.locator("table.tickets tbody tr").first
    box, number = (first_row.locator(f"td.{name}").bounding_box() for name in ("select", "num"))
    assert box["x"] + box["width"] <= number["x"], "the selection box covers the ticket number"
    assert_fits_width(page)
    screenshot(page, f"desk-zh-{size}")


@pytest.mark.browser
def test_language_button_switches_between_chinese_and_english(open_page, screenshot):
    page = open_page(LAPTOP)
    page.goto("/login")
    header_button(page, "English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_fits_width(page)
    screenshot(page, "login-en-laptop")
    header_button(page, "简体中文").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    sign_in(page, "agent1")
    header_button(page, "English").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    expect(header_button(page, "Sign out")).to_be_visible()
    expect(page.locator("nav.mainnav a.active")).to_have_text("Helpdesk")
    screenshot(page, "desk-en-laptop")

    # The choice is kept on the account: the same agent on a phone gets English too.
    phone = open_page(PHONE)
    sign_in(phone, "agent1")
    expect(phone.get_by_role("heading", name="My tickets")).to_be_visible()
    assert_fits_width(phone)
    screenshot(phone, "desk-en-phone")
    header_button(phone, "简体中文").click()
    expect(phone.get_by_role("heading", name="我的工单")).to_be_visible()
    expect(header_button(phone, "退出登录")).to_be_visible()
    expect(header_button(phone, "English")).to_be_visible()


@pytest.mark.browser
def test_admin_pages_in_both_languages(open_page, screenshot):
    page = open_page(LAPTOP)
    sign_in(page, "admin")
    page.locator("nav.mainnav").get_by_role("link", name="管理后台").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("nav .navbar-brand")).to_have_text("客服管理后台")
    expect(page.get_by_text("员工账号")).to_be_visible()
    screenshot(page, "admin-index-zh")

    page.goto("/admin/admin_users/")
    users = page.locator("table.model-list")
    expect(users).to_contain_text("张晓燕")
    expect(users).to_contain_text(demo_email("customer1"))
    expect(users.locator("thead")).to_contain_text("最近登录")
    screenshot(page, "admin-users-zh")

    page.locator("nav").get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/admin/admin_users/$"))
    expect(users.locator("thead")).to_contain_text("E-mail")
    expect(users).to_contain_text("张晓燕")
    screenshot(page, "admin-users-en")
    page.goto("/admin/")
    expect(page.locator("nav .navbar-brand")).to_have_text("Kefu admin")
    expect(page.get_by_text("Staff accounts")).to_be_visible()
    screenshot(page, "admin-index-en")

    page.locator("nav").get_by_role("button", name="简体中文").click()
    expect(page.locator("nav .navbar-brand")).to_have_text("客服管理后台")


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_customer_sees_only_their_own_requests(live_site, open_page, screenshot, size):
    with live_site.app.app_context():
        customer = db.session.scalar(select(User).where(User.email == demo_email("customer1")))
        own = set(db.session.scalars(select(Ticket.id).where(
            or_(Ticket.requester_id == customer.id, Ticket.customer_id == customer.customer_id))))
    page = open_page(VIEWPORTS[size])
    sign_in(page, "customer1")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name="我的工单")).to_be_visible()
    expect(page.locator("nav.mainnav a")).to_have_text(["我的工单", "常见问题"])
    shown = {int(number) for number in page.locator("table.tickets tbody td.num").all_inner_texts()}
    assert shown and shown == own
    expect(page.locator("table.tickets thead")).not_to_contain_text("处理人")
    assert_fits_width(page)
    screenshot(page, f"portal-{size}")


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_profile_creates_an_api_token(browser, live_site, open_page, screenshot, size):
    page = open_page(VIEWPORTS[size])
    sign_in(page, "agent1")
    page.locator("header.topbar a.user").click()
    expect(page).to_have_url(re.compile(r"/profile$"))
    expect(page.get_by_role("heading", name="个人资料")).to_be_visible()
    page.get_by_placeholder("令牌名称").fill("报表脚本")
    page.get_by_role("button", name="生成令牌").click()
    token = page.locator("#new-token code").inner_text()
    assert len(token) >= 20
    expect(page.locator("table.list")).to_contain_text("报表脚本")
    assert_fits_width(page)
    screenshot(page, f"profile-{size}")

    api = browser.new_context(base_url=live_site.url)  # no cookies: only the token signs in
    response = api.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.ok and response.json()["email"] == demo_email("agent1")
    api.close()
