"""A small desk: two teams, their supervisor, agents, a manager and a customer account."""
from types import SimpleNamespace

import pytest

from core.extensions import db
from core.models import Customer, Team, User
from tests.helpers import create_user, login


@pytest.fixture
def desk(app):
    ids = SimpleNamespace()
    ids.lead = create_user(app, "lead@example.cn", "supervisor", name="王主管")
    ids.agent1 = create_user(app, "agent1@example.cn", "agent", name="张晓燕")
    ids.agent2 = create_user(app, "agent2@example.cn", "agent", name="陈伟")
    ids.agent3 = create_user(app, "agent3@example.cn", "agent", name="刘婷")
    ids.manager = create_user(app, "boss@example.cn", "manager", name="李经理")
    with app.app_context():
        customer = Customer(name="许天佑", phone="13800138000", kind="person")
        db.session.add(customer)
        users = {key: db.session.get(User, value) for key, value in vars(ids).items()}
        team_a = Team(name="客服一组", supervisor=users["lead"], members=[users["lead"], users["agent1"], users["agent2"]])
        team_b = Team(name="客服二组", members=[users["agent3"]])
        db.session.add_all([team_a, team_b])
        db.session.commit()
        ids.customer, ids.team_a, ids.team_b = customer.id, team_a.id, team_b.id
    ids.customer_user = create_user(app, "c@example.cn", "customer", kind="customer")
    with app.app_context():
        db.session.get(User, ids.customer_user).customer_id = ids.customer
        db.session.commit()
    return ids


@pytest.fixture
def as_user(app):
    """A signed-in test client for an e-mail."""
    def client_for(email):
        client = app.test_client()
        login(client, email)
        return client
    return client_for


def make_ticket(app, title="水压低", type_key="inquiry", **kwargs):
    from core.tickets.service import create_ticket

    with app.app_context():
        for key in ("customer", "team", "assignee", "actor"):
            if isinstance(kwargs.get(key), int):
                model = {"customer": Customer, "team": Team}.get(key, User)
                kwargs[key] = db.session.get(model, kwargs[key])
        ticket = create_ticket(type_key=type_key, title=title, **kwargs)
        db.session.commit()
        return ticket.id
