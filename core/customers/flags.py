"""Problem customers (劣质客户): an agent proposes the flag with a reason, a supervisor (customer.confirm_problem)
confirms or refuses it, and a confirmed flag can be lifted again; every step is kept on the flag row and in
the audit log, and the people who may decide are notified of a proposal."""
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import CustomerFlag, Permission, User, audit, role_permissions, user_roles, utcnow
from core.notifications import notify

CONFIRM_PERMISSION = "customer.confirm_problem"


class FlagError(Exception):
    pass


def _text(value):
    return " ".join((value or "").split())


def open_flag(customer):
    """The proposal waiting for a decision, or None."""
    return db.session.scalar(select(CustomerFlag).where(CustomerFlag.customer_id == customer.id,
                                                        CustomerFlag.state == "proposed"))


def history(customer):
    return db.session.scalars(select(CustomerFlag).where(CustomerFlag.customer_id == customer.id)
                              .order_by(CustomerFlag.id.desc())).all()


def _deciders():
    holders = (select(User).join(user_roles, user_roles.c.user_id == User.id)
               .join(role_permissions, role_permissions.c.role_id == user_roles.c.role_id)
               .join(Permission, Permission.id == role_permissions.c.permission_id)
               .where(Permission.key == CONFIRM_PERMISSION, User.kind == "staff", User.is_active_account.is_(True))
               .distinct())
    return [user for user in db.session.scalars(holders) if user.can(CONFIRM_PERMISSION)]


def propose(customer, *, actor, reason, now=None):
    reason = _text(reason)
    if not reason:
        raise FlagError(_("Say why this customer should be flagged."))
    if customer.problem:
        raise FlagError(_("This customer is already flagged as a problem customer."))
    if open_flag(customer) is not None:
        raise FlagError(_("A proposal for this customer is already waiting for a decision."))
    flag = CustomerFlag(customer_id=customer.id, reason=reason, proposed_by_id=actor.id, proposed_at=now or utcnow())
    db.session.add(flag)
    db.session.flush()
    audit.record("customer.flag_propose", actor=actor, target=customer, flag=flag.id, reason=reason)
    for user in _deciders():
        if user.id != actor.id:
            notify(user, "problem_customer_proposed", by=actor.name, customer=customer.id)
    return flag


def decide(flag, *, actor, confirm, note="", now=None):
    """Confirm or refuse a proposal. The one who proposed it does not decide it."""
    if not actor.can(CONFIRM_PERMISSION):
        raise FlagError(_("Only a supervisor or above decides on problem customers."))
    if flag.state != "proposed":
        raise FlagError(_("This proposal was already decided."))
    if flag.proposed_by_id == actor.id:
        raise FlagError(_("Someone other than the proposer must decide."))
    flag.state = "confirmed" if confirm else "refused"
    flag.decided_by_id, flag.decided_at, flag.decision_note = actor.id, now or utcnow(), _text(note) or None
    if confirm:
        flag.customer.problem = True
    audit.record("customer.flag_confirm" if confirm else "customer.flag_refuse", actor=actor, target=flag.customer,
                 flag=flag.id, note=flag.decision_note)
    return flag


def lift(customer, *, actor, note, now=None):
    """Take a confirmed flag away again, with the reason."""
    if not actor.can(CONFIRM_PERMISSION):
        raise FlagError(_("Only a supervisor or above decides on problem customers."))
    note = _text(note)
    if not note:
        raise FlagError(_("Say why the flag is lifted."))
    flag = db.session.scalar(select(CustomerFlag).where(CustomerFlag.customer_id == customer.id,
                                                        CustomerFlag.state == "confirmed")
                             .order_by(CustomerFlag.id.desc()))
    if flag is None or not customer.problem:
        raise FlagError(_("This customer is not flagged."))
    flag.state, flag.lifted_by_id, flag.lifted_at, flag.lift_note = "lifted", actor.id, now or utcnow(), note
    customer.problem = False
    audit.record("customer.flag_lift", actor=actor, target=customer, flag=flag.id, note=note)
    return flag
