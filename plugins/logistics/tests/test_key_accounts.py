"""Key accounts: their scheduled visits become care tasks their owner sees; the complaint statistics count by
cause, route and month; the monthly report refuses what it cannot do."""
from datetime import date, datetime, timezone

from sqlalchemy import select

from core.care.service import generate_care_tasks
from core.extensions import db
from core.models import CareRule, CareTask
from core.tickets.service import create_ticket
from plugins.logistics.models import InvestigationReport, KeyAccount
from plugins.logistics.reminders import VISIT_KIND, visit_days
from plugins.logistics.tests.conftest import SHIPMENT, push
from tests.helpers import post_form


def test_visits_repeat_on_the_accounts_schedule():
    account = KeyAccount(next_visit_on=date(2026, 12, 10), visit_every_days=30)
    assert visit_days(account, date(2026, 12, 1), date(2027, 2, 10)) == [date(2026, 12, 10), date(2027, 1, 9),
                                                                         date(2027, 2, 8)]
    assert visit_days(account, date(2027, 1, 10), date(2027, 1, 20)) == []


def test_a_scheduled_visit_becomes_a_task_for_the_owner(world, logistics_app, signed_in):
    with logistics_app.app_context():
        rule = db.session.scalar(select(CareRule).where(CareRule.key == "reminders"))
        if rule is None:
            rule = CareRule(key="reminders", days_ahead=14, active=True, grades=[])
            db.session.add(rule)
        rule.active, rule.days_ahead = True, 14
        db.session.commit()
        generate_care_tasks(datetime(2026, 12, 1, 2, tzinfo=timezone.utc))
        task = db.session.scalar(select(CareTask).where(CareTask.kind == VISIT_KIND))
        assert (task.customer_id, task.on) == (world.hualian, date(2026, 12, 10)) and "陈思远" in task.note
    page = signed_in("keyagent@shengjie.cn").get("/logistics/key-accounts").get_data(as_text=True)
    assert "大客户定期回访" in page and "华联超市" in page
    other_page = signed_in("manager@shengjie.cn").get("/logistics/key-accounts").get_data(as_text=True)
    assert "大客户定期回访" not in other_page  # not his account
    assert signed_in("agent@shengjie.cn").get("/logistics/key-accounts").status_code == 403


def test_complaint_statistics_by_cause_route_and_month(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    with logistics_app.app_context():
        first = create_ticket(type_key="logistics_complaint", title="破损", fields={"waybill": "SJ20261201001",
                                                                                  "cause": "damage"})
        create_ticket(type_key="logistics_complaint", title="态度差", fields={"cause": "attitude"})
        db.session.flush()
        db.session.add(InvestigationReport(ticket_id=first.id, cause="装卸", responsibility="班组",
                                           corrective_action="培训"))
        db.session.commit()
    month = date.today().strftime("%Y-%m")
    page = signed_in("officer@shengjie.cn").get(f"/logistics/complaints?from={month}&to={month}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "共 2 件投诉，其中 1 件已有调查报告" in text
    assert "破损" in text and "服务态度" in text and "上海→武汉" in text and month in text
    assert signed_in("agent@shengjie.cn").get("/logistics/complaints").status_code == 403


def test_the_monthly_report_refuses_what_it_cannot_do(world, logistics_app, signed_in):
    agent = signed_in("keyagent@shengjie.cn")
    with logistics_app.app_context():
        account_id = db.session.scalar(select(KeyAccount.id))
    assert agent.get(f"/logistics/key-accounts/{account_id}/report.xlsx?month=十二月").status_code == 400
    assert agent.get(f"/logistics/key-accounts/{account_id}/report.doc").status_code == 404
    sent = post_form(agent, f"/logistics/key-accounts/{account_id}/report/send", {"month": "2026-12"},
                     form_url="/logistics/key-accounts")
    assert sent.status_code == 303  # no mail server on this site
    assert "本站未设置邮件服务器" in agent.get("/logistics/key-accounts").get_data(as_text=True)


def test_the_monthly_job_mails_last_months_statistics_once(world, logistics_app):
    from plugins.logistics.monthly import send_due_reports
    from tests.support.smtp import SmtpSink

    now = datetime(2027, 1, 1, 1, tzinfo=timezone.utc)  # 09:00 on 1 January in Beijing
    with logistics_app.app_context():
        assert send_due_reports(now) == 0  # no mail server: nothing sent, the claim is given back
        assert db.session.scalar(select(KeyAccount.reported_month)) is None
    with SmtpSink() as sink:
        logistics_app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        with logistics_app.app_context():
            assert send_due_reports(now) == 1
            assert send_due_reports(now) == 0  # once a month
            assert db.session.scalar(select(KeyAccount.reported_month)) == "2026-12"
        (mail,) = sink.wait_for(1)
    assert mail.rcpt_tos == ["logistics@hualian.cn"] and "2026-12" in mail.subject
