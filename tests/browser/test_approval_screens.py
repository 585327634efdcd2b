"""Approvals on the ticket page in a real browser: an agent asks for the approval of a payout with the
amount beside the button, the claims manager approves it, in Chinese; screenshots of both."""
import pytest
from playwright.sync_api import expect

from core.extensions import db
from tests.browser.conftest import LAPTOP
from tests.browser.test_screens import assert_fits_width
from tests.helpers import PASSWORD, create_user
from tests.support.browser import LiveServer
from tests.workflow.conftest import ClaimsPlugin, new_claim


@pytest.fixture
def live_site(make_app):
    """The demo site with the claims workflow of the workflow tests."""
    app = make_app(EXTRA_PLUGINS=[("claims", ClaimsPlugin())], PLUGINS=["claims"])
    create_user(app, "agent@example.cn", "agent", name="张晓燕")
    create_user(app, "boss@example.cn", "claims_manager", name="李经理")
    with LiveServer(app) as server:
        yield server


def _sign_in(page, email):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form button.primary")


@pytest.mark.browser
def test_an_approval_is_requested_and_granted_on_the_ticket_page(live_site, open_page, screenshot):
    ticket_id = new_claim(live_site.app, "checking")
    agent = open_page(LAPTOP)
    _sign_in(agent, "agent@example.cn")
    agent.goto(f"/desk/tickets/{ticket_id}")
    pay = agent.locator('form[data-step="pay"]')
    pay.locator('input[name="comment"]').fill("外包装破损，照片已核实")
    pay.locator('input[name="f_claim_amount"]').fill("5000")
    pay.get_by_role("button", name="申请审批：赔付").click()
    expect(agent.locator("section.approvals")).to_contain_text("张晓燕 申请审批“赔付”")
    expect(agent.locator("section.approvals").get_by_role("button", name="批准")).to_have_count(0)
    screenshot(agent, "ticket-approval-requested-zh-laptop")

    boss = open_page(LAPTOP)
    _sign_in(boss, "boss@example.cn")
    boss.goto(f"/desk/tickets/{ticket_id}")
    panel = boss.locator("section.approvals")
    expect(panel).to_contain_text("由拥有“审批大额理赔”权限的人审批")
    expect(panel).to_contain_text("5000")
    assert_fits_width(boss)
    screenshot(boss, "ticket-approval-to-decide-zh-laptop")
    panel.get_by_role("button", name="批准").click()
    expect(boss.locator(".badges")).to_contain_text("已赔付")
    with live_site.app.app_context():
        from core.models import Ticket

        assert db.session.get(Ticket, ticket_id).status == "paid"
    screenshot(boss, "ticket-approval-granted-zh-laptop")
