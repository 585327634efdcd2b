"""The plugin's part of the admin panel: floor areas, tables and rooms, guest profiles, and the orders."""
from flask_babel import lazy_gettext as _l

from core.admin.csv_import import CsvImportView
from core.admin.views import SecureModelView
from core.extensions import db
from plugins.catering.imports import ORDER_COLUMNS, TABLE_COLUMNS, save_order_line, save_table
from plugins.catering.models import DiningTable, FloorArea, Guest, Order

CATEGORY = _l("Catering")
KIND_CHOICES = [("table", _l("Table")), ("room", _l("Private room"))]


class AreaView(SecureModelView):
    column_list = ("name", "sort_order")
    column_labels = {"name": _l("Name"), "sort_order": _l("Order"), "tables": _l("Tables"), "created_at": _l("Created")}
    form_columns = ("name", "sort_order")
    column_default_sort = "sort_order"


class TableView(SecureModelView):
    column_list = ("name", "area", "kind", "seats")
    column_labels = {"name": _l("Table"), "area": _l("Floor area"), "kind": _l("Kind"), "seats": _l("Seats"),
                     "sort_order": _l("Order")}
    form_columns = ("name", "area", "kind", "seats", "sort_order")
    column_searchable_list = ("name",)
    column_filters = ("area.name", "kind")
    column_choices = {"kind": KIND_CHOICES}
    form_choices = {"kind": KIND_CHOICES}


class GuestView(SecureModelView):
    column_list = ("customer", "surname", "vip", "visits", "allergies", "preferences")
    column_labels = {"customer": _l("Customer"), "surname": _l("Surname"), "vip": _l("VIP"), "visits": _l("Visits"),
                     "allergies": _l("Allergies"), "preferences": _l("Preferences"), "created_at": _l("Created")}
    form_columns = ("customer", "surname", "vip", "visits", "allergies", "preferences")
    column_searchable_list = ("surname",)
    form_ajax_refs = {"customer": {"fields": ("name", "phone")}}


class OrderView(SecureModelView):
    """Orders are entered on the desk, where their input is checked; the admin panel lists them."""

    column_list = ("number", "table", "covers", "ordered_at")
    column_labels = {"number": _l("Order number"), "table": _l("Table"), "covers": _l("Covers"),
                     "ordered_at": _l("Ordered"), "reservation": _l("Reservation"), "created_at": _l("Created")}
    column_default_sort = ("ordered_at", True)
    can_create = can_edit = can_delete = False


def admin_views():
    return [
        AreaView(FloorArea, db, name=_l("Floor areas"), category=CATEGORY, endpoint="catering_areas"),
        TableView(DiningTable, db, name=_l("Tables and rooms"), category=CATEGORY, endpoint="catering_tables"),
        GuestView(Guest, db, name=_l("Guest profiles"), category=CATEGORY, endpoint="catering_guests"),
        OrderView(Order, db, name=_l("Orders"), category=CATEGORY, endpoint="catering_orders"),
        CsvImportView(name=_l("Import tables"), category=CATEGORY, columns=TABLE_COLUMNS, save_row=save_table,
                      endpoint="catering_table_import",
                      description=_l("One table or room per row with its floor area (created when new) and seats. "
                                     "A table that exists already is updated.")),
        CsvImportView(name=_l("Import orders"), category=CATEGORY, columns=ORDER_COLUMNS, save_row=save_order_line,
                      endpoint="catering_order_import",
                      description=_l("One dish per row, with its order number, table, covers and time ordered "
                                     "(Beijing time), as the POS exports them.")),
    ]
