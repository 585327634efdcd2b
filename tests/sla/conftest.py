"""Helpers of the SLA tests: policies and tickets at fixed instants (time is passed as `now=`, never read)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.extensions import db
from core.models import SlaClock, SlaPolicy, Team, User
from tests.helpers import create_user

SH = ZoneInfo("Asia/Shanghai")


def sh(*args):
    return datetime(*args, tzinfo=SH)


def add_policy(name="Standard", **values):
    policy = SlaPolicy(name=name, **values)
    db.session.add(policy)
    db.session.commit()
    return policy


def clock(ticket, kind):
    return db.session.query(SlaClock).filter_by(ticket_id=ticket.id, kind=kind).one()


def sla_events(ticket):
    return [(e.data["event"], e.data["target"]) for e in ticket.events if e.kind == "sla"]


@pytest.fixture
def staff(app):
    """An agent in a team with a supervisor, and a manager; returns their ids and the team's."""
    ids = {role: create_user(app, f"{role}@example.cn", role) for role in ("agent", "supervisor", "manager")}
    with app.app_context():
        team = Team(name="客服一组", supervisor=db.session.get(User, ids["supervisor"]),
                    members=[db.session.get(User, ids["agent"])])
        db.session.add(team)
        db.session.commit()
        ids["team"] = team.id
    return ids
