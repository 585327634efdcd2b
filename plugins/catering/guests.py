"""Guests: a reservation (订座) finds the returning guest by phone and shows the 咨客 their profile (熟记宾客姓氏,
当客人再次光顾时要热情招呼); a new phone number becomes a core customer with a guest profile."""
import re

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Customer
from plugins.catering.models import DiningTable, Guest, Reservation

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")


class ReservationInputError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _digits(phone):
    return re.sub(r"[^0-9+]", "", phone or "")


def find_by_phone(phone):
    phone = _digits(phone)
    if not phone:
        return None
    return db.session.scalar(select(Guest).join(Customer, Customer.id == Guest.customer_id)
                             .where(Customer.phone == phone).order_by(Guest.id).limit(1))


def profile(guest):
    return {"surname": guest.surname, "name": guest.customer.name, "vip": guest.vip, "visits": guest.visits,
            "preferences": guest.preferences or "", "allergies": guest.allergies or ""}


def reserve(*, name, phone, party_size, reserved_for, table_id, special_requests, actor):
    errors = {}
    name, phone_text = (name or "").strip(), (phone or "").strip()
    if not name or len(name) > 80:
        errors["name"] = _("Give the guest's name (up to 80 characters).")
    if not _PHONE.match(phone_text):
        errors["phone"] = _("Give a phone number.")
    size = str(party_size or "").strip()
    if not (size.isdigit() and 1 <= int(size) <= 200):
        errors["party_size"] = _("Give the party size (1 to 200).")
    if reserved_for is None:
        errors["reserved_for"] = _("Give the date and time.")
    table = None
    if str(table_id or "").strip():
        table = db.session.get(DiningTable, int(table_id)) if str(table_id).isdigit() else None
        if table is None:
            errors["table"] = _("There is no such table.")
    if len(special_requests or "") > 1000:
        errors["special_requests"] = _("Special requests are limited to 1000 characters.")
    if errors:
        raise ReservationInputError(errors)
    phone = _digits(phone_text)
    guest = find_by_phone(phone)
    if guest is None:
        customer = db.session.scalar(select(Customer).where(Customer.phone == phone).order_by(Customer.id).limit(1))
        if customer is None:
            customer = Customer(name=name, phone=phone)
            db.session.add(customer)
        guest = Guest(customer=customer, surname=name[0], visits=0, vip=False)
        db.session.add(guest)
    booked = Reservation(guest=guest, name=name, phone=phone, party_size=int(size), reserved_for=reserved_for,
                         table=table, special_requests=(special_requests or "").strip() or None, created_by_id=actor.id)
    db.session.add(booked)
    db.session.flush()
    return booked
