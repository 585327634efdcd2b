"""API fixtures: an app with a public ticket type that has its own fields, and accounts with bearer tokens."""
import pytest
from sqlalchemy import select

from core.auth.service import issue_token
from core.extensions import db
from core.i18n import Label
from core.models import Customer, Role, Team, User
from core.plugins import hookimpl
from core.plugins.specs import TicketTypeSpec
from core.tickets.fields import Choice, FieldSpec
from core.tickets.service import create_ticket


class DishChasePlugin:
    """One public ticket type with typed fields, to check that the API validates them per field."""

    @hookimpl
    def kefu_ticket_types(self):
        return [TicketTypeSpec(
            "dish_chase", Label(zh="催菜", en="Dish chase"), public=True, category="urgent",
            fields=(
                FieldSpec("table", Label(zh="台号", en="Table"), "integer", required=True, min_value=1, max_value=200),
                FieldSpec("reason", Label(zh="原因", en="Reason"), "choice",
                          choices=(Choice("slow", Label(zh="上菜慢", en="Slow")),
                                   Choice("wrong", Label(zh="上错菜", en="Wrong dish")))),
            ),
        )]


def add_account(app, email, *roles, kind="staff", customer_id=None):
    """An account that signs in with tokens only: no password to hash keeps each test's set-up fast."""
    with app.app_context():
        user = User(email=email, name=email.split("@")[0], kind=kind, customer_id=customer_id,
                    roles=db.session.scalars(select(Role).where(Role.key.in_(roles))).all())
        db.session.add(user)
        db.session.commit()
        return user.id


class Api:
    """A test client that sends one account's bearer token."""

    def __init__(self, app, user_id):
        self.app, self.user_id = app, user_id
        with app.app_context():
            _row, self.token = issue_token(db.session.get(User, user_id), "tests")
        self.client = app.test_client()

    def _call(self, method, path, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self._call("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self._call("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self._call("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self._call("DELETE", path, **kwargs)


@pytest.fixture
def api_app(make_app):
    return make_app(EXTRA_PLUGINS=[("dish", DishChasePlugin())], PLUGINS=["dish"])


@pytest.fixture
def api_for(api_app):
    """api_for(email, *roles, kind=…, customer=…): a new account and an API client with its token."""

    def make(email, *roles, **kwargs):
        return Api(api_app, add_account(api_app, email, *roles, **kwargs))

    return make


@pytest.fixture
def site(api_app):
    """Two teams, each with an agent; two customer records, each with a customer account."""
    with api_app.app_context():
        records = [Customer(name="王芳", phone="13800138000"), Customer(name="李强", kind="person")]
        db.session.add_all(records)
        db.session.commit()
        customer_ids = [record.id for record in records]
    ids = {
        "agent": add_account(api_app, "agent@kefu.cn", "agent"),
        "other_agent": add_account(api_app, "other@kefu.cn", "agent"),
        "customer": add_account(api_app, "wang@example.cn", "customer", kind="customer", customer_id=customer_ids[0]),
        "other_customer": add_account(api_app, "li@example.cn", "customer", kind="customer",
                                      customer_id=customer_ids[1]),
    }
    with api_app.app_context():
        members = [db.session.get(User, ids["agent"]), db.session.get(User, ids["other_agent"])]
        teams = [Team(name="一组", members=[members[0]]), Team(name="二组", members=[members[1]])]
        db.session.add_all(teams)
        db.session.commit()
        team_ids = [team.id for team in teams]
    return {"app": api_app, "users": ids, "customers": customer_ids, "teams": team_ids,
            **{key: Api(api_app, user_id) for key, user_id in ids.items()}}


def make_ticket(app, *, team_id=None, requester_id=None, customer_id=None, title="停水了", **kwargs):
    """A ticket made through the service (not the API under test); returns its id."""
    with app.app_context():
        ticket = create_ticket(type_key=kwargs.pop("type_key", "inquiry"), title=title,
                               team=db.session.get(Team, team_id) if team_id else None,
                               requester=db.session.get(User, requester_id) if requester_id else None,
                               customer=db.session.get(Customer, customer_id) if customer_id else None, **kwargs)
        db.session.commit()
        return ticket.id
