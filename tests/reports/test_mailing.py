"""The monthly report e-mail through a real SMTP server (aiosmtpd): once per manager and month, whatever the
number of workers; in the manager's language; retried after a failure; the Excel file attached."""
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.extensions import db
from core.models import ReportMailing
from core.worker import run_job
from tests.helpers import create_user
from tests.reports.conftest import sh
from tests.support.smtp import SmtpSink


@pytest.fixture
def sink(app):
    with SmtpSink() as server:
        app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_FROM="kefu@wuye.example.cn")
        yield server


def test_each_manager_gets_last_months_report_once(app, march, sink):
    create_user(app, "boss-en@example.cn", "manager", name="Ms Li", locale="en")
    with app.app_context():
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 8)).result == 2
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 9)).result == 0  # a second round, or a second worker
        assert run_job("core.report_mail", now=sh(2025, 4, 2, 9)).result == 0
    messages = {m.rcpt_tos[0]: m for m in sink.wait_for(2)}
    zh, en = messages["boss@example.cn"], messages["boss-en@example.cn"]
    assert "2025年3月" in zh.subject and "受理量: 6" in zh.text and "客户投诉率: 33.3%" in zh.text
    assert "March 2025" in en.subject and "Tickets received: 6" in en.text
    assert zh.message["Message-ID"].startswith("<report-2025-03-")
    (attachment,) = [part for part in zh.message.iter_attachments()]
    assert attachment.get_filename().endswith("2025-03.xlsx")
    workbook = load_workbook(io.BytesIO(attachment.get_content()))
    first = [[cell.value for cell in row] for row in workbook.worksheets[0].iter_rows()]
    assert next(row for row in first if row[0] == "投诉")[1] == 2
    assert len(workbook.worksheets) == 5  # by category, by channel, appraisal, the KPIs, by day
    with app.app_context():
        assert sorted(db.session.scalars(select(ReportMailing.state))) == ["sent", "sent"]


def test_a_claim_held_by_another_worker_is_left_to_it_until_its_lease_runs_out(app, march, sink):
    with app.app_context():
        db.session.add(ReportMailing(period="2025-03", recipient="boss@example.cn", state="sending", attempts=1,
                                     claimed_at=sh(2025, 4, 1, 7, 55)))
        db.session.commit()
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 8)).result == 0
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 8) + timedelta(minutes=40)).result == 1
    assert len(sink.wait_for(1)) == 1


def test_a_failed_sending_is_retried(app, march):
    with SmtpSink() as closed:
        host, port = closed.host, closed.port
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port)  # nobody listens there any more
    with app.app_context():
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 8)).result == 0
        (row,) = db.session.scalars(select(ReportMailing)).all()
        assert (row.state, row.attempts) == ("failed", 1) and "Error" in row.error
    with SmtpSink() as sink:
        app.config.update(MAIL_SERVER=sink.host, MAIL_PORT=sink.port)
        with app.app_context():
            assert run_job("core.report_mail", now=sh(2025, 4, 1, 9)).result == 1
        assert len(sink.wait_for(1)) == 1


def test_nothing_is_sent_after_the_first_week_or_without_a_mail_server(app, march):
    with app.app_context():
        assert run_job("core.report_mail", now=sh(2025, 4, 1, 8)).result == 0  # no MAIL_SERVER
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
        assert run_job("core.report_mail", now=sh(2025, 4, 8, 8)).result == 0
        assert db.session.scalars(select(ReportMailing)).all() == []


def test_the_report_refresh_is_a_scheduled_job(app, people):
    from core.tickets.service import create_ticket

    with app.app_context():
        create_ticket(type_key="inquiry", title="咨询", now=sh(2025, 3, 2, 9))
        db.session.commit()
        assert run_job("core.report_refresh", now=sh(2025, 3, 2, 9, 1)).result == 1
        assert run_job("core.report_refresh", now=sh(2025, 3, 2, 9, 2)).result == 0
