"""The plugin's part of the admin panel: estates, buildings (with their butler), units, rooms, occupants, the
monthly fees, and the two CSV imports."""
from flask_babel import lazy_gettext as _l

from core.admin.csv_import import CsvImportView
from core.admin.views import SecureModelView
from core.extensions import db
from plugins.property.imports import ESTATE_COLUMNS, FEE_COLUMNS, save_fee, save_room
from plugins.property.models import Building, Estate, MonthlyFee, Occupant, Room, Unit

CATEGORY = _l("Property")


class EstateView(SecureModelView):
    column_list = ("name", "address")
    column_labels = {"name": _l("Name"), "address": _l("Address"), "buildings": _l("Buildings"),
                     "created_at": _l("Created")}
    form_columns = ("name", "address")
    column_searchable_list = ("name",)


class BuildingView(SecureModelView):
    column_list = ("estate", "name", "butler")
    column_labels = {"estate": _l("Estate"), "name": _l("Name"), "butler": _l("Butler"), "units": _l("Units")}
    form_columns = ("estate", "name", "butler")
    column_searchable_list = ("name",)


class UnitView(SecureModelView):
    column_list = ("building", "name")
    column_labels = {"building": _l("Building"), "name": _l("Name"), "rooms": _l("Rooms")}
    form_columns = ("building", "name")


class RoomView(SecureModelView):
    column_list = ("unit", "number", "area_m2")
    column_labels = {"unit": _l("Unit"), "number": _l("Room"), "area_m2": _l("Floor area (m²)"),
                     "occupants": _l("Owners and residents")}
    form_columns = ("unit", "number", "area_m2")
    column_searchable_list = ("number",)


RELATION_CHOICES = [("owner", _l("Home owner")), ("resident", _l("Resident"))]


class OccupantView(SecureModelView):
    column_list = ("room", "customer", "relation")
    column_labels = {"room": _l("Room"), "customer": _l("Customer"), "relation": _l("Owner or resident")}
    form_columns = ("room", "customer", "relation")
    column_choices = {"relation": RELATION_CHOICES}
    form_choices = {"relation": RELATION_CHOICES}
    form_ajax_refs = {"customer": {"fields": ("name", "phone")}}


class FeeView(SecureModelView):
    column_list = ("room", "month", "amount_due", "amount_paid")
    column_labels = {"room": _l("Room"), "month": _l("Month"), "amount_due": _l("Fee due"),
                     "amount_paid": _l("Fee paid")}
    form_columns = ("room", "month", "amount_due", "amount_paid")
    column_default_sort = ("month", True)


def admin_views():
    return [
        EstateView(Estate, db, name=_l("Estates"), category=CATEGORY, endpoint="property_estates"),
        BuildingView(Building, db, name=_l("Buildings"), category=CATEGORY, endpoint="property_buildings"),
        UnitView(Unit, db, name=_l("Units"), category=CATEGORY, endpoint="property_units"),
        RoomView(Room, db, name=_l("Rooms"), category=CATEGORY, endpoint="property_rooms"),
        OccupantView(Occupant, db, name=_l("Owners and residents"), category=CATEGORY, endpoint="property_occupants"),
        FeeView(MonthlyFee, db, name=_l("Monthly fees"), category=CATEGORY, endpoint="property_fees"),
        CsvImportView(name=_l("Import the estate structure"), category=CATEGORY, columns=ESTATE_COLUMNS,
                      save_row=save_room, endpoint="property_estate_import",
                      description=_l("One room per row: estate, building, unit, room, with its owner or resident "
                                     "and the building's butler. Names that exist already are reused.")),
        CsvImportView(name=_l("Import monthly fees"), category=CATEGORY, columns=FEE_COLUMNS, save_row=save_fee,
                      endpoint="property_fee_import",
                      description=_l("One room and month per row, with the management fee due and paid. A month "
                                     "imported again is replaced.")),
    ]
