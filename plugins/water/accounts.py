"""Accounts and meters: lookups, the checks of the ticket fields that name them, the tickets that name an
account, and what a finished 用水申请 / 过户 / 销户 changes (only ever through these functions)."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.customers.service import create_customer
from core.extensions import db
from core.models import Customer, Ticket, TicketType, audit, utcnow
from core.search import queue_reindex
from plugins.water.areas import area_of_field
from plugins.water.models import Account, Meter

ACCOUNT_NUMBER_DIGITS = 8


def find_account(number):
    number = (number or "").strip()
    return db.session.scalar(select(Account).where(Account.number == number)) if number else None


def find_meter(number):
    number = (number or "").strip()
    return db.session.scalar(select(Meter).where(Meter.number == number)) if number else None


def check_account(number):
    """Field check: an account of the site."""
    if find_account(number) is None:
        raise ValueError(_("There is no account with the number %(number)s.", number=number))


def check_open_account(number):
    """Field check: an account that has not been closed (for a transfer or a closure)."""
    check_account(number)
    if find_account(number).status == "closed":
        raise ValueError(_("Account %(number)s is already closed.", number=number))


def check_meter(number):
    if find_meter(number) is None:
        raise ValueError(_("There is no meter with the number %(number)s.", number=number))


def check_new_meter(number):
    if find_meter(number) is not None:
        raise ValueError(_("Meter %(number)s is already registered.", number=number))


def ticket_account(ticket):
    return find_account((ticket.fields or {}).get("account"))


def ticket_area(ticket):
    """Where the ticket's problem is: its account's area, else the area named on the ticket."""
    account = ticket_account(ticket)
    return account.area if account is not None else area_of_field((ticket.fields or {}).get("area"))


def tickets_with_field(key, values, type_keys):
    """Ids of the tickets of these types whose field `key` holds one of `values`."""
    values = [str(value) for value in values]
    if not values:
        return []
    stored = Ticket.fields[key].as_string()
    query = (select(Ticket.id).join(TicketType, Ticket.type_id == TicketType.id)
             .where(TicketType.key.in_(type_keys), stored.in_(values)))
    return db.session.scalars(query).all()


class AccountChangeRefused(Exception):
    """A finished application cannot change the account; the message says why."""


def _customer_by_phone(name, phone, actor):
    """The customer record with this phone number, else a new one (checked like any customer record)."""
    found = db.session.scalar(select(Customer).where(Customer.phone == phone).order_by(Customer.id).limit(1))
    if found is not None:
        return found
    return create_customer({"name": name, "phone": phone, "kind": "person"}, actor=actor)


def next_account_number():
    numbers = db.session.scalars(select(Account.number).where(func.length(Account.number) == ACCOUNT_NUMBER_DIGITS)
                                 .order_by(Account.number.desc()).limit(20))
    highest = max((int(n) for n in numbers if n.isdigit()), default=10000000)
    return str(highest + 1)


def open_account(ticket, actor, now=None):
    """用水申请 approved: a new account for the ticket's customer, with its meter when one was given."""
    fields = ticket.fields or {}
    if ticket.customer is None:
        raise AccountChangeRefused(_("The application names no customer to open the account for."))
    area = area_of_field(fields.get("area"))
    if area is None:
        raise AccountChangeRefused(_("The application names no service area."))
    account = Account(number=next_account_number(), holder=ticket.customer, address=fields.get("address") or "",
                      area=area, status="active", opened_on=(now or utcnow()).date())
    db.session.add(account)
    if fields.get("meter"):
        if find_meter(fields["meter"]) is not None:
            raise AccountChangeRefused(_("Meter %(number)s is already registered.", number=fields["meter"]))
        db.session.add(Meter(number=fields["meter"], account=account, last_reading=0, installed_on=account.opened_on))
    db.session.flush()
    ticket.fields = {**fields, "account": account.number}
    queue_reindex([ticket.id])  # it is found by its new account number now
    audit.record("water.account_open", actor=actor, target=account, ticket=ticket.id)
    return account, {"account": account.number}


def transfer_account(ticket, actor, now=None):
    """过户 approved: the account gets its new holder."""
    fields = ticket.fields or {}
    account = _open_account_of(fields)
    new_holder = _customer_by_phone(fields["new_holder_name"], fields["new_holder_phone"], actor)
    old_holder = account.holder
    account.holder = new_holder
    audit.record("water.account_transfer", actor=actor, target=account, ticket=ticket.id,
                 old_holder=getattr(old_holder, "id", None), new_holder=new_holder.id)
    return account, {"old_holder": getattr(old_holder, "name", None), "new_holder": new_holder.name}


def close_account(ticket, actor, now=None):
    """销户 approved: the account is closed, its meters taken out with the final reading."""
    fields = ticket.fields or {}
    account = _open_account_of(fields)
    now = now or utcnow()
    account.status, account.closed_at = "closed", now
    for meter in account.meters:
        meter.status = "removed"
        if fields.get("final_reading") is not None:
            meter.last_reading, meter.last_read_on = fields["final_reading"], now.date()
    audit.record("water.account_close", actor=actor, target=account, ticket=ticket.id)
    return account, {"closed": account.number}


def _open_account_of(fields):
    account = find_account(fields.get("account"))
    if account is None:
        raise AccountChangeRefused(_("There is no account with the number %(number)s.", number=fields.get("account")))
    if account.status == "closed":
        raise AccountChangeRefused(_("Account %(number)s is already closed.", number=account.number))
    return account
