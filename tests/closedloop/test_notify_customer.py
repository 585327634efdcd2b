"""C8: telling customers through every channel that reaches them (the core's e-mail over real SMTP, the SMS
outbox, plugins' channels), sent by the worker once, and shown on the ticket's timeline."""
from datetime import timedelta

from sqlalchemy import select, update

from core.extensions import db
from core.models import Customer, CustomerMessage, SmsMessage, Ticket, TicketEvent, utcnow
from core.notifications import DELIVERY_LEASE, deliver_pending, notify_customer
from tests.closedloop.conftest import new_ticket


def _events(ticket_id, kind):
    return db.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == kind)).all()


def test_a_notice_goes_by_email_and_sms_and_shows_on_the_timeline_without_its_footer(loop_app, people, sink):
    ticket_id = new_ticket(loop_app, people)
    with loop_app.app_context():
        customer, ticket = db.session.get(Customer, people.vip), db.session.get(Ticket, ticket_id)
        rows = notify_customer(customer, "outage", subject="计划停水通知", body="3月18日 9:00–17:00 停水。",
                               ticket=ticket, footer="专属链接 https://kefu.example.cn/x")
        db.session.commit()
        assert sorted(row.channel for row in rows) == ["email", "sms"]
        (event,) = _events(ticket_id, "customer_notified")
        assert event.public and "停水" in event.body and "专属链接" not in event.body
        assert event.data == {"kind": "outage", "subject": "计划停水通知", "channels": ["email", "sms"]}
        assert deliver_pending() == 2
        assert deliver_pending() == 0  # each message once
        (sms,) = db.session.scalars(select(SmsMessage)).all()
        assert (sms.phone, sms.customer_id, sms.picked_up_at) == ("13800138000", people.vip, None)
        assert sms.text.startswith("【客服】计划停水通知") and "专属链接" in sms.text
        states = db.session.scalars(select(CustomerMessage.state)).all()
        assert states == ["sent", "sent"]
    (mail,) = sink.wait_for(1)
    assert mail.rcpt_tos == ["xu@example.cn"]
    assert mail.subject == "[客服] 计划停水通知"
    assert "3月18日" in mail.text and "专属链接 https://kefu.example.cn/x" in mail.text
    assert mail.message["Message-ID"].startswith("<customer-message-")


def test_a_customer_nobody_can_reach_is_flagged_for_staff_on_the_timeline(loop_app, people, sink):
    ticket_id = new_ticket(loop_app, people, customer="silent")
    with loop_app.app_context():
        rows = notify_customer(db.session.get(Customer, people.silent), "feedback", subject="已处理", body="已处理完毕",
                               ticket=db.session.get(Ticket, ticket_id))
        db.session.commit()
        assert rows == [] and _events(ticket_id, "customer_notified") == []
        (event,) = _events(ticket_id, "customer_unreachable")
        assert not event.public
        assert deliver_pending() == 0


def test_without_a_mail_server_or_sms_outbox_nothing_is_queued(make_app, people):
    app = make_app(MAIL_SERVER=None, SMS_OUTBOX=False)
    with app.app_context():
        assert notify_customer(db.session.get(Customer, people.vip), "greeting", subject="生日快乐", body="祝您生日快乐") == []


def test_a_failed_email_is_retried_and_a_resent_sms_is_not_duplicated(loop_app, people, sink):
    with loop_app.app_context():
        notify_customer(db.session.get(Customer, people.plain), "greeting", subject="Happy birthday", body="Best wishes")
        db.session.commit()
        sink.stop()
        assert deliver_pending() == 1  # the SMS; the e-mail failed
        email = db.session.scalar(select(CustomerMessage).where(CustomerMessage.channel == "email"))
        assert (email.state, email.attempts) == ("queued", 1) and "Connection" in email.error
        # A worker died after leaving the SMS in the outbox but before recording it as sent.
        db.session.execute(update(CustomerMessage).where(CustomerMessage.channel == "sms")
                           .values(state="sending", claimed_at=utcnow() - DELIVERY_LEASE - timedelta(minutes=1)))
        db.session.commit()
        sink.start()
        loop_app.config["MAIL_PORT"] = sink.port
        assert deliver_pending() == 2
        assert len(db.session.scalars(select(SmsMessage)).all()) == 1
    (mail,) = sink.wait_for(1)
    assert mail.subject == "[Kefu] Happy birthday"  # the customer's portal account reads English
