"""A desk with the closed loop running against a real SMTP server: a team (supervisor 王主管, agents 张晓燕 and
陈伟), a manager, and customers of each kind — a strategic one, an ordinary one with a portal account, and one
the site cannot reach (no e-mail, no mobile)."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Customer, FollowUp, Survey, Team, Ticket, User, utcnow
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from tests.helpers import create_user, login
from tests.support.smtp import SmtpSink

SITE = "https://kefu.example.cn"


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def loop_app(make_app, sink):
    return make_app(MAIL_SERVER=sink.host, MAIL_PORT=sink.port, MAIL_FROM="kefu@wuye.example.cn", SITE_URL=SITE)


@pytest.fixture
def people(loop_app):
    ids = SimpleNamespace()
    ids.lead = create_user(loop_app, "lead@example.cn", "supervisor", name="王主管")
    ids.agent = create_user(loop_app, "agent@example.cn", "agent", name="张晓燕")
    ids.agent2 = create_user(loop_app, "agent2@example.cn", "agent", name="陈伟")
    ids.manager = create_user(loop_app, "boss@example.cn", "manager", name="李经理")
    with loop_app.app_context():
        users = {key: db.session.get(User, value) for key, value in vars(ids).items()}
        team = Team(name="客服一组", supervisor=users["lead"], members=[users["lead"], users["agent"], users["agent2"]])
        vip = Customer(name="许天佑", grade="strategic", email="xu@example.cn", phone="13800138000")
        plain = Customer(name="王女士", grade="ordinary", email="wang@example.cn", phone="13900139000")
        silent = Customer(name="赵先生", grade="strategic")
        db.session.add_all([team, vip, plain, silent])
        db.session.commit()
        ids.team, ids.vip, ids.plain, ids.silent = team.id, vip.id, plain.id, silent.id
    ids.portal_user = create_user(loop_app, "wang@example.cn", "customer", kind="customer", name="王女士", locale="en")
    with loop_app.app_context():
        db.session.get(User, ids.portal_user).customer_id = ids.plain
        db.session.commit()
    return ids


def new_ticket(app, people, customer="vip", title="厨房水龙头漏水", type_key="fault", now=None):
    with app.app_context():
        ticket = create_ticket(type_key=type_key, title=title, body="一直在滴水",
                               customer=db.session.get(Customer, getattr(people, customer)) if customer else None,
                               team=db.session.get(Team, people.team), now=now)
        db.session.commit()
        return ticket.id


def work_on(app, people, ticket_id, now=None, comment="师傅已上门更换水龙头，不再漏水。"):
    """Accept, dispatch to the agent, start and resolve, as the desk would."""
    now = now or utcnow() - timedelta(minutes=30)
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        lead, agent = db.session.get(User, people.lead), db.session.get(User, people.agent)
        transition(ticket, "triage", actor=lead, now=now)
        transition(ticket, "assign", actor=lead, assignee=agent, now=now)
        transition(ticket, "start", actor=agent, now=now)
        transition(ticket, "resolve", actor=agent, comment=comment, now=now)
        db.session.commit()


def resolved(app, people, customer="vip", now=None, **kwargs):
    ticket_id = new_ticket(app, people, customer, now=now, **kwargs)
    work_on(app, people, ticket_id, now=now)
    return ticket_id


def follow_up_of(ticket_id):
    return db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == ticket_id).order_by(FollowUp.id.desc()))


def survey_of(ticket_id):
    return db.session.scalar(select(Survey).where(Survey.ticket_id == ticket_id).order_by(Survey.id.desc()))


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client
