"""A known month of tickets (March 2025, Beijing time) walked through the real services at fixed instants, with
an SLA policy of 60 minutes to the first response and 24 hours to resolution (calendar time).

    T1 inquiry    phone   agent A, team 1, key customer   answered in 30 min, resolved 2 h later, closed
    T6 suggestion                                          a duplicate merged into T1: counts nowhere
    T2 complaint  wechat  agent A, team 1, ordinary       answered in 90 min (late), resolved after 26 h (late)
    T3 complaint  phone   agent B, team 2, key customer   answered in 10 min, waits 3 days for the customer
                                                          (clock paused), resolved in 2 h of counted time,
                                                          reopened the next day and still open
    T5 inquiry    phone   unassigned, received 00:30 on 1 March (still February in UTC), never answered
    T8 inquiry    web     unassigned, rejected after 45 min
    T7 service    phone   agent B, team 2, no customer    answered in 20 min, resolved on 2 April (after March)
    T4 inquiry    web     received 00:30 on 1 April (March in UTC): not in March

The SLA sweep runs on 5 April; every ticket's contribution is then counted by the report job.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.models import Customer, SlaPolicy, Team, User
from core.reports.refresh import refresh_pending
from core.sla.sweep import sweep
from core.tickets.relations import merge
from core.tickets.service import add_comment, create_ticket
from core.workflow.engine import transition
from tests.helpers import create_user

SH = ZoneInfo("Asia/Shanghai")


def sh(*args):
    return datetime(*args, tzinfo=SH)


DISPATCHING = ("triage", "assign", "reject")


def walk(ticket, dispatcher, worker, steps):
    """(instant, transition, comment) steps through the workflow engine: the supervisor triages, assigns and
    rejects, the agent does the rest."""
    for moment, key, comment in steps:
        transition(ticket, key, actor=dispatcher if key in DISPATCHING else worker, comment=comment, now=moment)


@pytest.fixture
def people(app):
    ids = {name: create_user(app, f"{name}@example.cn", role, name=label)
           for name, role, label in (("lead", "supervisor", "王主管"), ("a", "agent", "张晓燕"),
                                     ("b", "agent", "陈伟"), ("boss", "manager", "李经理"))}
    with app.app_context():
        lead, a, b = (db.session.get(User, ids[key]) for key in ("lead", "a", "b"))
        one = Team(name="客服一组", supervisor=lead, members=[a])
        two = Team(name="客服二组", supervisor=lead, members=[b])
        db.session.add_all([one, two])
        db.session.commit()
        ids.update(team1=one.id, team2=two.id)
    return ids


@pytest.fixture
def march(app, people):
    """Builds the month above and returns the ticket and people ids."""
    with app.app_context():
        user = lambda key: db.session.get(User, people[key])  # noqa: E731
        lead, a, b = user("lead"), user("a"), user("b")
        team1, team2 = db.session.get(Team, people["team1"]), db.session.get(Team, people["team2"])
        db.session.add(SlaPolicy(name="标准时限", first_response_minutes=60, first_response_business=False,
                                 resolution_minutes=1440, resolution_business=False))
        key, plain = Customer(name="华润置地", grade="key"), Customer(name="张三", grade="ordinary")
        db.session.add_all([key, plain])
        db.session.flush()
        ids = dict(people)

        t5 = create_ticket(type_key="inquiry", title="咨询水费", channel="phone", now=sh(2025, 3, 1, 0, 30))

        t1 = create_ticket(type_key="inquiry", title="咨询电费", channel="phone", customer=key, assignee=a,
                           team=team1, now=sh(2025, 3, 3, 10))
        add_comment(t1, actor=a, body="您好，电费按阶梯计价。", public=True, now=sh(2025, 3, 3, 10, 30))
        walk(t1, lead, a, [(sh(2025, 3, 3, 10, 31), "triage", ""), (sh(2025, 3, 3, 10, 32), "assign", ""),
                           (sh(2025, 3, 3, 10, 33), "start", ""), (sh(2025, 3, 3, 12), "resolve", "已解答"),
                           (sh(2025, 3, 4, 9), "close", "")])
        t6 = create_ticket(type_key="suggestion", title="咨询电费（重复）", channel="phone", now=sh(2025, 3, 3, 11))
        merge(t6, t1, actor=lead, now=sh(2025, 3, 3, 11, 30))

        t2 = create_ticket(type_key="complaint", title="投诉抄表员态度", channel="wechat", customer=plain,
                           assignee=a, team=team1, now=sh(2025, 3, 5, 10))
        add_comment(t2, actor=a, body="抱歉，我们马上核实。", public=True, now=sh(2025, 3, 5, 11, 30))
        walk(t2, lead, a, [(sh(2025, 3, 5, 11, 31), "triage", ""), (sh(2025, 3, 5, 11, 32), "assign", ""),
                           (sh(2025, 3, 5, 11, 33), "start", ""), (sh(2025, 3, 6, 12), "resolve", "已致歉并处理")])

        t3 = create_ticket(type_key="complaint", title="投诉停水未通知", channel="phone", customer=key,
                           assignee=b, team=team2, now=sh(2025, 3, 10, 10))
        add_comment(t3, actor=b, body="收到，正在处理。", public=True, now=sh(2025, 3, 10, 10, 10))
        walk(t3, lead, b, [(sh(2025, 3, 10, 10, 11), "triage", ""), (sh(2025, 3, 10, 10, 12), "assign", ""),
                           (sh(2025, 3, 10, 10, 15), "start", ""), (sh(2025, 3, 10, 11), "wait", "请提供户号"),
                           (sh(2025, 3, 13, 11), "resume", ""), (sh(2025, 3, 13, 12), "resolve", "已补发通知"),
                           (sh(2025, 3, 14, 10), "reopen", "客户表示仍未收到")])

        t8 = create_ticket(type_key="inquiry", title="咨询燃气业务", channel="web", now=sh(2025, 3, 25, 9))
        walk(t8, lead, lead, [(sh(2025, 3, 25, 9, 45), "reject", "不属于本公司业务范围")])

        t7 = create_ticket(type_key="service_request", title="申请过户", channel="phone", assignee=b, team=team2,
                           now=sh(2025, 3, 29, 10))
        add_comment(t7, actor=b, body="请携带身份证到营业厅。", public=True, now=sh(2025, 3, 29, 10, 20))
        walk(t7, lead, b, [(sh(2025, 3, 29, 10, 21), "triage", ""), (sh(2025, 3, 29, 10, 22), "assign", ""),
                           (sh(2025, 3, 29, 10, 23), "start", ""), (sh(2025, 4, 2, 10), "resolve", "已办理")])

        t4 = create_ticket(type_key="inquiry", title="咨询营业时间", channel="web", now=sh(2025, 4, 1, 0, 30))
        db.session.commit()
        sweep(now=sh(2025, 4, 5, 12))
        refresh_pending()
        ids.update(t1=t1.id, t2=t2.id, t3=t3.id, t4=t4.id, t5=t5.id, t6=t6.id, t7=t7.id, t8=t8.id,
                   key_customer=key.id, plain_customer=plain.id)
    return ids
