"""`kefu seed`: bulk tickets that look like the desk's own — statuses along each type's workflow, timestamps
and events as the services record them, escaped bodies, Chinese text — and a desk that still works."""
import html
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text

from core.cli import cli
from core.extensions import db
from core.models import Customer, Team, Ticket, TicketEvent, TicketType, User, ticket_tags, utcnow
from core.worker import run_job
from core.workflow.spec import ACTIVE_CATEGORIES
from tests.helpers import create_user, login
from tests.plugins.example_plugin import ExamplePlugin

TICKETS = 2000
CUSTOMERS = 300
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORDS = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")


@pytest.fixture
def site(make_app):
    """The core's types and the example plugin's (its own workflow and typed fields); a team of a supervisor
    and three agents, a manager who dispatches without a team, and an admin who must not get tickets."""
    app = make_app(EXTRA_PLUGINS=[("example", ExamplePlugin())], PLUGINS=["example"])
    staff = {"admin": create_user(app, "admin@example.cn", "admin"),
             "manager": create_user(app, "manager@example.cn", "manager"),
             "supervisor": create_user(app, "lead@example.cn", "supervisor", name="王主管")}
    for n in (1, 2, 3):
        staff[f"agent{n}"] = create_user(app, f"agent{n}@example.cn", "agent", name=f"客服{n}")
    with app.app_context():
        members = db.session.scalars(select(User).where(User.id.in_(
            [staff["supervisor"], staff["agent1"], staff["agent2"], staff["agent3"]]))).all()
        db.session.add(Team(name="客服一组", supervisor_id=staff["supervisor"], members=members))
        db.session.commit()
    return app, staff


def run_seed(app, *args):
    return app.test_cli_runner().invoke(cli, ["seed", *args])


def stored_like_the_app(body):
    """clean_html of plain text: escaped, newlines as <br>."""
    plain = html.unescape(body.replace("<br>", "\n"))
    return body == str(escape(plain)).replace("\n", "<br>")


def check_tickets(app, staff):
    """Every ticket agrees with its events, replayed the way the workflow engine and services record them."""
    registry = app.extensions["kefu"].registry
    now = utcnow()
    with app.app_context():
        type_keys = dict(db.session.execute(select(TicketType.id, TicketType.key)).all())
        team_ids = set(db.session.scalars(select(Team.id)))
        tickets = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
        events = defaultdict(list)
        for event in db.session.scalars(select(TicketEvent).order_by(TicketEvent.id)):
            events[event.ticket_id].append(event)
        workers = {staff["supervisor"], staff["agent1"], staff["agent2"], staff["agent3"]}
        for ticket in tickets:
            workflow = registry.workflow_for(type_keys[ticket.type_id])
            assert ticket.status_category == workflow.state(ticket.status).category
            assert ticket.active == (ticket.status_category in ACTIVE_CATEGORIES)
            assert now - timedelta(days=366) < ticket.created_at <= ticket.updated_at <= now
            assert stored_like_the_app(ticket.body) and ticket.title
            assert ticket.assignee_id is None or ticket.assignee_id in workers
            assert ticket.team_id is None or ticket.team_id in team_ids

            timeline = events[ticket.id]
            created = timeline[0]
            assert created.kind == "created" and created.created_at == ticket.created_at and created.body == ticket.body
            assert [e.created_at for e in timeline] == sorted(e.created_at for e in timeline)
            assert timeline[-1].created_at == ticket.updated_at
            state, assignee = workflow.initial, None
            first_response = resolved = closed = None
            for event in timeline[1:]:
                assert event.body is None or stored_like_the_app(event.body)
                if event.kind == "assign":
                    assert event.data["from"] == assignee
                    assignee = event.data["to"]
                elif event.kind == "reply":
                    assert event.public and event.actor_id in workers | {staff["manager"]}
                    first_response = first_response or event.created_at
                elif event.kind == "note":
                    assert not event.public and event.body
                else:
                    assert event.kind == "transition" and event.data["from"] == state
                    transition = next(t for t in workflow.transitions_from(state) if t.key == event.data["transition"])
                    assert transition.target == event.data["to"]
                    assert ("comment" not in transition.requires) or event.body
                    state = event.data["to"]
                    category = workflow.state(state).category
                    if category == "resolved" and resolved is None:
                        resolved = event.created_at
                    elif category == "open":
                        resolved = None
                    if category == "closed":
                        closed = event.created_at
            assert (state, assignee) == (ticket.status, ticket.assignee_id)
            assert (first_response, resolved, closed) == (ticket.first_response_at, ticket.resolved_at,
                                                          ticket.closed_at)
            if type_keys[ticket.type_id] == "example_chase":
                assert 1 <= ticket.fields["table"] <= 200
        return tickets


def test_seed_writes_consistent_tickets_events_and_customers(site):
    app, staff = site
    result = run_seed(app, "--tickets", str(TICKETS), "--customers", str(CUSTOMERS), "--seed", "7",
                      "--batch-size", "700")
    assert result.exit_code == 0, result.output
    assert "rows/s" in result.output and f"{TICKETS:,} tickets" in result.output

    tickets = check_tickets(app, staff)
    assert len(tickets) == TICKETS
    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id))) == CUSTOMERS
        assert db.session.scalar(select(func.count(TicketEvent.id))) > 5 * TICKETS
        assert db.session.scalar(select(func.count()).select_from(ticket_tags)) > TICKETS // 20
        type_ids = set(db.session.scalars(select(TicketType.id).where(TicketType.active.is_(True))))
    categories = Counter(t.status_category for t in tickets)
    assert categories["closed"] + categories["resolved"] > 0.75 * TICKETS
    assert categories["open"] > 0 and sum(t.active for t in tickets) > TICKETS // 50
    assert sum(t.assignee_id is None and t.active for t in tickets) > 0  # the unassigned queue is not empty
    assert {t.type_id for t in tickets} == type_ids
    assert sum(bool(HAN.search(t.title)) for t in tickets) > 0.8 * TICKETS
    assert any(LATIN_WORDS.search(t.body) for t in tickets)  # English customers, code-mixed messages
    assert any("&#39;" in t.body for t in tickets)  # "I'd like…", escaped as clean_html does
    assert sum(t.customer_id is not None for t in tickets) > 0.9 * TICKETS
    assert staff["admin"] not in {t.assignee_id for t in tickets}
    created = [t.created_at for t in tickets]
    assert max(created) - min(created) > timedelta(days=300)


def test_the_desk_still_renders_for_an_agent(site):
    app, staff = site
    assert run_seed(app, "--tickets", "600", "--customers", "50").exit_code == 0
    with app.app_context():
        titles = set(db.session.scalars(select(Ticket.title).where(Ticket.assignee_id == staff["agent1"],
                                                                    Ticket.active.is_(True))))
    assert titles
    client = app.test_client()
    login(client, "agent1@example.cn")
    page = client.get("/desk/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert any(str(escape(title)) in text for title in titles)


def test_a_second_run_appends(site):
    app, staff = site
    assert run_seed(app, "--tickets", "800", "--customers", "100", "--seed", "1").exit_code == 0
    with app.app_context():
        first_max = db.session.scalar(select(func.max(Ticket.id)))
        first_events = db.session.scalar(select(func.max(TicketEvent.id)))
    result = run_seed(app, "--tickets", "500", "--customers", "0", "--seed", "1")
    assert result.exit_code == 0, result.output
    tickets = check_tickets(app, staff)
    assert len(tickets) == 1300 and len({t.id for t in tickets}) == 1300
    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id))) == 100
        assert db.session.scalar(select(func.min(TicketEvent.ticket_id)).where(TicketEvent.id > first_events)) \
            > first_max
        # The site's own inserts still get fresh ids (on PostgreSQL the sequences were moved past the seed).
        ticket = Ticket(type_id=tickets[0].type_id, title="新工单", body="", status="new", status_category="open")
        db.session.add_all([ticket, Customer(name="新客户"), TicketEvent(ticket=ticket, kind="created", data={})])
        db.session.commit()
        assert ticket.id == 1301


def test_refuses_a_database_without_staff(make_app):
    app = make_app()
    create_user(app, "admin@example.cn", "admin")  # what `kefu init` leaves: an admin, nobody to work
    result = run_seed(app, "--tickets", "10")
    assert result.exit_code != 0
    assert "kefu init" in result.output and "kefu demo" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == 0


def on_sqlite(app):
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


def planner_statistics(app):
    """(table, index) pairs SQLite has statistics for; (table, column) pairs on PostgreSQL."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return set(db.session.execute(text("SELECT tbl, idx FROM sqlite_stat1")).all())
        return set(db.session.execute(text(
            "SELECT tablename, attname FROM pg_stats WHERE schemaname = current_schema()")).all())


def test_a_seed_leaves_statistics_for_the_query_planner(site):
    app, _staff = site
    assert run_seed(app, "--tickets", "2000", "--customers", "100").exit_code == 0
    known = planner_statistics(app)
    if not on_sqlite(app):
        assert {("ticket", "status_category"), ("ticket", "created_at")} <= known
        return
    assert {("ticket", "ix_ticket_status_category_updated"), ("ticket", "ix_ticket_type_created")} <= known
    # Knowing that most tickets are done and few are merged, SQLite counts one type's finished tickets of a
    # month through that type's index by date, not through every done or every unmerged ticket of the site.
    with app.app_context():
        plan = " ".join(row[-1] for row in db.session.execute(text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM ticket WHERE type_id = 1 AND merged_into_id IS NULL"
            " AND status_category IN ('resolved', 'closed')"
            " AND created_at >= '2026-11-01' AND created_at < '2026-12-01'")))
    assert "ix_ticket_type_created" in plan, plan


def last_analysed(app):
    """When ticket's statistics were last gathered: SQLite has no such record, so its are deleted first."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.session.execute(text("DELETE FROM sqlite_stat1"))
            db.session.commit()
            return None
        return db.session.scalar(text("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'ticket'"))


def test_the_worker_gathers_the_statistics_again(site):
    app, _staff = site
    assert run_seed(app, "--tickets", "300", "--customers", "30").exit_code == 0
    before = last_analysed(app)
    with app.app_context():
        assert run_job("core.planner_statistics").state == "done"
    if on_sqlite(app):
        assert ("ticket", "ix_ticket_type_created") in planner_statistics(app)
    else:
        assert last_analysed(app) > before
