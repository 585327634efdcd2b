"""Shipments as the transport system sends them: looked up by waybill, saved (pushed by the API or imported by
CSV) with their status history, and shown to a customer only when the shipment is theirs."""
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from plugins.logistics.models import SHIPMENT_STATES, Shipment, ShipmentEvent

L = Label
STATE_LABELS = {
    "created": L(zh="已下单", en="Booked"), "picked_up": L(zh="已揽收", en="Picked up"),
    "in_transit": L(zh="运输中", en="In transit"), "out_for_delivery": L(zh="派送中", en="Out for delivery"),
    "delivered": L(zh="已签收", en="Delivered"), "exception": L(zh="异常", en="Exception"),
    "returned": L(zh="已退回", en="Returned"),
}


class ShipmentInputError(ValueError):
    def __init__(self, errors):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def normalise_waybill(text):
    return "".join(str(text or "").split()).upper()


def find_shipment(waybill):
    number = normalise_waybill(waybill)
    if not number:
        return None
    return db.session.scalar(select(Shipment).where(Shipment.waybill == number))


def check_waybill(value):
    """A ticket field's rule: the waybill must be one the transport system sent us."""
    if find_shipment(value) is None:
        raise ValueError(_("There is no shipment with the waybill number %(number)s.", number=value))


def ticket_shipment(ticket):
    return find_shipment((ticket.fields or {}).get("waybill"))


def _digits(phone):
    return "".join(ch for ch in str(phone or "") if ch.isdigit())


def customer_may_see(shipment, customer):
    """A customer sees a shipment that is theirs: they are its account, or its shipper's or consignee's phone is
    theirs. Nobody else's."""
    if shipment is None or customer is None:
        return False
    if shipment.customer_id == customer.id:
        return True
    mine = _digits(customer.phone)
    return bool(mine) and mine in (_digits(shipment.shipper_phone), _digits(shipment.consignee_phone))


def _text(data, key, errors, max_length, required=False):
    value = " ".join(str(data.get(key) or "").split())
    if required and not value:
        errors[key] = _("This is required.")
    elif len(value) > max_length:
        errors[key] = _("At most %(n)d characters.", n=max_length)
    return value or None


def _decimal(data, key, errors):
    raw = data.get(key)
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0 or value >= 10**9:
        errors[key] = _("Write a number of at least 0, such as 12.5.")
        return None
    return value.quantize(Decimal("0.01"))


def _date(data, key, errors):
    raw = data.get(key)
    if raw in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(raw).strip()).date() if "T" in str(raw) else \
            datetime.strptime(str(raw).strip().replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        errors[key] = _("Write the date as 2026-05-31.")
        return None


def _instant(raw):
    from datetime import timezone

    value = datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        from flask_babel import to_utc

        return to_utc(value).replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _state(value, errors, key="status"):
    if value in (None, ""):
        return None
    text = str(value).strip()
    for state, label in STATE_LABELS.items():
        if text.casefold() in (state, label.zh, label.en.casefold()):
            return state
    errors[key] = _("Write one of: %(names)s.", names=", ".join(SHIPMENT_STATES))
    return None


def clean_events(raw_events, errors):
    events = []
    if raw_events in (None, ""):
        return events
    if not isinstance(raw_events, list):
        errors["events"] = _("Send the status history as a list.")
        return events
    for n, raw in enumerate(raw_events):
        if not isinstance(raw, dict):
            errors[f"events.{n}"] = _("Each status is an object with at, status, location and note.")
            continue
        try:
            at = _instant(raw.get("at"))
        except (TypeError, ValueError):
            errors[f"events.{n}.at"] = _("Write the time as 2026-05-31T14:30:00+08:00.")
            continue
        state = _state(raw.get("status"), errors, f"events.{n}.status")
        if state is None:
            errors.setdefault(f"events.{n}.status", _("This is required."))
            continue
        events.append({"at": at, "status": state, "location": _text(raw, "location", errors, 120),
                       "note": _text(raw, "note", errors, 500)})
    return events


def save_shipment(data, customer=None):
    """Create or update the shipment of ``data["waybill"]`` and add the status lines it does not have yet.
    Raises ShipmentInputError with every problem; nothing is written then. The caller commits."""
    errors = {}
    waybill = normalise_waybill(data.get("waybill"))
    if not waybill:
        errors["waybill"] = _("This is required.")
    elif len(waybill) > 40 or not waybill.replace("-", "").isalnum():
        errors["waybill"] = _("Write the waybill number as printed: letters and digits, at most 40.")
    shipment = find_shipment(waybill) if "waybill" not in errors else None
    new = shipment is None
    values = {
        "shipper_name": _text(data, "shipper_name", errors, 200, required=new),
        "shipper_phone": _text(data, "shipper_phone", errors, 40),
        "consignee_name": _text(data, "consignee_name", errors, 200, required=new),
        "consignee_phone": _text(data, "consignee_phone", errors, 40),
        "origin": _text(data, "origin", errors, 80, required=new),
        "destination": _text(data, "destination", errors, 80, required=new),
        "weight_kg": _decimal(data, "weight_kg", errors),
        "declared_value": _decimal(data, "declared_value", errors),
        "shipped_on": _date(data, "shipped_on", errors),
        "promised_on": _date(data, "promised_on", errors),
        "status": _state(data.get("status"), errors),
    }
    events = clean_events(data.get("events"), errors)
    if errors:
        raise ShipmentInputError(errors)
    if new:
        shipment = Shipment(waybill=waybill, status="created")
        db.session.add(shipment)
    for key, value in values.items():
        if value is not None:
            setattr(shipment, key, value)
    if customer is not None:
        shipment.customer = customer
    known = {(event.at, event.status) for event in shipment.events}
    for event in sorted(events, key=lambda e: e["at"]):
        if (event["at"], event["status"]) not in known:
            shipment.events.append(ShipmentEvent(**event))
    if shipment.events:
        latest = max(shipment.events, key=lambda e: e.at)
        if values["status"] is None:
            shipment.status = latest.status
        delivered = [e.at for e in shipment.events if e.status == "delivered"]
        shipment.delivered_at = min(delivered) if delivered else shipment.delivered_at
    db.session.flush()
    return shipment


def on_customer_merged(kept, merged):
    """A merged customer's shipments and key account move to the record kept (which keeps its own account)."""
    from sqlalchemy import delete, update

    from plugins.logistics.models import KeyAccount

    db.session.execute(update(Shipment).where(Shipment.customer_id == merged.id).values(customer_id=kept.id))
    if KeyAccount.of_customer(kept.id) is None:
        db.session.execute(update(KeyAccount).where(KeyAccount.customer_id == merged.id).values(customer_id=kept.id))
    else:
        db.session.execute(delete(KeyAccount).where(KeyAccount.customer_id == merged.id))
