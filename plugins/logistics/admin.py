"""The plugin's part of the admin panel: shipments (read-only: the transport system owns them), key accounts,
investigation reports, and the CSV import of shipments."""
from flask_babel import lazy_gettext as _l

from core.admin.csv_import import CsvImportView
from core.admin.views import SecureModelView
from core.extensions import db
from plugins.logistics.imports import COLUMNS, save_row
from plugins.logistics.models import InvestigationReport, KeyAccount, Shipment

CATEGORY = _l("Logistics")


class ShipmentView(SecureModelView):
    column_list = ("waybill", "customer", "shipper_name", "consignee_name", "origin", "destination", "status",
                   "shipped_on", "promised_on", "delivered_at")
    column_labels = {"waybill": _l("Waybill number"), "customer": _l("Customer"), "shipper_name": _l("Shipper"),
                     "consignee_name": _l("Consignee"), "origin": _l("Origin"), "destination": _l("Destination"),
                     "status": _l("Status"), "shipped_on": _l("Shipped"), "promised_on": _l("Promised for"),
                     "delivered_at": _l("Delivered")}
    column_searchable_list = ("waybill", "consignee_name", "shipper_phone", "consignee_phone")
    column_filters = ("status", "origin", "destination")
    can_create = can_edit = False


class KeyAccountView(SecureModelView):
    column_list = ("customer", "owner", "service_plan", "visit_every_days", "next_visit_on", "contact_email")
    column_labels = {"customer": _l("Customer"), "owner": _l("Owner"), "service_plan": _l("Service plan"),
                     "visit_every_days": _l("Visit every (days)"), "next_visit_on": _l("Next visit"),
                     "contact_email": _l("Contact e-mail")}
    form_columns = ("customer", "owner", "service_plan", "visit_every_days", "next_visit_on", "contact_email")
    form_ajax_refs = {"customer": {"fields": ("name", "phone")}, "owner": {"fields": ("name", "email")}}


class InvestigationView(SecureModelView):
    column_list = ("ticket_id", "cause", "responsibility", "corrective_action", "filed_by", "filed_at")
    column_labels = {"ticket_id": _l("Ticket"), "cause": _l("Cause"), "responsibility": _l("Responsibility"),
                     "corrective_action": _l("Corrective action"), "filed_by": _l("Filed by"),
                     "filed_at": _l("Filed")}
    can_create = can_edit = False


def admin_views():
    return [
        ShipmentView(Shipment, db, name=_l("Shipments"), category=CATEGORY, endpoint="logistics_shipments"),
        KeyAccountView(KeyAccount, db, name=_l("Key accounts"), category=CATEGORY, endpoint="logistics_key_accounts"),
        InvestigationView(InvestigationReport, db, name=_l("Investigation reports"), category=CATEGORY,
                          endpoint="logistics_investigations"),
        CsvImportView(name=_l("Import shipments"), category=CATEGORY, columns=COLUMNS, save_row=save_row,
                      endpoint="logistics_shipment_import",
                      description=_l("One shipment and status line per row. A waybill that exists already is "
                                     "updated and its status line added.")),
    ]
