"""E-mail notifications through a real SMTP server (aiosmtpd): queued with the notification, sent once by the
worker, in the recipient's language; a failure is kept and retried."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import NotificationDelivery, Team, User
from core.notifications import deliver_pending, notify
from core.sla.sweep import sweep
from core.tickets.service import create_ticket
from tests.helpers import create_user
from tests.sla.conftest import add_policy, sh
from tests.support.smtp import SmtpSink


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def mail_app(make_app, sink):
    return make_app(MAIL_SERVER=sink.host, MAIL_PORT=sink.port, MAIL_FROM="kefu@wuye.example.cn")


def test_a_breach_escalation_is_mailed_once_in_the_supervisors_language(mail_app, sink):
    lead = create_user(mail_app, "lead@example.cn", "supervisor", name="王主管", locale="zh")
    with mail_app.app_context():
        team = Team(name="客服一组", supervisor=db.session.get(User, lead))
        add_policy(first_response_minutes=60, first_response_business=False)
        ticket = create_ticket(type_key="inquiry", title="楼道灯不亮", team=team, now=sh(2025, 3, 17, 9))
        db.session.commit()
        ticket_id = ticket.id
        sweep(now=sh(2025, 3, 17, 10, 30))
        assert deliver_pending(now=sh(2025, 3, 17, 10, 31)) == 1
        assert deliver_pending(now=sh(2025, 3, 17, 10, 32)) == 0

    (message,) = sink.wait_for(1)
    assert message.rcpt_tos == ["lead@example.cn"]
    assert message.message["From"] == "kefu@wuye.example.cn"
    assert f"#{ticket_id} 楼道灯不亮" in message.subject and "将工单升级给您" in message.subject
    assert message.message["Message-ID"].startswith("<notification-")
    assert "楼道灯不亮" in message.text


def test_no_mail_server_no_delivery(app):
    uid = create_user(app, "agent@example.cn", "agent")
    with app.app_context():
        notify(db.session.get(User, uid), "assigned", by="王主管")
        db.session.commit()
        assert db.session.scalars(select(NotificationDelivery)).all() == []


def test_a_failed_send_is_kept_and_retried(mail_app, sink):
    uid = create_user(mail_app, "agent@example.cn", "agent", locale="en")
    with mail_app.app_context():
        notify(db.session.get(User, uid), "assigned", by="Wang")
        db.session.commit()
        sink.stop()
        assert deliver_pending(now=sh(2025, 3, 17, 9)) == 0
        (delivery,) = db.session.scalars(select(NotificationDelivery)).all()
        assert (delivery.state, delivery.attempts) == ("queued", 1) and "Connection" in delivery.error
        sink.start()
        mail_app.config["MAIL_PORT"] = sink.port
        assert deliver_pending(now=sh(2025, 3, 17, 9, 1)) == 1
    (message,) = sink.wait_for(1)
    assert "Wang assigned a ticket to you" in message.subject
