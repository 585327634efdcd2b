"""Creating, changing and deleting customer records and their contacts, with the checks every channel (desk,
API, import, admin panel) shares. The caller commits; each change is written to the audit log in the same
transaction."""
import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from core.customers.access import LEVEL_LABELS, has_clearance
from core.customers.grades import find_grade
from core.extensions import db
from core.i18n import Label
from core.models import CONTACT_KINDS, Customer, CustomerContact, Ticket, TicketEvent, User, audit, utcnow
from core.tickets.relations import RelationError, tag_rows

KINDS = ("person", "organisation")
KIND_LABELS = {"person": Label(zh="个人", en="Person"), "organisation": Label(zh="单位", en="Organisation")}
CONTACT_LABELS = {"phone": Label(zh="电话", en="Phone"), "email": Label(zh="电子邮箱", en="E-mail"),
                  "wechat": Label(zh="微信", en="WeChat"), "address": Label(zh="地址", en="Address"),
                  "other": Label(zh="其他", en="Other")}
NAME_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 300
CONTACT_NAME_MAX_LENGTH = 120
CONTACT_NOTE_MAX_LENGTH = 200
# A mobile number (optionally +86), a landline with its area code and extension, or a 400/800 service line.
PHONE = re.compile(r"^(?:(?:\+86)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|[48]00-?\d{3}-?\d{4})$")
# A WeChat ID: 6–20 letters, digits, "_" or "-", starting with a letter; or the mobile number it was made with.
WECHAT = re.compile(r"^(?:[A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9})$")
EDITABLE = ("name", "kind", "phone", "email", "address", "grade", "credit_grade", "birthday", "notes",
            "organisation_id", "confidentiality", "tags")


class CustomerInputError(ValueError):
    """Input that cannot be saved; `errors` maps a field name to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class CustomerInUse(Exception):
    """Tickets, accounts or member records still point at the customer: deleting it would orphan them."""


class Invalid(ValueError):
    """One value that cannot be saved; also what the CSV import reports for a cell."""


def _stripped(value):
    return str(value).strip() if value is not None else ""


def clean_name(value, _customer=None):
    name = " ".join(_stripped(value).split())
    if not name:
        raise Invalid(_("A name is required."))
    if len(name) > NAME_MAX_LENGTH:
        raise Invalid(_("The name is longer than %(n)d characters.", n=NAME_MAX_LENGTH))
    return name


def clean_kind(value, _customer=None):
    wanted = _stripped(value).casefold()
    for key, label in KIND_LABELS.items():
        if wanted in (key, label.zh, label.en.casefold()):
            return key
    raise Invalid(_("Choose person or organisation."))


def _clean_grade(scheme, value, required):
    text = _stripped(value)
    if not text:
        if required:
            raise Invalid(_("Choose a grade."))
        return None
    grade = find_grade(scheme, text)
    if grade is None:
        raise Invalid(_("Unknown grade %(value)s; the site's grades are listed in the admin panel.", value=text))
    return grade.key


def clean_grade(value, _customer=None):
    return _clean_grade("grade", value, required=True)


def clean_credit_grade(value, _customer=None):
    return _clean_grade("credit", value, required=False)


def clean_phone(value, _customer=None):
    phone = re.sub(r"\s+", "", _stripped(value))
    if not phone:
        return None
    if not PHONE.match(phone):
        raise Invalid(_("Enter a mobile number (11 digits starting with 1) or a landline such as 010-12345678."))
    return phone


def clean_email(value, _customer=None):
    email = _stripped(value)
    if not email:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise Invalid(_("Enter a valid e-mail address.")) from None


def clean_address(value, _customer=None):
    address = _stripped(value)
    if len(address) > ADDRESS_MAX_LENGTH:
        raise Invalid(_("The address is longer than %(n)d characters.", n=ADDRESS_MAX_LENGTH))
    return address or None


def clean_birthday(value, _customer=None):
    if isinstance(value, date):
        day = value
    else:
        text = _stripped(value).replace("/", "-").replace(".", "-")
        if not text:
            return None
        try:
            day = date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise Invalid(_("Write the birthday as a date such as 1980-05-31.")) from None
    if not date(1900, 1, 1) <= day <= date.today():
        raise Invalid(_("The birthday must be between 1900 and today."))
    return day


def clean_notes(value, _customer=None):
    return _stripped(value) or None


def clean_confidentiality(value, _customer=None):
    wanted = _stripped(value).casefold() or "normal"
    for key, label in LEVEL_LABELS.items():
        if wanted in (key, label.zh, label.en.casefold()):
            return key
    raise Invalid(_("Choose normal, secret, confidential or top secret."))


def clean_tags(value, _customer=None):
    names = value if isinstance(value, (list, tuple)) else re.split(r"[,，;；]", _stripped(value))
    try:
        return tag_rows(str(name) for name in names)
    except RelationError as exc:
        raise Invalid(str(exc)) from None


def _organisation(value, customer):
    if value in (None, ""):
        return None
    organisation = db.session.get(Customer, int(value)) if str(value).isdigit() else None
    if (organisation is None or organisation.kind != "organisation" or organisation is customer
            or organisation.merged_into_id is not None):
        raise Invalid(_("Choose an existing organisation."))
    return organisation.id


_CLEANERS = {"name": clean_name, "kind": clean_kind, "phone": clean_phone, "email": clean_email,
             "address": clean_address, "grade": clean_grade, "credit_grade": clean_credit_grade,
             "birthday": clean_birthday, "notes": clean_notes, "organisation_id": _organisation,
             "confidentiality": clean_confidentiality, "tags": clean_tags}


def _cleaned(data, customer=None):
    """The checked values of the EDITABLE keys present in `data`; raises CustomerInputError."""
    values, errors = {}, {}
    for key in EDITABLE:
        if key not in data:
            continue
        try:
            values[key] = _CLEANERS[key](data[key], customer)
        except Invalid as problem:
            errors[key] = str(problem)
    if errors:
        raise CustomerInputError(errors)
    return values


def _check_level(actor, *levels):
    """Only someone cleared for a level may give a record that level or take it away."""
    for level in levels:
        if actor is not None and not has_clearance(actor, level):
            raise CustomerInputError({"confidentiality": _("You have no clearance for the level %(level)s.",
                                                           level=LEVEL_LABELS[level])})


def create_customer(data, *, actor=None):
    """A new record from `data` (the EDITABLE keys; a name is required, kind, grade and level have defaults)."""
    values = _cleaned({"name": None, "kind": "person", "grade": "ordinary", "confidentiality": "normal", **data})
    _check_level(actor, values["confidentiality"])
    customer = Customer(**values)
    db.session.add(customer)
    db.session.flush()
    audit.record("customer.create", actor=actor, target=customer)
    return customer


def update_customer(customer, changes, *, actor=None):
    """Apply the EDITABLE keys of `changes`; returns the names of the fields that changed."""
    values = _cleaned(changes, customer)
    if "confidentiality" in values and values["confidentiality"] != customer.confidentiality:
        _check_level(actor, customer.confidentiality, values["confidentiality"])
    changed = {key: value for key, value in values.items() if getattr(customer, key) != value}
    for key, value in changed.items():
        setattr(customer, key, value)
    if changed:
        audit.record("customer.update", actor=actor, target=customer, fields=sorted(changed))
    return sorted(changed)


def mark_verified(customer, *, actor):
    """Staff checked that a public-form record's contact details are real."""
    if not customer.verified:
        customer.verified = True
        audit.record("customer.verify", actor=actor, target=customer)


def delete_customer(customer, *, actor=None):
    references = (select(Ticket.id).where(Ticket.customer_id == customer.id),
                  select(User.id).where(User.customer_id == customer.id),
                  select(Customer.id).where(Customer.organisation_id == customer.id),
                  select(Customer.id).where(Customer.merged_into_id == customer.id))
    if any(db.session.scalar(query.limit(1)) is not None for query in references):
        raise CustomerInUse()
    audit.record("customer.delete", actor=actor, target=customer, name=customer.name)
    db.session.delete(customer)


# Contacts ---------------------------------------------------------------------------------------------------


def _contact_value(kind, value):
    if kind == "phone":
        phone = clean_phone(value)
        if phone is None:
            raise Invalid(_("Enter the phone number."))
        return phone
    if kind == "email":
        email = clean_email(value)
        if email is None:
            raise Invalid(_("Enter the e-mail address."))
        return email
    text = _stripped(value)
    if not text:
        raise Invalid(_("Enter the contact."))
    if kind == "wechat" and not WECHAT.match(text):
        raise Invalid(_("A WeChat ID has 6 to 20 letters, digits, - or _, and starts with a letter."))
    if len(text) > ADDRESS_MAX_LENGTH:
        raise Invalid(_("The address is longer than %(n)d characters.", n=ADDRESS_MAX_LENGTH))
    return text


def add_contact(customer, *, kind, value, name=None, note=None, actor=None):
    """A further phone, e-mail address, WeChat ID or address (optionally of a named contact person)."""
    errors = {}
    if kind not in CONTACT_KINDS:
        errors["kind"] = _("Choose phone, e-mail, WeChat, address or other.")
    else:
        try:
            value = _contact_value(kind, value)
        except Invalid as exc:
            errors["value"] = str(exc)
    name, note = _stripped(name) or None, _stripped(note) or None
    if name and len(name) > CONTACT_NAME_MAX_LENGTH:
        errors["name"] = _("The name is longer than %(n)d characters.", n=CONTACT_NAME_MAX_LENGTH)
    if note and len(note) > CONTACT_NOTE_MAX_LENGTH:
        errors["note"] = _("The note is longer than %(n)d characters.", n=CONTACT_NOTE_MAX_LENGTH)
    if errors:
        raise CustomerInputError(errors)
    contact = CustomerContact(kind=kind, value=value, name=name, note=note)
    customer.contacts.append(contact)
    db.session.flush()
    audit.record("customer.contact_add", actor=actor, target=customer, contact=contact.id, kind=kind)
    return contact


def remove_contact(customer, contact, *, actor=None):
    audit.record("customer.contact_remove", actor=actor, target=customer, contact=contact.id, kind=contact.kind)
    customer.contacts.remove(contact)


# Tickets from the public form -----------------------------------------------------------------------------


def possible_matches(customer, limit=5):
    """Verified records with the same e-mail address or phone as an unverified one: whom staff may link its
    request to once they checked who sent it."""
    conditions = []
    if customer.email:
        conditions.append(func.lower(Customer.email) == customer.email.lower())
    if customer.phone:
        conditions.append(Customer.phone == customer.phone)
    if not conditions:
        return []
    query = (select(Customer).where(Customer.id != customer.id, Customer.verified.is_(True),
                                    Customer.merged_into_id.is_(None), or_(*conditions))
             .order_by(Customer.id).limit(limit))
    return db.session.scalars(query).all()


def link_ticket(ticket, customer, *, actor):
    """Move `ticket` to the record of the customer it really belongs to. An unverified public-form record
    left with no tickets or accounts is merged into that record, so the contact details typed are kept."""
    from core.customers.merge import merge_customers

    previous = ticket.customer
    if previous is not None and previous.id == customer.id:
        return False
    ticket.customer = customer
    db.session.add(TicketEvent(ticket=ticket, kind="customer_change", actor=actor, public=False, created_at=utcnow(),
                               data={"from": getattr(previous, "id", None), "to": customer.id}))
    db.session.flush()
    if previous is not None and not previous.verified and previous.kind == customer.kind:
        in_use = (select(Ticket.id).where(Ticket.customer_id == previous.id),
                  select(User.id).where(User.customer_id == previous.id))
        if all(db.session.scalar(query.limit(1)) is None for query in in_use):
            merge_customers(customer, previous, actor=actor)
    return True
