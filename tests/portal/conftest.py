"""Two customers, each with an account and a request, and a manager who answers them on the desk."""
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Attachment, Customer, Ticket, User, utcnow
from core.workflow.engine import transition
from tests.helpers import create_user, csrf_token, login


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


def post_files(client, url, data, files=(), form_url=None):
    """A multipart form as a browser sends it, with files given as (name, bytes)."""
    token = csrf_token(client, form_url or url)
    payload = {"csrf_token": token, **data}
    if files:
        payload["files"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=payload, content_type="multipart/form-data")


def staff_comment(staff, ticket_id, body, kind="reply", files=()):
    response = post_files(staff, f"/desk/tickets/{ticket_id}/reply", {"body": body, "kind": kind}, files,
                          form_url=f"/desk/tickets/{ticket_id}")
    assert response.status_code == 302, response.get_data(as_text=True)


def new_request(client, title="家里停水了", type_key="fault", files=(), **data):
    response = post_files(client, "/portal/new", {"type": type_key, "title": title, **data}, files)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/portal/tickets/(\d+)$", response.headers["Location"]).group(1))


def attachment_ids(app, ticket_id):
    with app.app_context():
        return db.session.scalars(select(Attachment.id).where(Attachment.ticket_id == ticket_id)
                                  .order_by(Attachment.id)).all()


def ticket_row(app, ticket_id):
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        db.session.expunge(ticket)
        return ticket


def finish_ticket(app, ticket_id, state="resolve", days_ago=0):
    """Take the ticket through the workflow to resolved (or closed), `days_ago` days back."""
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        when = utcnow() - timedelta(days=days_ago)
        assignee = db.session.scalar(select(User).where(User.kind == "staff"))
        for step in ("triage", "assign", "start", "resolve") + (("close",) if state == "close" else ()):
            transition(ticket, step, actor=None, comment="已处理", assignee=assignee, now=when)
        db.session.commit()


@pytest.fixture
def world(app):
    """Customer A (王女士) and customer B (赵先生) each filed a request with a photo; the manager replied to
    each with a file and wrote an internal note with a file on A's."""
    ids = SimpleNamespace()
    with app.app_context():
        a = Customer(name="王女士", phone="13800000001", email="wang@example.cn")
        b = Customer(name="赵先生", phone="13900000002", email="zhao@example.cn")
        db.session.add_all([a, b])
        db.session.commit()
        ids.customer_a, ids.customer_b = a.id, b.id
    ids.user_a = create_user(app, "wang@example.cn", "customer", kind="customer", name="王女士")
    ids.user_b = create_user(app, "zhao@example.cn", "customer", kind="customer", name="赵先生")
    ids.manager = create_user(app, "boss@example.cn", "manager", name="李经理")
    with app.app_context():
        db.session.get(User, ids.user_a).customer_id = ids.customer_a
        db.session.get(User, ids.user_b).customer_id = ids.customer_b
        db.session.commit()
    ids.a, ids.b, ids.staff = (signed_in(app, email) for email in ("wang@example.cn", "zhao@example.cn",
                                                                    "boss@example.cn"))
    ids.ticket_a = new_request(ids.a, "厨房水龙头漏水", files=[("漏水.jpg", b"\xff\xd8 a photo")], body="一直在滴水")
    ids.ticket_b = new_request(ids.b, "电费账单有误", type_key="complaint", files=[("账单.pdf", b"%PDF-1.4 bill")])
    staff_comment(ids.staff, ids.ticket_a, "师傅明天上午上门", files=[("派工单.pdf", b"%PDF-1.4 order")])
    staff_comment(ids.staff, ids.ticket_a, "客户脾气急，注意沟通", kind="note", files=[("内部记录.txt", b"internal")])
    staff_comment(ids.staff, ids.ticket_b, "已核对账单", files=[("核对.pdf", b"%PDF-1.4 check")])
    ids.photo_a, ids.reply_file_a, ids.note_file_a = attachment_ids(app, ids.ticket_a)
    ids.bill_b, ids.reply_file_b = attachment_ids(app, ids.ticket_b)
    return ids
