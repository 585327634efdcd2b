"""The report pages in a real browser on the demo data, as a manager meets them: the dashboard with its charts,
the tickets behind a bar, the monthly summary and the appraisal, in Chinese and English, on a phone and a
laptop. Every request stays on 127.0.0.1 (the open_page fixture fails otherwise): the charts are the site's
own SVG. Screenshots go to test-artifacts/screenshots/."""
import re

import pytest
from playwright.sync_api import expect

from core.reports.refresh import refresh_pending
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_screens import CJK, assert_fits_width, header_button, sign_in

VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture
def counted(live_site):
    with live_site.app.app_context():
        refresh_pending(max_seconds=600)


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_dashboard_draws_its_charts_and_links_a_bar_to_its_tickets(open_page, screenshot, counted, size):
    page = open_page(VIEWPORTS[size])
    sign_in(page, "manager")
    page.locator("nav.mainnav").get_by_role("link", name="报表").click()
    expect(page.get_by_role("heading", name="服务看板", exact=True)).to_be_visible()
    page.locator("a.button[title='上一期']").click()  # last month: the demo's busiest
    expect(page.locator("#kpi-received .kpi-value")).to_have_text(re.compile(r"\d+"))
    expect(page.locator("svg.chart.columns")).to_be_visible()
    expect(page.locator("svg.chart.line")).to_be_visible()
    assert page.locator("svg.chart.bars").count() >= 3
    assert CJK.search(page.locator("svg.chart.bars text.name").first.text_content())
    expect(page.locator("#kpi-satisfaction_rate .kpi-value")).to_have_text(re.compile(r"\d+\.\d%"))  # demo surveys
    expect(page.locator("#kpi-quality_score .kpi-value")).to_have_text(re.compile(r"\d+\.\d分"))
    expect(page.locator("#kpi-complaint_follow_up_rate .kpi-definition")).to_contain_text("投诉处理回访宗数")
    if size == "laptop":  # the theme's report styles apply at every width: cards side by side
        first, second = (page.locator(f"#kpi-{key}").bounding_box() for key in ("received", "first_response_median"))
        assert first["y"] == second["y"] and second["x"] > first["x"]
    assert_fits_width(page)
    screenshot(page, f"reports-dashboard-zh-{size}")
    header_button(page, "English").click()
    expect(page.get_by_role("heading", name="Service dashboard", exact=True)).to_be_visible()
    expect(page.locator("#kpi-complaint_rate h2")).to_have_text("Complaint rate")
    screenshot(page, f"reports-dashboard-en-{size}")
    by_category = page.locator("figure.chart-card", has_text="Received by").first
    by_category.locator("svg.chart.bars a").first.click()  # the largest category
    expect(page).to_have_url(re.compile(r"/reports/tickets\?kpi=received"))
    assert page.locator("table.tickets tbody tr").count() > 0


@pytest.mark.browser
@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_monthly_summary_and_the_appraisal(open_page, screenshot, counted, size):
    page = open_page(VIEWPORTS[size])
    sign_in(page, "manager")
    page.goto("/reports/summary")
    page.locator("a.button[title='上一期']").click()
    expect(page.locator("table.report caption").first).to_contain_text("按业务类别")
    for category in ("咨询", "投诉", "报修", "业务办理", "合计"):
        expect(page.locator("table.report th[scope=row]", has_text=category).first).to_be_visible()
    assert_fits_width(page)  # wide tables scroll inside their own box
    screenshot(page, f"reports-summary-zh-{size}")
    page.goto("/reports/appraisal")
    page.locator("a.button[title='上一期']").click()
    expect(page.locator("table.report tr.emphasis").first).to_contain_text("小组合计")
    assert_fits_width(page)
    screenshot(page, f"reports-appraisal-zh-{size}")
    header_button(page, "English").click()
    expect(page.get_by_role("heading", name="Agent appraisal")).to_be_visible()
    screenshot(page, f"reports-appraisal-en-{size}")
    page.goto("/reports/summary")
    page.get_by_role("link", name="Earlier").click()
    screenshot(page, f"reports-summary-en-{size}")
