"""The transport system pushes shipments through the REST API (bearer tokens, JSON errors of the core's shape):
POST /api/v1/logistics/shipments creates or updates one with its status lines; GET reads one back."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.api.errors import ApiError, invalid
from core.api.openapi import operation
from core.extensions import db
from core.models import Customer
from plugins.logistics.search import reindex_shipments
from plugins.logistics.shipments import ShipmentInputError, find_shipment, save_shipment

api_bp = Blueprint("logistics_api", __name__, url_prefix="/api/v1/logistics")


@api_bp.errorhandler(ApiError)
def _api_error(exc):
    db.session.rollback()
    return exc.response()


def dump(shipment):
    return {
        "waybill": shipment.waybill, "customer_id": shipment.customer_id, "status": shipment.status,
        "shipper_name": shipment.shipper_name, "shipper_phone": shipment.shipper_phone,
        "consignee_name": shipment.consignee_name, "consignee_phone": shipment.consignee_phone,
        "origin": shipment.origin, "destination": shipment.destination,
        "weight_kg": None if shipment.weight_kg is None else str(shipment.weight_kg),
        "declared_value": None if shipment.declared_value is None else str(shipment.declared_value),
        "shipped_on": shipment.shipped_on.isoformat() if shipment.shipped_on else None,
        "promised_on": shipment.promised_on.isoformat() if shipment.promised_on else None,
        "delivered_at": shipment.delivered_at.isoformat() if shipment.delivered_at else None,
        "events": [{"at": e.at.isoformat(), "status": e.status, "location": e.location, "note": e.note}
                   for e in shipment.events],
    }


@api_bp.post("/shipments")
@operation("logistics", permissions=("logistics.shipment_import",), status=201, errors=(400, 403, 422))
def push_shipment():
    """Create or update a shipment (by waybill) and add its new status lines.

    The body is a JSON object: waybill, shipper_name, shipper_phone, consignee_name, consignee_phone, origin,
    destination, weight_kg, declared_value, shipped_on, promised_on, status, customer_id and events (a list of
    {at, status, location, note}). 201 when the shipment is new, 200 when it was updated."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", _("Send a JSON object with the header Content-Type: application/json."))
    customer = None
    if body.get("customer_id") is not None:
        customer = db.session.get(Customer, body["customer_id"]) if isinstance(body["customer_id"], int) else None
        if customer is None:
            raise invalid({"customer_id": _("There is no such customer.")})
    existed = find_shipment(body.get("waybill")) is not None
    try:
        shipment = save_shipment(body, customer=customer)
    except ShipmentInputError as exc:
        raise invalid(exc.errors) from None
    reindex_shipments([shipment.waybill])
    db.session.commit()
    return jsonify(dump(shipment)), 200 if existed else 201


@api_bp.get("/shipments/<waybill>")
@operation("logistics", permissions=("logistics.shipment_view",), errors=(403, 404))
def get_shipment(waybill):
    """One shipment with its status history."""
    shipment = find_shipment(waybill)
    if shipment is None:
        raise ApiError(404, "not_found", _("There is no shipment with the waybill number %(number)s.", number=waybill))
    return jsonify(dump(shipment))
