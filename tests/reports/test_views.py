"""The report pages through the real routes: the dashboard and its links, the tickets behind a number (only
those the reader may open), the monthly summary, the appraisal, the exports, and bad input."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from core.extensions import db
from core.models import User
from tests.helpers import create_user, login

MARCH = "period=month&month=2025-03"


def card(page, key):
    """The HTML of one KPI card."""
    match = re.search(rf'<article class="kpi-card[^"]*" id="kpi-{key}">(.*?)</article>', page, re.S)
    assert match, f"no card for {key}"
    return match.group(0)


def card_value(page, key):
    return re.sub(r"<[^>]+>|\s+", "", re.search(r'<p class="kpi-value">(.*?)</p>', card(page, key), re.S).group(1))


def listed_ids(page):
    return sorted(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', page))


@pytest.fixture
def manager(app, march):
    client = app.test_client()
    login(client, "boss@example.cn")
    return client


def test_the_dashboard_shows_every_measure_of_the_month_with_its_definition(manager, march):
    page = manager.get(f"/reports/?{MARCH}").get_data(as_text=True)
    assert card_value(page, "received") == "6"
    assert card_value(page, "complaint_rate") == "33.3%"
    assert card_value(page, "first_response_median") == "30.0分钟"
    assert card_value(page, "first_response_p90") == "90.0分钟"
    assert card_value(page, "on_time_completion_rate") == "33.3%"
    assert card_value(page, "backlog") == "3"
    assert "本期受理的工单中投诉所占的比例" in card(page, "complaint_rate")  # the definition beside the number
    assert '<svg class="chart columns"' in page and '<svg class="chart line"' in page and '<svg class="chart bars"' in page
    assert "2025年3月" in page


def test_the_dashboard_in_english(app, march):
    create_user(app, "en@example.cn", "manager", locale="en")
    client = app.test_client()
    login(client, "en@example.cn")
    page = client.get(f"/reports/?{MARCH}").get_data(as_text=True)
    assert "Complaint rate" in page and "Complaints as a share of all tickets received in the period." in page
    assert card_value(page, "first_response_median") == "30.0min" and "March 2025" in page


def test_every_number_links_to_the_tickets_behind_it(manager, march):
    page = manager.get(f"/reports/?{MARCH}").get_data(as_text=True)
    links = dict(re.findall(r'href="(/reports/tickets\?kpi=(\w+)[^"]*)"', card(page, "complaint_rate"))[:1])
    link = next(iter(links)).replace("&amp;", "&")
    assert manager.get(link).status_code == 200
    assert listed_ids(manager.get(link).get_data(as_text=True)) == sorted([march["t2"], march["t3"]])
    denominator = re.search(r'href="(/reports/tickets\?kpi=complaint_rate[^"]*part=denominator[^"]*)"', page).group(1)
    assert len(listed_ids(manager.get(denominator.replace("&amp;", "&")).get_data(as_text=True))) == 6
    backlog = manager.get(f"/reports/tickets?kpi=backlog&{MARCH}").get_data(as_text=True)
    assert listed_ids(backlog) == sorted([march["t3"], march["t5"], march["t7"]])
    week_old = manager.get(f"/reports/tickets?kpi=backlog&{MARCH}&age=7-").get_data(as_text=True)
    assert listed_ids(week_old) == sorted([march["t3"], march["t5"]])
    # A bar of the daily chart: the tickets received on that day.
    assert "/reports/tickets?kpi=received&amp;period=day&amp;date=2025-03-05" in page
    day = manager.get("/reports/tickets?kpi=received&period=day&date=2025-03-05").get_data(as_text=True)
    assert listed_ids(day) == [march["t2"]]


def test_ticket_lists_show_only_what_the_reader_may_open(app, march):
    supervisor = create_user(app, "lead2@example.cn", "supervisor")
    with app.app_context():
        from core.models import Team

        team, user = db.session.get(Team, march["team2"]), db.session.get(User, supervisor)
        team.members.append(user)
        db.session.commit()
    client = app.test_client()
    login(client, "lead2@example.cn")
    page = client.get(f"/reports/tickets?kpi=received&{MARCH}").get_data(as_text=True)
    # Team 2's tickets and the unassigned ones without a team; not team 1's T1 and T2.
    assert listed_ids(page) == sorted([march["t3"], march["t5"], march["t7"], march["t8"]])
    assert "您无权查看的工单未列出。" in page


def test_reports_need_the_report_permission(app, march):
    client = app.test_client()
    login(client, "a@example.cn")  # an agent
    for url in ("/reports/", "/reports/summary", "/reports/appraisal", f"/reports/tickets?kpi=received&{MARCH}",
                "/reports/summary.csv", "/reports/appraisal.xlsx"):
        assert client.get(url).status_code == 403, url
    assert app.test_client().get("/reports/").status_code == 302  # to the sign-in page


@pytest.mark.parametrize("query, message", [
    ("period=range&from=2025-03-31&to=2025-03-01", "截止日早于起始日"),
    ("period=range&from=2024-01-01&to=2025-03-01", "报表最多覆盖 366 天"),
    ("period=range&from=2025-03-01", "请同时填写起始日和截止日"),
    ("period=month&month=2025-13", "请按 2026-03 的格式填写月份"),
    ("period=quarter&quarter=2025-Q5", "请按 2026-Q1 的格式填写季度"),
    ("period=day&date=yesterday", "请按 2026-03-31 的格式填写日期"),
    ("period=fortnight", "请选择日、周、月、季度或日期范围"),
    ("team=abc", "team必须是数字"),
    ("channel=pigeon", "未知的渠道"),
])
def test_bad_periods_and_scopes_are_refused_with_a_message(manager, query, message):
    response = manager.get(f"/reports/?{query}")
    assert response.status_code == 400
    assert f'<div class="flash flash-error" role="status">{message}' in response.get_data(as_text=True)


def test_an_export_of_a_bad_period_goes_back_to_the_page_with_the_message(manager):
    response = manager.get("/reports/summary.csv?period=month&month=March")
    assert response.status_code == 302 and "/reports/summary?" in response.headers["Location"]


def test_an_empty_period_says_no_data(manager, march):
    page = manager.get("/reports/?period=month&month=2025-01").get_data(as_text=True)
    assert "本期暂无数据" in page
    assert card_value(page, "complaint_rate") == "暂无数据" and card_value(page, "first_response_median") == "暂无数据"
    assert "0.0%" not in page


def test_the_closed_loop_measures_on_the_dashboard_with_their_definitions(manager, march):
    page = manager.get(f"/reports/?{MARCH}").get_data(as_text=True)
    assert card_value(page, "satisfaction_rate") == "暂无数据"  # nobody has answered a survey yet
    assert card_value(page, "follow_up_rate") == "0.0%" and card_value(page, "complaint_follow_up_rate") == "0.0%"
    assert card_value(page, "quality_score") == "暂无数据"
    assert "服务质量、服务态度、响应速度都评4分或5分才算满意" in card(page, "satisfaction_rate")
    assert "投诉处理回访宗数 ÷ 总投诉处理宗数" in card(page, "complaint_follow_up_rate")
    assert "最近一次解决后已完成回访的比例" in card(page, "follow_up_rate")
    assert "质检" in card(page, "quality_score")
    empty = manager.get("/reports/?period=month&month=2025-01").get_data(as_text=True)
    assert all(card_value(empty, key) == "暂无数据"
               for key in ("satisfaction_rate", "follow_up_rate", "complaint_follow_up_rate", "quality_score"))


def test_a_kpi_below_its_target_is_shown_as_such(app, manager):
    app.config["REPORT_TARGETS"] = {"complaint_rate": "< 10", "resolution_rate": ">= 40"}
    page = manager.get(f"/reports/?{MARCH}").get_data(as_text=True)
    assert 'class="kpi-card below"' in card(page, "complaint_rate") and "未达标" in card(page, "complaint_rate")
    assert "目标 &lt; 10.0%" in card(page, "complaint_rate")
    assert 'class="kpi-card met"' in card(page, "resolution_rate") and "达标" in card(page, "resolution_rate")
    assert "目标" not in card(page, "reopen_rate")
    appraisal = manager.get(f"/reports/appraisal?{MARCH}").get_data(as_text=True)
    assert 'class=" below"' in appraisal or 'class="num below"' in appraisal


def test_a_plugin_kpi_below_its_target(plugin_app):
    from core.reports.refresh import refresh_pending
    from core.tickets.service import create_ticket
    from tests.reports.conftest import sh

    create_user(plugin_app, "boss@example.cn", "manager")
    with plugin_app.app_context():
        create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}, now=sh(2025, 3, 2, 12))
        db.session.commit()
        refresh_pending()
    client = plugin_app.test_client()
    login(client, "boss@example.cn")
    page = client.get(f"/reports/?{MARCH}").get_data(as_text=True)
    chase = card(page, "example.chases_finished")
    assert "催菜完成率" in chase and "below" in chase and "目标 ≥ 90.0%".replace("≥", "&gt;=") in chase
    assert card_value(page, "example.chases_finished") == "0.0%"


def test_the_monthly_summary_by_category(manager, march):
    page = manager.get(f"/reports/summary?{MARCH}").get_data(as_text=True)
    rows = {re.sub(r"<[^>]+>|\s", "", m.group(1)): [re.sub(r"<[^>]+>|\s", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(2), re.S)]
            for m in re.finditer(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', page, re.S)}
    # received, share, answered, reply rate, resolved, resolution rate, on time, backlog, before, change
    assert rows["投诉"] == ["2", "33.3%", "2", "100.0%", "1", "50.0%", "0.0%", "1", "0", "暂无数据"]
    assert rows["咨询"] == ["3", "50.0%", "2", "66.7%", "1", "33.3%", "66.7%", "1", "0", "暂无数据"]
    assert rows["业务办理"][:2] == ["1", "16.7%"] and rows["报修"][:3] == ["0", "0.0%", "0"]
    assert rows["合计"][:8] == ["6", "100.0%", "5", "83.3%", "3", "50.0%", "33.3%", "3"]
    assert rows["客服热线"][:2] == ["4", "66.7%"]  # the table by channel
    april = manager.get("/reports/summary?period=month&month=2025-04").get_data(as_text=True)
    assert "-83.3%" in april  # 1 received in April against 6 in March


def test_the_appraisal_puts_each_agent_beside_the_team(manager, march):
    for query in (MARCH, "period=quarter&quarter=2025-Q1"):
        page = manager.get(f"/reports/appraisal?{query}").get_data(as_text=True)
        rows = [re.sub(r"<[^>]+>|\s", "", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)]
        team1 = next(i for i, row in enumerate(rows) if row.startswith("客服一组（小组合计）"))
        assert rows[team1 + 1].startswith("张晓燕客服一组2")  # agent A received 2
        assert rows[team1].startswith("客服一组（小组合计）客服一组2")
    assert manager.get("/reports/appraisal?period=week&date=2025-03-05").status_code == 400  # month or quarter only


def test_exports_in_csv_and_excel(manager, march):
    response = manager.get(f"/reports/summary.csv?{MARCH}")
    assert response.mimetype == "text/csv" and response.data.startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"] and "2025-03.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][:3] == ["业务类别", "受理量", "占比"]
    assert ["投诉", "2", "33.33"] == next(r for r in rows if r and r[0] == "投诉")[:3]
    workbook = load_workbook(io.BytesIO(manager.get(f"/reports/appraisal.xlsx?{MARCH}").data))
    sheet = workbook.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][:3] == ["名称", "小组", "受理量"]
    agent = next(row for row in values if row[0] == "张晓燕")
    assert agent[2] == 2
    dashboard = load_workbook(io.BytesIO(manager.get(f"/reports/dashboard.xlsx?{MARCH}").data))
    kpis = [[cell.value for cell in row] for row in dashboard.worksheets[0].iter_rows()]
    assert ["客户投诉率", 33.33] == next(row for row in kpis if row[0] == "客户投诉率")[:2]
    assert next(row for row in kpis if row[0] == "按时完成率")[1] == 33.33
    empty = load_workbook(io.BytesIO(manager.get("/reports/dashboard.xlsx?period=month&month=2025-01").data))
    assert next(row for row in empty.worksheets[0].iter_rows(values_only=True) if row[0] == "客户投诉率")[1] == "暂无数据"


def test_a_date_range_starts_as_this_month_so_far(manager):
    response = manager.get("/reports/?period=range")
    assert response.status_code == 200
    assert 'name="from"' in response.get_data(as_text=True) and 'name="to"' in response.get_data(as_text=True)
