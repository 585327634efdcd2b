"""One test per hook (the meta-test below fails when a hookspec has none), through the example plugin."""
import inspect
import random
import sys

from sqlalchemy import func, select, text

from core.extensions import db
from core.models import Customer, Role, TicketType
from core.plugins import hookspecs
from core.tickets.service import TicketInputError, add_comment, create_ticket
from core.workflow.engine import TransitionError, transition
from tests.helpers import create_user, login

HOOK_NAMES = sorted(name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("kefu_"))


def test_every_hookspec_is_named_kefu_and_documented_with_an_example():
    functions = [f for _, f in inspect.getmembers(hookspecs, inspect.isfunction)]
    assert len(functions) == len(HOOK_NAMES) >= 14
    for name in HOOK_NAMES:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert len(doc.splitlines()[0]) > 10, f"{name} has no summary line"
        assert "Example::" in doc and "@hookimpl" in doc, f"{name} has no example"


def test_every_hookspec_has_a_test():
    tests = {name for name in dir(sys.modules[__name__]) if name.startswith("test_hook_")}
    missing = [name for name in HOOK_NAMES if f"test_hook_{name}" not in tests]
    assert missing == []


def test_hook_kefu_permissions(plugin_app):
    assert "example.board" in plugin_app.extensions["kefu"].registry.permissions
    assert plugin_app.extensions["kefu"].registry.permission_owner["example.board"] == "example"


def test_hook_kefu_roles(plugin_app):
    with plugin_app.app_context():
        role = db.session.scalar(select(Role).where(Role.key == "example_runner"))
        keys = {p.key for p in role.permissions}
    assert role.plugin == "example" and role.level == "agent" and role.label_zh == "传菜员"
    assert "example.board" in keys and "ticket.reply" in keys  # its own plus the agent level's


def test_hook_kefu_ticket_types(plugin_app):
    with plugin_app.app_context():
        row = db.session.scalar(select(TicketType).where(TicketType.key == "example_chase"))
        assert row.plugin == "example" and row.workflow == "example_quick"
        ticket = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": "8", "reason": "slow"})
        assert ticket.fields == {"table": 8, "reason": "slow"}
        for bad, field in (({"table": "0"}, "table"), ({"table": "x"}, "table"), ({}, "table"),
                           ({"table": "3", "reason": "cold"}, "reason")):
            try:
                create_ticket(type_key="example_chase", title="催菜", fields=bad)
            except TicketInputError as exc:
                assert field in exc.errors
            else:
                raise AssertionError(f"{bad} was accepted")


def test_hook_kefu_workflows(plugin_app):
    agent_id = create_user(plugin_app, "runner@example.cn", "example_runner")
    plain_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User

        ticket = create_ticket(type_key="example_chase", title="催菜", fields={"table": 3})
        assert (ticket.status, ticket.status_category) == ("open", "open")
        try:
            transition(ticket, "finish", actor=db.session.get(User, plain_id))
        except TransitionError as exc:
            assert exc.code == "forbidden"
        else:
            raise AssertionError("an agent without example.board finished the chase")
        transition(ticket, "finish", actor=db.session.get(User, agent_id))
        assert (ticket.status, ticket.status_category) == ("done", "closed") and ticket.closed_at is not None


def test_hook_kefu_blueprints(plugin_app):
    create_user(plugin_app, "runner@example.cn", "example_runner")
    create_user(plugin_app, "agent@example.cn", "agent")
    runner, agent = plugin_app.test_client(), plugin_app.test_client()
    login(runner, "runner@example.cn")
    login(agent, "agent@example.cn")
    page = runner.get("/example/board").get_data(as_text=True)
    assert '<p id="board">看板 board</p>' in page  # the plugin's own template, inside the core layout
    assert 'href="/theme/kefu.css"' in page
    assert agent.get("/example/board").status_code == 403


def test_hook_kefu_admin_views(plugin_app):
    create_user(plugin_app, "root@example.cn", "admin")
    create_user(plugin_app, "runner@example.cn", "example_runner")
    admin, runner = plugin_app.test_client(), plugin_app.test_client()
    login(admin, "root@example.cn")
    login(runner, "runner@example.cn")
    assert admin.get("/admin/example/").get_data(as_text=True) == "example admin"
    assert runner.get("/admin/example/").status_code == 403
    assert "/admin/example/" in admin.get("/admin/").get_data(as_text=True)


def test_hook_kefu_nav_items(plugin_app):
    create_user(plugin_app, "runner@example.cn", "example_runner")
    create_user(plugin_app, "agent@example.cn", "agent")
    runner, agent = plugin_app.test_client(), plugin_app.test_client()
    login(runner, "runner@example.cn")
    login(agent, "agent@example.cn")
    assert "楼面看板" in runner.get("/desk/").get_data(as_text=True)
    assert "楼面看板" not in agent.get("/desk/").get_data(as_text=True)  # only items the user may open


def test_hook_kefu_template_slot(plugin_app):
    assert '<div id="example-footer">示例插件</div>' in plugin_app.test_client().get("/login").get_data(as_text=True)


def test_hook_kefu_cli(plugin_app):
    result = plugin_app.test_cli_runner().invoke(args=["example-hello"])
    assert result.exit_code == 0 and "你好 from example" in result.output


def test_hook_kefu_migrations(plugin_app):
    with plugin_app.app_context():
        db.session.execute(text("INSERT INTO example_thing (name) VALUES ('保留')"))
        db.session.commit()
        heads = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    assert set(heads) == {"core_0001", "example_0001"} or "example_0001" in heads


def test_hook_kefu_demo_data(plugin_app):
    with plugin_app.app_context():
        plugin_app.extensions["kefu"].pm.hook.kefu_demo_data(session=db.session, rng=random.Random(1))
        db.session.commit()
        names = db.session.scalars(select(Customer.name)).all()
        # The core's demo data comes first (tryfirst), then the plugin's.
        assert any(name.startswith("示例客户") for name in names) and len(names) > 100


def test_hook_kefu_ticket_created(plugin_app, example):
    with plugin_app.app_context():
        ticket = create_ticket(type_key="inquiry", title="咨询电费")
        assert example.events == [("created", ticket.id, "created")]


def test_hook_kefu_ticket_transitioned(plugin_app, example):
    agent_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User

        ticket = create_ticket(type_key="inquiry", title="咨询电费")
        transition(ticket, "triage", actor=db.session.get(User, agent_id))
        assert example.events[-1] == ("transitioned", ticket.id, "new", "triaged")


def test_hook_kefu_ticket_commented(plugin_app, example):
    agent_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User

        ticket = create_ticket(type_key="inquiry", title="咨询电费")
        add_comment(ticket, actor=db.session.get(User, agent_id), body="您好", public=True)
        add_comment(ticket, actor=db.session.get(User, agent_id), body="内部备注", public=False)
        assert example.events[-2:] == [("commented", ticket.id, True), ("commented", ticket.id, False)]
        assert ticket.first_response_at is not None


def test_hook_kefu_ticket_assigned(plugin_app, example):
    lead_id = create_user(plugin_app, "lead@example.cn", "supervisor")
    agent_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User
        from core.tickets.assignment import assign

        ticket = create_ticket(type_key="inquiry", title="咨询电费")
        assign(ticket, actor=db.session.get(User, lead_id), assignee=db.session.get(User, agent_id))
        assert example.events[-1] == ("assigned", ticket.id, agent_id)


def test_hook_kefu_assignment_candidates(plugin_app, example):
    runner_id = create_user(plugin_app, "runner@example.cn", "example_runner")
    example.runner_id = runner_id
    with plugin_app.app_context():
        from core.tickets.assignment import suggestions

        ticket = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8})
        (user, score, reason), = suggestions(ticket)
        assert (user.id, score, reason.zh) == (runner_id, 100, "8号台传菜员")
        other = create_ticket(type_key="example_chase", title="3号台催菜", fields={"table": 3})
        assert suggestions(other) == []


def test_core_defaults_are_replaced_by_a_plugin_spec_with_the_same_key(make_app):
    from core.i18n import Label
    from core.plugins import hookimpl
    from core.plugins.specs import TicketTypeSpec

    class Replacement:
        @hookimpl
        def kefu_ticket_types(self):
            return [TicketTypeSpec("complaint", Label(zh="客人投诉", en="Guest complaint"), category="complaint")]

    app = make_app(EXTRA_PLUGINS=[("replacement", Replacement())], PLUGINS=["replacement"])
    registry = app.extensions["kefu"].registry
    assert registry.ticket_types["complaint"].label.zh == "客人投诉"
    assert registry.ticket_type_owner["complaint"] == "replacement"
    with app.app_context():
        assert db.session.scalar(select(func.count(TicketType.id)).where(TicketType.key == "complaint")) == 1


def test_hook_kefu_sla_policies(plugin_app):
    from datetime import UTC, datetime, timedelta

    from core.models import SlaClock

    created = datetime(2025, 3, 15, 12, tzinfo=UTC)  # a Saturday: calendar time counts anyway
    with plugin_app.app_context():
        ticket = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}, now=created)
        create_ticket(type_key="inquiry", title="咨询电费", now=created)  # no policy matches: no clock
        (clock,) = db.session.scalars(select(SlaClock)).all()
        assert (clock.ticket_id, clock.kind, clock.policy_name) == (ticket.id, "resolution", "催菜")
        assert clock.due_at == created + timedelta(minutes=15)


def test_hook_kefu_notification_channels(plugin_app, example):
    agent_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User
        from core.notifications import deliver_pending, notify

        notify(db.session.get(User, agent_id), "assigned", by="王主管")
        db.session.commit()
        assert deliver_pending() == 1 and deliver_pending() == 0
    assert example.events == [("sent", "assigned", agent_id)]


def test_hook_kefu_sla_breached(plugin_app, example):
    from datetime import UTC, datetime, timedelta

    from core.sla.sweep import sweep

    created = datetime(2025, 3, 15, 12, tzinfo=UTC)
    with plugin_app.app_context():
        ticket = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}, now=created)
        db.session.commit()
        sweep(now=created + timedelta(minutes=14))
        assert example.events[-1][0] == "created"
        sweep(now=created + timedelta(minutes=15))
        sweep(now=created + timedelta(minutes=16))
        assert example.events[-1] == ("breached", ticket.id, "resolution")
        assert [e for e in example.events if e[0] == "breached"] == [("breached", ticket.id, "resolution")]
