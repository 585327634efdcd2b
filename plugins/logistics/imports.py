"""CSV import (contract C5) of shipments as the transport system exports them: one row per shipment and status
line. A waybill that exists already (on the site, or earlier in the file) is updated and gets the row's
status line added to its history."""
from flask_babel import gettext as _
from sqlalchemy import select

from core.csvio import CsvColumn, RowError
from core.extensions import db
from core.i18n import Label
from core.models import Customer
from plugins.logistics.search import reindex_shipments
from plugins.logistics.shipments import ShipmentInputError, save_shipment

L = Label
COLUMNS = (
    CsvColumn("waybill", L(zh="运单号", en="Waybill number"), required=True),
    CsvColumn("customer", L(zh="客户", en="Customer")),
    CsvColumn("shipper_name", L(zh="发货人", en="Shipper")),
    CsvColumn("shipper_phone", L(zh="发货人电话", en="Shipper's phone")),
    CsvColumn("consignee_name", L(zh="收货人", en="Consignee")),
    CsvColumn("consignee_phone", L(zh="收货人电话", en="Consignee's phone")),
    CsvColumn("origin", L(zh="始发地", en="Origin")),
    CsvColumn("destination", L(zh="目的地", en="Destination")),
    CsvColumn("weight_kg", L(zh="重量（公斤）", en="Weight (kg)")),
    CsvColumn("declared_value", L(zh="声明价值（元）", en="Declared value (yuan)")),
    CsvColumn("shipped_on", L(zh="发货日期", en="Shipped on")),
    CsvColumn("promised_on", L(zh="承诺到达日期", en="Promised for")),
    CsvColumn("status", L(zh="状态", en="Status")),
    CsvColumn("status_at", L(zh="状态时间", en="Status time")),
    CsvColumn("location", L(zh="地点", en="Location")),
    CsvColumn("note", L(zh="说明", en="Note")),
)


def save_row(values, line):
    customer = None
    if values.get("customer"):
        customer = db.session.scalar(select(Customer).where(Customer.name == values["customer"]).limit(1))
        if customer is None:
            raise RowError(_("There is no customer called %(name)s.", name=values["customer"]), column="customer")
    data = {key: value for key, value in values.items() if key not in ("customer", "status_at", "location", "note")}
    if values.get("status_at"):
        data["events"] = [{"at": values["status_at"], "status": values.get("status"), "location": values.get("location"),
                           "note": values.get("note")}]
    try:
        shipment = save_shipment(data, customer=customer)
    except ShipmentInputError as exc:
        key, message = next(iter(exc.errors.items()))
        column = {"events.0.at": "status_at", "events.0.status": "status"}.get(key, key.partition(".")[0])
        raise RowError(message, column=column) from None
    reindex_shipments([shipment.waybill])
