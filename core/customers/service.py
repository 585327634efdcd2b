"""Creating, changing and deleting customer records, with the checks every channel (desk, API, import)
shares. The caller commits; each change is written to the audit log in the same transaction."""
import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Customer, Ticket, User, audit

KINDS = ("person", "organisation")
GRADES = ("strategic", "key", "ordinary")  # 战略客户 / 重点客户 / 普通客户
NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
# A mobile number (optionally +86), a landline with its area code and extension, or a 400/800 service line.
PHONE = re.compile(r"^(?:(?:\+86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4})$")
EDITABLE = ("name", "kind", "phone", "email", "address", "grade", "notes", "organisation_id")


class CustomerInputError(ValueError):
    """Input that cannot be saved; `errors` maps a field name to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class CustomerInUse(Exception):
    """Tickets, accounts or member records still point at the customer: deleting it would orphan them."""


class _Invalid(Exception):
    pass


def _stripped(value):
    return str(value).strip() if value is not None else ""


def _name(value, _customer):
    name = _stripped(value)
    if not name:
        raise _Invalid(_("A name is required."))
    if len(name) > NAME_MAX_LENGTH:
        raise _Invalid(_("The name is longer than %(n)d characters.", n=NAME_MAX_LENGTH))
    return name


def _kind(value, _customer):
    if value not in KINDS:
        raise _Invalid(_("Choose person or organisation."))
    return value


def _grade(value, _customer):
    if value not in GRADES:
        raise _Invalid(_("Choose strategic, key or ordinary."))
    return value


def _phone(value, _customer):
    phone = re.sub(r"\s+", "", _stripped(value))
    if not phone:
        return None
    if not PHONE.match(phone):
        raise _Invalid(_("Enter a mobile number (11 digits starting with 1) or a landline such as 010-12345678."))
    return phone


def _email(value, _customer):
    email = _stripped(value)
    if not email:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise _Invalid(_("Enter a valid e-mail address.")) from None


def _address(value, _customer):
    address = _stripped(value)
    if len(address) > ADDRESS_MAX_LENGTH:
        raise _Invalid(_("The address is longer than %(n)d characters.", n=ADDRESS_MAX_LENGTH))
    return address or None


def _notes(value, _customer):
    return _stripped(value) or None


def _organisation(value, customer):
    if value in (None, ""):
        return None
    organisation = db.session.get(Customer, int(value)) if str(value).isdigit() else None
    if organisation is None or organisation.kind != "organisation" or organisation is customer:
        raise _Invalid(_("Choose an existing organisation."))
    return organisation.id


_CLEANERS = {"name": _name, "kind": _kind, "phone": _phone, "email": _email, "address": _address,
             "grade": _grade, "notes": _notes, "organisation_id": _organisation}


def _cleaned(data, customer=None):
    """The checked values of the EDITABLE keys present in `data`; raises CustomerInputError."""
    values, errors = {}, {}
    for key in EDITABLE:
        if key not in data:
            continue
        try:
            values[key] = _CLEANERS[key](data[key], customer)
        except _Invalid as problem:
            errors[key] = str(problem)
    if errors:
        raise CustomerInputError(errors)
    return values


def create_customer(data, *, actor=None):
    """A new record from `data` (the EDITABLE keys; a name is required, kind and grade have defaults)."""
    customer = Customer(**_cleaned({"name": None, "kind": "person", "grade": "ordinary", **data}))
    db.session.add(customer)
    db.session.flush()
    audit.record("customer.create", actor=actor, target=customer)
    return customer


def update_customer(customer, changes, *, actor=None):
    """Apply the EDITABLE keys of `changes`; returns the names of the fields that changed."""
    changed = {key: value for key, value in _cleaned(changes, customer).items() if getattr(customer, key) != value}
    for key, value in changed.items():
        setattr(customer, key, value)
    if changed:
        audit.record("customer.update", actor=actor, target=customer, fields=sorted(changed))
    return sorted(changed)


def delete_customer(customer, *, actor=None):
    references = (select(Ticket.id).where(Ticket.customer_id == customer.id),
                  select(User.id).where(User.customer_id == customer.id),
                  select(Customer.id).where(Customer.organisation_id == customer.id))
    if any(db.session.scalar(query.limit(1)) is not None for query in references):
        raise CustomerInUse()
    audit.record("customer.delete", actor=actor, target=customer, name=customer.name)
    db.session.delete(customer)
