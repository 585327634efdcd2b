"""Who may open which customer record (保密): a record classified above "normal" opens only for roles holding
that level's clearance permission, and every opening states a reason and is written to the access log
(借阅记录). Lists and searches show such a record by its name and level only.

The name of a customer is not protected (ticket pages show it); everything else about a protected record is.
"""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from core.extensions import db
from core.i18n import Label
from core.models import CONFIDENTIALITY, Customer, CustomerAccess

LEVEL_LABELS = {
    "normal": Label(zh="普通", en="Normal"),
    "secret": Label(zh="秘密", en="Secret"),
    "confidential": Label(zh="机密", en="Confidential"),
    "top_secret": Label(zh="绝密", en="Top secret"),
}
REASON_MAX_LENGTH = 500


class NoClearance(Exception):
    """The account may not open records of this level; the message names the level, nothing else."""

    def __init__(self, level):
        super().__init__(_("This customer record is classified %(level)s. Your role has no clearance for it; ask a "
                           "manager or the administrator.", level=LEVEL_LABELS[level]))
        self.level = level


class ReasonRequired(Exception):
    def __init__(self):
        super().__init__(_("This record is protected: state why you open it. The opening is logged."))


def clearance_permission(level):
    """The permission that opens records of `level`; None for normal records."""
    return None if level == "normal" else f"customer.clearance.{level}"


def has_clearance(user, level):
    return level == "normal" or user.can(clearance_permission(level))


def cleared_levels(user):
    return [level for level in CONFIDENTIALITY if has_clearance(user, level)]


def check_clearance(user, customer):
    if not has_clearance(user, customer.confidentiality):
        raise NoClearance(customer.confidentiality)


def log_opening(user, customer, reason, *, channel, ip=None):
    """Record that `user` opens the protected `customer` for `reason`; raises NoClearance or ReasonRequired.
    The caller commits (the row is the 借阅卡, so it is written even when nothing else changes)."""
    check_clearance(user, customer)
    reason = " ".join((reason or "").split())[:REASON_MAX_LENGTH]
    if not reason:
        raise ReasonRequired()
    row = CustomerAccess(customer_id=customer.id, customer_name=customer.name, user_id=user.id,
                         level=customer.confidentiality, reason=reason, channel=channel, ip=ip)
    db.session.add(row)
    return row


def live_customers():
    """A SELECT of the records in the archive (not those merged into another)."""
    return select(Customer).where(Customer.merged_into_id.is_(None))


def details_open_to(user):
    """The condition under which a record's details (phone, grade, tags…) may be searched and filtered by
    `user`: those of levels the user is cleared for. Other records match by name only."""
    return Customer.confidentiality.in_(cleared_levels(user))


def _contains(column, term):
    """`column` contains `term`, ignoring case: SQLite's LIKE already does (for ASCII; Chinese has no case),
    and wrapping the column in lower() as ilike does there makes every search slower."""
    like = f"%{term}%"
    return column.like(like) if db.engine.dialect.name == "sqlite" else column.ilike(like)


def matching(user, term):
    """Records whose name has `term`, or — among those whose details `user` may search — whose phone,
    e-mail or further contacts have it."""
    from core.models import CustomerContact

    term = term.strip()
    # The contacts that match, read first: an IN (subquery) inside the OR costs a full scan per search.
    by_contact = db.session.scalars(select(CustomerContact.customer_id).where(_contains(CustomerContact.value, term))
                                    .limit(1000)).all()
    details = [_contains(Customer.phone, term), _contains(Customer.email, term)]
    if by_contact:
        details.append(Customer.id.in_(by_contact))
    return or_(_contains(Customer.name, term), details_open_to(user) & or_(*details))
