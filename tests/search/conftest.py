"""Search on both backends: `search_app` is parametrized over Whoosh (an index in the test's instance
folder) and PostgreSQL (the test database itself on the PostgreSQL run; on the SQLite run a throwaway
PostgreSQL server of its own, from tests/support/postgres.py)."""
import os
from types import SimpleNamespace

import pytest

from core import create_app
from core.extensions import db
from core.models import Customer, Team, User
from tests.conftest import BACKEND, BASE_CONFIG, migrate_and_sync
from tests.helpers import create_user

_numbers = iter(range(1, 10**9))


@pytest.fixture(scope="session")
def postgres_template(request, tmp_path_factory):
    """A PostgreSQL server with a migrated kefu_template database."""
    if BACKEND == "postgresql":
        yield request.getfixturevalue("database_template")
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    server.create_database("kefu_template")
    migrate_and_sync(create_app({**BASE_CONFIG, "INSTANCE_PATH": str(tmp_path_factory.mktemp("pg-template")),
                                 "SQLALCHEMY_DATABASE_URI": server.url("kefu_template")}))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_template):
    name = f"kefu_search_{os.getpid()}_{next(_numbers)}"
    postgres_template.create_database(name, template="kefu_template")
    yield postgres_template.url(name)
    postgres_template.drop_database(name)


@pytest.fixture(params=["whoosh", "postgresql"])
def backend_name(request):
    return request.param


@pytest.fixture
def search_app(request, make_app, backend_name):
    """An app whose search uses `backend_name`; build more with search_app_factory(**config)."""
    return request.getfixturevalue("search_app_factory")()


@pytest.fixture
def search_app_factory(request, make_app, backend_name):
    url = request.getfixturevalue("postgres_url") if backend_name == "postgresql" else None

    def factory(**config):
        if url:
            config.setdefault("SQLALCHEMY_DATABASE_URI", url)
        return make_app(SEARCH_BACKEND=backend_name, **config)

    return factory


@pytest.fixture
def people(search_app):
    """Two teams with their agents, a manager, a quality inspector and two customers with accounts."""
    app = search_app
    ids = SimpleNamespace()
    ids.lead = create_user(app, "lead@example.cn", "supervisor", name="王主管")
    ids.agent1 = create_user(app, "agent1@example.cn", "agent", name="张晓燕")
    ids.agent2 = create_user(app, "agent2@example.cn", "agent", name="陈伟")
    ids.manager = create_user(app, "boss@example.cn", "manager", name="李经理")
    with app.app_context():
        users = {key: db.session.get(User, value) for key, value in vars(ids).items()}
        team_a = Team(name="客服一组", supervisor=users["lead"], members=[users["lead"], users["agent1"]])
        team_b = Team(name="客服二组", members=[users["agent2"]])
        org = Customer(name="顺丰速运有限公司", kind="organisation", phone="4008111111")
        xu = Customer(name="许天佑", phone="13800138000", email="xu@example.cn", kind="person", organisation=org)
        li = Customer(name="李秀英", phone="13912345678", kind="person")
        db.session.add_all([team_a, team_b, org, xu, li])
        db.session.commit()
        ids.team_a, ids.team_b, ids.org, ids.xu, ids.li = team_a.id, team_b.id, org.id, xu.id, li.id
    ids.xu_user = create_user(app, "xu@example.cn", "customer", kind="customer")
    ids.li_user = create_user(app, "li@example.cn", "customer", kind="customer")
    with app.app_context():
        db.session.get(User, ids.xu_user).customer_id = ids.xu
        db.session.get(User, ids.li_user).customer_id = ids.li
        db.session.commit()
    return ids
