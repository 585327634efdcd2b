"""The panel beside a floor request on the desk: its table and area, the order's dishes with their times, and
the guest (VIP, allergies, preferences) when the order came with a reservation."""
from flask import render_template
from sqlalchemy import select

from core.extensions import db
from plugins.catering.models import FloorRequest, Guest, Order, Reservation
from plugins.catering.ticket_types import TYPE_KEYS


def ticket_panel(ticket):
    if ticket.type.key not in TYPE_KEYS:
        return None
    found = db.session.get(FloorRequest, ticket.id)
    if found is None:
        return None
    number = (ticket.fields or {}).get("order_number")
    order = db.session.scalar(select(Order).where(Order.number == number)) if number else None
    guest = order.reservation.guest if order is not None and order.reservation is not None else None
    return render_template("catering/ticket_panel.html", table=found.table, order=order, guest=guest)


def merge_guests(kept, merged):
    """A customer merged into another: its guest profile moves along, or adds its visits to the kept one's."""
    moving = db.session.scalar(select(Guest).where(Guest.customer_id == merged.id))
    if moving is None:
        return
    staying = db.session.scalar(select(Guest).where(Guest.customer_id == kept.id))
    if staying is None:
        moving.customer_id = kept.id
        return
    staying.visits += moving.visits
    staying.vip = staying.vip or moving.vip
    for attribute in ("allergies", "preferences"):
        values = [v for v in (getattr(staying, attribute), getattr(moving, attribute)) if v]
        setattr(staying, attribute, "；".join(dict.fromkeys(values)) or None)
    db.session.execute(Reservation.__table__.update().where(Reservation.guest_id == moving.id)
                       .values(guest_id=staying.id))
    db.session.delete(moving)
