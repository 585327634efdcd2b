"""The `kefu` command as an operator runs it: a real process on a fresh instance folder."""
import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from core import create_app
from core.extensions import db
from core.models import Customer, Ticket, TicketEvent, User

KEFU = os.path.join(os.path.dirname(sys.executable), "kefu")


def kefu(site, *args, stdin=None):
    env = {**os.environ, "KEFU_INSTANCE_PATH": str(site)}
    env.pop("KEFU_SQLALCHEMY_DATABASE_URI", None)
    return subprocess.run([KEFU, *args], input=stdin, capture_output=True, text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A fresh site: `kefu init` then `kefu demo`, as `make run` does."""
    path = tmp_path_factory.mktemp("site")
    first = kefu(path, "init")
    assert first.returncode == 0, first.stderr
    demo = kefu(path, "demo")
    assert demo.returncode == 0, demo.stderr
    return path, first.stdout, demo.stdout


def _app(site_path):
    return create_app({"INSTANCE_PATH": str(site_path)})


def test_init_creates_the_instance_and_a_first_admin_with_a_random_password(site):
    path, output, _demo = site
    assert (path / "kefu.db").exists() and (path / "secret_key").exists()
    match = re.search(r"First admin: (\S+)  password: (\S+)", output)
    assert match, output
    with _app(path).app_context():
        admin = db.session.scalar(select(User).where(User.email == match.group(1)))
        assert admin.check_password(match.group(2)) and admin.can("admin.access")


def test_init_again_changes_nothing(site):
    path, _output, _demo = site
    again = kefu(path, "init")
    assert again.returncode == 0 and "First admin" not in again.stdout


def test_demo_data_has_staff_of_every_role_customers_and_chinese_tickets(site):
    path, _output, demo_output = site
    assert "kefu-demo" in demo_output and "agent1@demo.kefu.local" in demo_output
    with _app(path).app_context():
        roles = {role.key for user in db.session.scalars(select(User)) for role in user.roles}
        assert {"admin", "manager", "supervisor", "agent", "quality", "customer"} <= roles
        assert db.session.scalar(select(func.count(Customer.id))) >= 150
        tickets = db.session.scalars(select(Ticket)).all()
        assert len(tickets) >= 300
        assert sum(bool(re.search("[\u4e00-\u9fff]", t.title)) for t in tickets) > 250
        assert len({t.status for t in tickets}) >= 5  # moved through the workflow, not all new
        assert db.session.scalar(select(func.count(TicketEvent.id)).where(TicketEvent.kind == "reply")) > 50


def test_demo_data_has_service_levels_and_live_clocks(site):
    """DOMAIN.md §4: chat answered within 5 minutes, complaints handled within 24 hours, follow-up within 3
    days, 7×24 and weekday 9:00–18:00 service hours; fresh tickets have clocks still running."""
    from core.models import ServiceCalendar, SlaClock, SlaPolicy, utcnow

    path, _output, _demo = site
    with _app(path).app_context():
        policies = {(p.ticket_type, p.channel, p.priority, p.customer_grade): p for p in db.session.scalars(select(SlaPolicy))}
        chat, complaint = policies[(None, "chat", None, None)], policies[("complaint", None, None, None)]
        assert (chat.first_response_minutes, chat.first_response_business) == (5, False)
        assert (complaint.resolution_minutes, complaint.resolution_business) == (24 * 60, False)
        assert (complaint.follow_up_minutes, complaint.follow_up_business) == (3 * 24 * 60, False)
        assert {c.hours for c in db.session.scalars(select(ServiceCalendar))} == {"7x24", "mon-fri 09:00-12:00 13:00-18:00"}
        clocks = db.session.scalars(select(SlaClock)).all()
        assert {c.kind for c in clocks} >= {"first_response", "resolution", "follow_up"}
        assert {c.calendar_name for c in clocks if c.business} == {"工作日 9:00–18:00（午休 12:00–13:00）", "7×24 在线服务"}
        assert any(c.state == "running" and c.due_at > utcnow() for c in clocks)  # live on the ticket pages


def test_demo_is_loaded_only_once(site):
    path, _output, _demo = site
    with _app(path).app_context():
        before = db.session.scalar(select(func.count(Ticket.id)))
    again = kefu(path, "demo")
    assert again.returncode == 0 and "nothing added" in again.stdout
    with _app(path).app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == before


def test_user_create_reads_the_password_from_stdin(site):
    path, _output, _demo = site
    created = kefu(path, "user", "create", "lead@example.cn", "--role", "supervisor", "--password-stdin",
                   stdin="a long enough password\n")
    assert created.returncode == 0, created.stderr
    with _app(path).app_context():
        user = db.session.scalar(select(User).where(User.email == "lead@example.cn"))
        assert user.check_password("a long enough password") and user.can("ticket.assign")
    duplicate = kefu(path, "user", "create", "lead@example.cn", "--role", "agent", "--password-stdin", stdin="x" * 10)
    assert duplicate.returncode != 0 and "already exists" in duplicate.stderr
    bad_role = kefu(path, "user", "create", "new@example.cn", "--role", "wizard", "--password-stdin", stdin="x" * 10)
    assert bad_role.returncode != 0 and "unknown role wizard" in bad_role.stderr
    short = kefu(path, "user", "create", "new@example.cn", "--role", "agent", "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "at least 8" in short.stderr


def test_token_create_prints_a_token_for_the_api(site):
    path, _output, _demo = site
    result = kefu(path, "token", "create", "agent1@demo.kefu.local")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    response = _app(path).test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["email"] == "agent1@demo.kefu.local"
    missing = kefu(path, "token", "create", "nobody@example.cn")
    assert missing.returncode != 0 and "no active account" in missing.stderr


def test_help_lists_the_commands(site):
    path, _output, _demo = site
    listing = kefu(path, "--help").stdout
    for command in ("init", "demo", "run", "db", "user", "token", "plugins"):
        assert re.search(rf"^\s+{command}\s", listing, re.M), command
