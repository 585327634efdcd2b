"""A throwaway plugin that implements every hook, for the plugin-system tests (datasette's pattern)."""
import os

import click
from flask import Blueprint, render_template
from flask_admin import BaseView, expose
from markupsafe import Markup

from core.admin.views import SecureMixin
from core.auth.permissions import requires
from core.i18n import Label
from core.models import Customer
from core.plugins import hookimpl
from core.plugins.specs import (
    LookupSpec,
    NavItem,
    NotificationKind,
    PermissionSpec,
    RoleSpec,
    ScheduledJob,
    SearchFieldSpec,
    TicketTypeSpec,
)
from core.reports.kpis import KpiResult, KpiSpec
from core.reports.kpis import Target as KpiTarget
from core.sla.policies import SlaPolicySpec, Target
from core.tickets.fields import Choice, FieldSpec
from core.workflow.spec import State, Transition, WorkflowSpec

bp = Blueprint("example", __name__, url_prefix="/example")


@bp.get("/board")
@requires("example.board")
def board():
    return render_template("example/board.html")


class ExampleAdminView(SecureMixin, BaseView):
    @expose("/")
    def index(self):
        return "example admin"


class ExampleChannel:
    """A notification channel that keeps what it sends (stands in for SMS or WeCom)."""

    key = "example_sms"

    def __init__(self, sent):
        self.sent = sent

    def accepts(self, user):
        return user.is_staff

    def send(self, user, notification):
        self.sent.append(("sent", notification.kind, user.id))

    def accepts_customer(self, customer):
        return customer.grade == "strategic"

    def send_to_customer(self, customer, message):
        self.sent.append(("told", message.kind, customer.id))


HALLS = {"1": "牡丹厅", "2": "芙蓉厅"}
SEATS = {"11": ("1号桌", "1"), "12": ("2号桌", "1"), "21": ("1号桌", "2")}  # seat → (name, hall)


def _name(text):
    return Label(zh=text, en=text)


def chases_finished(period, scope):
    """Of the dish chases raised in the period, the share finished."""
    from sqlalchemy import func, select

    from core.extensions import db
    from core.models import Ticket, TicketType

    chases = select(Ticket.id).where(
        Ticket.type_id.in_(select(TicketType.id).where(TicketType.key == "example_chase")),
        Ticket.created_at >= period.start, Ticket.created_at < period.end, *scope.ticket_conditions())
    done = chases.where(Ticket.closed_at.is_not(None))
    count = lambda query: db.session.scalar(select(func.count()).select_from(query.subquery()))  # noqa: E731
    return KpiResult.rate(count(done), count(chases), tickets=done)


TABLE_NAMES = {}  # the plugin's "own data": a table's name, when it has one


def table_of(ticket):
    """The table of a dish chase as its search value ("8号台"), None for other tickets."""
    table = (ticket.fields or {}).get("table")
    return None if table is None else TABLE_NAMES.get(table, f"{table}号台")


class ExamplePlugin:
    def __init__(self):
        self.events = []
        self.runner_id = None
        self.reminders = []  # CareReminder records the care calendar is to show
        self.escalate_to = {}  # level -> user ids an example_chase escalates to

    @hookimpl
    def kefu_permissions(self):
        return [PermissionSpec("example.board", Label(zh="看板", en="Board"))]

    @hookimpl
    def kefu_roles(self):
        return [RoleSpec("example_runner", Label(zh="传菜员", en="Runner"), "agent", ("example.board",))]

    @hookimpl
    def kefu_ticket_types(self):
        return [TicketTypeSpec(
            "example_chase", Label(zh="催菜", en="Dish chase"), workflow="example_quick", category="urgent",
            fields=(
                FieldSpec("table", Label(zh="台号", en="Table"), "integer", required=True, min_value=1, max_value=200),
                FieldSpec("reason", Label(zh="原因", en="Reason"), "choice",
                          choices=(Choice("slow", Label(zh="上菜慢", en="Slow")), Choice("wrong", Label(zh="上错菜", en="Wrong")))),
                FieldSpec("hall", Label(zh="厅", en="Hall"), "lookup", source="example.hall"),
                FieldSpec("seat", Label(zh="桌", en="Seat"), "lookup", source="example.seat", parent="hall",
                          required_if=("reason", "wrong")),
            ),
        )]

    @hookimpl
    def kefu_lookups(self):
        return [
            LookupSpec("example.hall", _name("厅"), options=lambda parent: [Choice(k, _name(v)) for k, v in HALLS.items()],
                       resolve=lambda value: (_name(HALLS[value]), None) if value in HALLS else None),
            LookupSpec("example.seat", _name("桌"),
                       options=lambda parent: [Choice(k, _name(name)) for k, (name, hall) in SEATS.items() if hall == parent],
                       resolve=lambda value: (_name(SEATS[value][0]), SEATS[value][1]) if value in SEATS else None),
        ]

    @hookimpl
    def kefu_workflows(self):
        return [WorkflowSpec(
            "example_quick", Label(zh="快速流程", en="Quick"), initial="open",
            states=(State("open", Label(zh="待处理", en="Open"), "open"),
                    State("done", Label(zh="已完成", en="Done"), "closed")),
            transitions=(Transition("finish", Label(zh="完成", en="Finish"), ("open",), "done", "example.board"),),
        )]

    @hookimpl
    def kefu_kpis(self):
        return [KpiSpec("example.chases_finished", Label(zh="催菜完成率", en="Chases finished"),
                        Label(zh="本期催菜中已完成的比例", en="Share of the period's dish chases that are finished"),
                        chases_finished, unit="percent", target=KpiTarget(">=", 90), sort_order=500)]

    @hookimpl
    def kefu_blueprints(self, app):
        return [bp]

    @hookimpl
    def kefu_admin_views(self, admin, db):
        return [ExampleAdminView(name="Example", endpoint="example_admin", url="/admin/example")]

    @hookimpl
    def kefu_nav_items(self, user):
        return [NavItem("example", Label(zh="楼面看板", en="Floor board"), "example.board", "example.board", order=50)]

    @hookimpl
    def kefu_template_slot(self, name, context):
        if name == "page_footer":
            return Markup('<div id="example-footer">示例插件</div>')
        if name == "page_banner":
            return Markup('<div id="example-banner">明日计划停水</div>')
        return None

    @hookimpl
    def kefu_cli(self, group):
        @group.command("example-hello")
        def hello():
            click.echo("你好 from example")

    @hookimpl
    def kefu_migrations(self):
        return os.path.join(os.path.dirname(__file__), "example_migrations")

    @hookimpl
    def kefu_demo_data(self, session, rng):
        session.add(Customer(name=f"示例客户{rng.randint(1, 9)}", kind="person"))

    @hookimpl
    def kefu_ticket_created(self, ticket, event):
        self.events.append(("created", ticket.id, event.kind))

    @hookimpl
    def kefu_ticket_transitioned(self, ticket, event, from_state, to_state):
        self.events.append(("transitioned", ticket.id, from_state, to_state))

    @hookimpl
    def kefu_ticket_assigned(self, ticket, event):
        self.events.append(("assigned", ticket.id, event.data["to"]))

    @hookimpl
    def kefu_assignment_candidates(self, ticket):
        if ticket.fields.get("table") == 8 and self.runner_id:
            from core.extensions import db
            from core.models import User

            return [(db.session.get(User, self.runner_id), 100, Label(zh="8号台传菜员", en="Runner of table 8"))]
        return []

    @hookimpl
    def kefu_escalation_contacts(self, ticket, level):
        if ticket.type.key != "example_chase" or level not in self.escalate_to:
            return None
        from core.extensions import db
        from core.models import User

        return [db.session.get(User, user_id) for user_id in self.escalate_to[level]]

    @hookimpl
    def kefu_ticket_commented(self, ticket, event):
        self.events.append(("commented", ticket.id, event.public))

    @hookimpl
    def kefu_sla_policies(self):
        return [SlaPolicySpec("example_chase", Label(zh="催菜", en="Dish chase"), ticket_type="example_chase",
                              targets={"resolution": Target(15, business=False)})]

    @hookimpl
    def kefu_notification_channels(self):
        return [ExampleChannel(self.events)]

    @hookimpl
    def kefu_notification_kinds(self):
        # Replaces the core's "assigned" and adds a kind whose table number becomes a label when shown.
        return [NotificationKind("assigned", Label(zh="%(who)s 派给您一张单", en="%(who)s gave you a ticket")),
                NotificationKind("example_dish_late", Label(zh="%(table)s的菜超时未上", en="A dish for %(table)s is late"),
                                 values=lambda data: {"table": Label(zh=f"{data['table']}号台",
                                                                     en=f"table {data['table']}")})]

    @hookimpl
    def kefu_search_fields(self):
        return [SearchFieldSpec("table", Label(zh="台号", en="Table"), extract=table_of)]

    @hookimpl
    def kefu_sla_breached(self, ticket, clock):
        self.events.append(("breached", ticket.id, clock.kind))

    @hookimpl
    def kefu_care_reminders(self, start, end):
        return [reminder for reminder in self.reminders if start <= reminder.on <= end]

    @hookimpl
    def kefu_customer_merged(self, kept, merged):
        self.events.append(("customer_merged", kept.id, merged.id))

    @hookimpl
    def kefu_survey_submitted(self, ticket, survey):
        self.events.append(("survey", ticket.id, survey.is_bad))

    @hookimpl
    def kefu_scheduled_jobs(self):
        def tick(now):
            self.events.append(("tick", now))
            return 1

        return [ScheduledJob("example.tick", Label(zh="示例任务", en="Example job"), every=60, run=tick)]
