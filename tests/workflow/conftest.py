"""A claims workflow (理赔) of a test plugin: a waybill must be given to start checking, and paying out needs
the approval of a claims manager above ¥2,000 and of a supervisor below."""
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.extensions import db
from core.i18n import Label
from core.models import User
from core.plugins import hookimpl
from core.plugins.specs import PermissionSpec, RoleSpec, TicketTypeSpec
from core.tickets.fields import FieldSpec
from core.tickets.service import create_ticket
from core.workflow.spec import State, Transition, WorkflowSpec
from tests.api.conftest import Api, add_account

L = Label


def claim_approver(ticket):
    return "claims.approve_large" if Decimal(ticket.fields.get("amount") or 0) > 2000 else "ticket.assign"


class ClaimsPlugin:
    @hookimpl
    def kefu_permissions(self):
        return [PermissionSpec("claims.approve_large", L(zh="审批大额理赔", en="Approve large claims"))]

    @hookimpl
    def kefu_roles(self):
        return [RoleSpec("claims_manager", L(zh="理赔经理", en="Claims manager"), "manager", ("claims.approve_large",))]

    @hookimpl
    def kefu_ticket_types(self):
        return [TicketTypeSpec("claim", L(zh="理赔", en="Claim"), workflow="claim", fields=(
            FieldSpec("waybill", L(zh="运单号", en="Waybill number")),
            FieldSpec("amount", L(zh="赔付金额", en="Amount"), "decimal", min_value=0),
        ))]

    @hookimpl
    def kefu_workflows(self):
        return [WorkflowSpec(
            "claim", L(zh="理赔流程", en="Claims"), initial="open",
            states=(State("open", L(zh="已受理", en="Open"), "open"),
                    State("checking", L(zh="核实中", en="Checking"), "open"),
                    State("paid", L(zh="已赔付", en="Paid"), "resolved"),
                    State("refused", L(zh="不予赔付", en="Refused"), "closed")),
            transitions=(
                Transition("check", L(zh="开始核实", en="Check"), ("open",), "checking", "ticket.transition",
                           requires=("field:waybill",)),
                Transition("pay", L(zh="赔付", en="Pay out"), ("checking",), "paid", "ticket.transition",
                           requires=("field:amount", "comment", "approval"), approver=claim_approver),
                Transition("refuse", L(zh="拒赔", en="Refuse"), ("checking",), "refused", "ticket.transition",
                           requires=("comment",)),
            ),
        )]


@pytest.fixture
def claims(make_app):
    """The app, and the ids of an agent, a supervisor and a claims manager."""
    app = make_app(EXTRA_PLUGINS=[("claims", ClaimsPlugin())], PLUGINS=["claims"])
    ids = SimpleNamespace(app=app)
    for name, role in (("agent", "agent"), ("lead", "supervisor"), ("boss", "claims_manager")):
        setattr(ids, name, add_account(app, f"{name}@example.cn", role))
    return ids


def new_claim(app, status=None, **fields):
    """A claim ticket (moved to `status` "checking" with a waybill when asked); returns its id."""
    from core.workflow.engine import transition

    with app.app_context():
        ticket = create_ticket(type_key="claim", title="货物破损理赔", fields=fields)
        if status == "checking":
            agent = db.session.scalar(db.select(User).where(User.email == "agent@example.cn"))
            transition(ticket, "check", actor=agent, fields={"waybill": "SF1234567890"})
        db.session.commit()
        return ticket.id


@pytest.fixture
def api(claims):
    return {name: Api(claims.app, getattr(claims, name)) for name in ("agent", "lead", "boss")}
