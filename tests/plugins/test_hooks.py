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


def test_hook_kefu_lookups(plugin_app):
    create_user(plugin_app, "runner@example.cn", "example_runner")
    client = plugin_app.test_client()
    login(client, "runner@example.cn")
    assert [c["label"]["zh"] for c in client.get("/api/v1/lookups/example.seat?parent=1").get_json()["items"]] == \
        ["1号桌", "2号桌"]
    assert client.get("/api/v1/lookups/example.hall").get_json()["items"][1] == \
        {"value": "2", "label": {"zh": "芙蓉厅", "en": "芙蓉厅"}}
    assert client.get("/api/v1/lookups/example.nothing").status_code == 404
    with plugin_app.app_context():
        ticket = create_ticket(type_key="example_chase", title="催菜", fields={"table": 3, "hall": "2", "seat": "21"})
        assert ticket.fields == {"table": 3, "hall": "2", "seat": "21"}
        for bad, field in (({"hall": "3"}, "hall"), ({"hall": "1", "seat": "21"}, "seat"),  # a seat of another hall
                           ({"seat": "11"}, "seat"), ({"reason": "wrong", "hall": "1"}, "seat")):  # required_if
            try:
                create_ticket(type_key="example_chase", title="催菜", fields={"table": 3, **bad})
            except TicketInputError as exc:
                assert list(exc.errors) == [field], bad
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
    page = plugin_app.test_client().get("/login").get_data(as_text=True)
    assert '<div id="example-footer">示例插件</div>' in page
    # The banner opens the page's content, above the flashed messages and the page's own heading.
    assert page.index('<main class="page">') < page.index('<div id="example-banner">明日计划停水</div>') < page.index("<h1")


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


def test_hook_kefu_notification_kinds(plugin_app, example):
    from flask_babel import force_locale

    from core.models import Notification
    from core.notifications import describe

    with plugin_app.test_request_context():
        late = Notification(kind="example_dish_late", data={"table": 8})
        assigned = Notification(kind="assigned", data={"by": "王主管"})
        unknown = Notification(kind="example_unknown", data={})
        with force_locale("zh"):
            assert [describe(n) for n in (late, assigned, unknown)] == ["8号台的菜超时未上", "王主管 派给您一张单",
                                                                          "example_unknown"]
        with force_locale("en"):
            assert describe(late) == "A dish for table 8 is late"
            assert describe(Notification(kind="mentioned", data={})) == "System mentioned you"  # the core's own


def test_hook_kefu_notification_channels(plugin_app, example):
    agent_id = create_user(plugin_app, "agent@example.cn", "agent")
    with plugin_app.app_context():
        from core.models import User
        from core.notifications import deliver_pending, notify

        notify(db.session.get(User, agent_id), "assigned", by="王主管")
        db.session.commit()
        assert deliver_pending() == 1 and deliver_pending() == 0
        from core.notifications import notify_customer

        vip, plain = Customer(name="许总", grade="strategic"), Customer(name="王女士", grade="ordinary")
        db.session.add_all([vip, plain])
        assert [row.channel for row in notify_customer(vip, "greeting", subject="新春快乐", body="恭贺新禧")] == ["example_sms"]
        assert notify_customer(plain, "greeting", subject="新春快乐", body="恭贺新禧") == []
        db.session.commit()
        vip_id = vip.id
        assert deliver_pending() == 1
    assert example.events == [("sent", "assigned", agent_id), ("told", "greeting", vip_id)]


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


def test_hook_kefu_escalation_contacts(plugin_app, example):
    from datetime import UTC, datetime, timedelta

    from core.models import Notification
    from core.sla.sweep import sweep

    runner_lead = create_user(plugin_app, "lead@example.cn", "agent", name="传菜助理")
    example.escalate_to = {1: [runner_lead]}
    created = datetime(2025, 3, 15, 12, tzinfo=UTC)
    with plugin_app.app_context():
        chase = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}, now=created)
        other = create_ticket(type_key="inquiry", title="别的", now=created)
        db.session.commit()
        sweep(now=created + timedelta(minutes=16))
        reached = db.session.execute(select(Notification.ticket_id, Notification.user_id)
                                     .where(Notification.kind == "escalated")).all()
        assert (chase.id, runner_lead) in reached  # the plugin's choice, not the team's supervisor
        assert other.id not in {ticket_id for ticket_id, _user in reached}  # no SLA on it: untouched


def test_hook_kefu_care_reminders(plugin_app, example):
    """A plugin's reminders show on the care calendar and become tasks like birthdays do."""
    from datetime import date, datetime, timezone

    from core.care.service import generate_care_tasks
    from core.i18n import Label
    from core.models import CareTask
    from core.plugins.specs import CareReminder

    with plugin_app.app_context():
        customer = Customer(name="翠湖花园业主", grade="ordinary")
        db.session.add(customer)
        db.session.commit()
        example.reminders = [CareReminder(customer.id, date(2026, 5, 6), "example.renewal",
                                          Label(zh="合同续约", en="Contract renewal"), note="物业合同 2023-018")]
        customer_id = customer.id
    create_user(plugin_app, "agent@example.cn", "agent")
    client = plugin_app.test_client()
    login(client, "agent@example.cn")
    page = client.get("/desk/care/calendar?month=2026-05").get_data(as_text=True)
    assert "合同续约" in page and "翠湖花园业主" in page
    with plugin_app.app_context():
        assert generate_care_tasks(datetime(2026, 5, 1, 2, tzinfo=timezone.utc)) == 1
        task = db.session.scalar(select(CareTask))
        assert (task.customer_id, task.kind, task.label_en, task.note) == \
            (customer_id, "example.renewal", "Contract renewal", "物业合同 2023-018")


def test_hook_kefu_customer_merged(plugin_app, example):
    from core.customers.merge import merge_customers
    from core.models import User

    create_user(plugin_app, "lead@example.cn", "supervisor")
    with plugin_app.app_context():
        kept, duplicate = Customer(name="王芳"), Customer(name="王芳", phone="13800138000")
        db.session.add_all([kept, duplicate])
        db.session.commit()
        actor = db.session.scalar(select(User).where(User.email == "lead@example.cn"))
        merge_customers(kept, duplicate, actor=actor)
        db.session.commit()
        assert ("customer_merged", kept.id, duplicate.id) in example.events


def test_hook_kefu_survey_submitted(plugin_app, example):
    from core.followups.surveys import create_survey, submit_survey
    from core.models import utcnow

    with plugin_app.app_context():
        customer = Customer(name="王女士")
        ticket = create_ticket(type_key="inquiry", title="电费咨询", customer=customer)
        survey = create_survey(ticket, utcnow())
        submit_survey(survey, scores={"quality": 5, "attitude": 5, "speed": 4}, comment="很好")
        bad = create_survey(ticket, utcnow())
        submit_survey(bad, scores={"quality": 1, "attitude": 3, "speed": 3})
        assert [e for e in example.events if e[0] == "survey"] == [("survey", ticket.id, False), ("survey", ticket.id, True)]


def test_hook_kefu_kpis(plugin_app):
    from datetime import UTC, date, datetime

    from core.models import Team, User
    from core.reports.kpis import Period, Scope

    runner_id = create_user(plugin_app, "runner@example.cn", "example_runner")
    registry = plugin_app.extensions["kefu"].registry
    spec = registry.kpis["example.chases_finished"]
    assert registry.kpi_owner["example.chases_finished"] == "example"
    assert (spec.label.zh, spec.unit, str(spec.target)) == ("催菜完成率", "percent", ">= 90")
    with plugin_app.app_context():
        runner, team = db.session.get(User, runner_id), Team(name="楼面一组")
        db.session.add(team)
        # 00:30 on 1 March in Beijing is still February in UTC; 00:00 on 1 April in Beijing is April.
        first = create_ticket(type_key="example_chase", title="1号台催菜", fields={"table": 1},
                              now=datetime(2026, 2, 28, 16, 30, tzinfo=UTC), team=team)
        second = create_ticket(type_key="example_chase", title="2号台催菜", fields={"table": 2},
                               now=datetime(2026, 3, 15, 4, tzinfo=UTC))
        create_ticket(type_key="example_chase", title="3号台催菜", fields={"table": 3},
                      now=datetime(2026, 3, 20, 4, tzinfo=UTC), team=team)
        create_ticket(type_key="example_chase", title="4号台催菜", fields={"table": 4},
                      now=datetime(2026, 3, 31, 16, tzinfo=UTC))
        for ticket in (first, second):
            transition(ticket, "finish", actor=runner)
        db.session.commit()

        march = spec.compute(Period.month(2026, 3), Scope())
        assert (march.numerator, march.denominator, round(march.value, 2)) == (2, 3, 66.67)
        assert spec.target.met(march.value) is False  # below target: shown as such
        assert sorted(db.session.scalars(march.tickets)) == [first.id, second.id]
        team_march = spec.compute(Period.month(2026, 3), Scope(team_id=team.id))
        assert (team_march.numerator, team_march.denominator, team_march.value) == (1, 2, 50.0)
        empty = spec.compute(Period.day(date(2026, 3, 2)), Scope())
        assert (empty.value, empty.denominator, spec.target.met(empty.value)) == (None, 0, None)


def test_hook_kefu_scheduled_jobs(plugin_app, example):
    from datetime import UTC, datetime, timedelta

    from core.worker import run_due_jobs, run_job

    registry = plugin_app.extensions["kefu"].registry
    assert registry.scheduled_job_owner["example.tick"] == "example"
    assert list(registry.scheduled_jobs)[0] == "core.sla_sweep" and list(registry.scheduled_jobs)[-1] == "core.notifications"
    start = datetime(2025, 3, 17, 1, tzinfo=UTC)
    with plugin_app.app_context():
        outcomes = [o for o in run_due_jobs(now=start) if o.key in ("core.sla_sweep", "example.tick", "core.notifications")]
        assert [(o.key, o.state) for o in outcomes] == [("core.sla_sweep", "done"), ("example.tick", "done"),
                                                         ("core.notifications", "done")]
        assert "example.tick" not in [o.key for o in run_due_jobs(now=start + timedelta(seconds=59))]
        assert "example.tick" in [o.key for o in run_due_jobs(now=start + timedelta(seconds=60))]
        assert run_job("example.tick", now=start + timedelta(seconds=61)).result == 1  # by key, due or not
    assert [event for event in example.events if event[0] == "tick"] == [
        ("tick", start), ("tick", start + timedelta(seconds=60)), ("tick", start + timedelta(seconds=61))]


def test_hook_kefu_search_fields(make_app, example):
    from core.models import SearchOutbox
    from core.search import queue_reindex

    # Left to the worker, so that the outbox rows stay to be looked at.
    plugin_app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"], SEARCH_APPLY="worker")
    registry = plugin_app.extensions["kefu"].registry
    spec = registry.search_fields["table"]
    assert registry.search_field_owner["table"] == "example" and spec.label.zh == "台号"
    with plugin_app.app_context():
        ticket = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8})
        assert spec.extract(ticket) == "8号台"
        db.session.commit()
        db.session.execute(SearchOutbox.__table__.delete())
        db.session.commit()
        # queue_reindex writes to the outbox in the caller's transaction: a rollback takes it back.
        queue_reindex([ticket.id, ticket.id])
        db.session.rollback()
        assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
        queue_reindex([ticket.id])
        db.session.commit()
        rows = db.session.execute(select(SearchOutbox.kind, SearchOutbox.object_id)).all()
        assert rows == [("ticket", ticket.id)]


def test_a_search_field_may_not_take_a_core_filter_name(make_app):
    from core.i18n import Label
    from core.plugins import hookimpl
    from core.plugins.registry import RegistryError
    from core.plugins.specs import SearchFieldSpec

    class Clash:
        @hookimpl
        def kefu_search_fields(self):
            return [SearchFieldSpec("status", Label(zh="状态", en="Status"), extract=lambda ticket: None)]

    try:
        make_app(EXTRA_PLUGINS=[("clash", Clash())], PLUGINS=["clash"])
    except RegistryError as exc:
        assert "status" in str(exc) and "clash" in str(exc)
    else:
        raise AssertionError("a plugin took the core's status: filter")
