"""A ticket's life in a real browser, in Chinese and in English: a supervisor logs a call and dispatches it,
the agent starts work, replies and resolves it. Hostile HTML in a reply never runs."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from core.extensions import db
from core.models import Ticket
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_screens import header_button, sign_in

WORDS = {
    "zh": {"new": "新建工单", "create": "创建工单", "assign": "分派", "start": "开始处理", "send": "发送",
           "resolve": "反馈结果", "resolved": "反馈", "switch": None},
    "en": {"new": "New ticket", "create": "Create ticket", "assign": "Assign", "start": "Start work", "send": "Send",
           "resolve": "Resolve", "resolved": "Resolved", "switch": "English"},
}


def _language(page, language):
    if WORDS[language]["switch"]:
        header_button(page, WORDS[language]["switch"]).click()


def _step(page, label):
    return page.locator("section.steps").get_by_role("button", name=label, exact=True)


@pytest.mark.browser
@pytest.mark.parametrize("language", ["zh", "en"])
def test_log_a_call_dispatch_reply_and_resolve(open_page, live_site, screenshot, language):
    words = WORDS[language]
    desk = open_page(LAPTOP)
    sign_in(desk, "supervisor1")
    _language(desk, language)
    desk.get_by_role("link", name=words["new"]).click()
    desk.select_option("select[name=type]", "fault")
    desk.fill("[data-customer-search]", "1")
    desk.wait_for_function("document.querySelector('[data-customer-results]').options.length > 1")
    desk.fill("input[name=title]", f"浏览器测试：卫生间漏水 {language}")
    desk.fill("textarea[name=body]", "客户来电：楼上渗水到天花板。")
    screenshot(desk, f"ticket-new-{language}")
    desk.get_by_role("button", name=words["create"]).click()
    expect(desk).to_have_url(re.compile(r"/desk/tickets/\d+$"))
    ticket_id = int(desk.url.rsplit("/", 1)[1])

    step = desk.locator("form.step", has=desk.locator("input[value=assign]"))
    step.locator("select[name=assignee]").select_option(label="张晓燕")
    step.get_by_role("button", name=words["assign"]).click()
    expect(desk.locator(".ticket-side")).to_contain_text("张晓燕")
    screenshot(desk, f"ticket-assigned-{language}")

    agent = open_page(PHONE)
    sign_in(agent, "agent1")
    _language(agent, language)
    agent.goto(f"/desk/tickets/{ticket_id}")
    _step(agent, words["start"]).click()
    agent.fill("textarea[name=body]", "您好，维修师傅今天下午上门。")
    agent.get_by_role("button", name=words["send"]).click()
    expect(agent.locator(".timeline")).to_contain_text("维修师傅今天下午上门")
    resolve = agent.locator("form.step", has=agent.locator("input[value=resolve]"))
    resolve.locator("input[name=comment]").fill("已修复，漏点在楼上管道。")
    resolve.get_by_role("button", name=words["resolve"]).click()
    expect(agent.locator(".ticket-head .badges")).to_contain_text(words["resolved"])
    screenshot(agent, f"ticket-resolved-phone-{language}")
    with live_site.app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.assignee.name) == ("resolved", "张晓燕")
        assert ticket.first_response_at is not None and ticket.resolved_at is not None


@pytest.mark.browser
def test_script_in_a_reply_never_runs(open_page, live_site):
    with live_site.app.app_context():
        ticket_id = db.session.scalar(select(Ticket.id).where(Ticket.active.is_(True)).order_by(Ticket.id))
    page = open_page(LAPTOP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, "manager")
    page.goto(f"/desk/tickets/{ticket_id}")
    page.fill("textarea[name=body]", '<img src=x onerror="alert(1)"><script>alert(2)</script>'
                                     '<a href="javascript:alert(3)">点我</a><b onmouseover="alert(4)">粗体</b>')
    page.locator("#reply button.primary").click()
    expect(page.locator(".timeline")).to_contain_text("粗体")
    page.locator(".timeline b", has_text="粗体").last.hover()
    page.locator(".timeline a", has_text="点我").last.click()
    page.reload()
    assert dialogs == []
