"""What the search finds a floor request by: its table (table:8号台), its order number (order:W0520-08) and
its dish."""
from core.i18n import Label
from core.plugins.specs import SearchFieldSpec
from plugins.catering.floor import table_of_field
from plugins.catering.ticket_types import TYPE_KEYS


def _fields(ticket):
    return (ticket.fields or {}) if ticket.type is not None and ticket.type.key in TYPE_KEYS else {}


def table_name(ticket):
    table = table_of_field(_fields(ticket).get("table"))
    return table.name if table is not None else None


def order_number(ticket):
    return _fields(ticket).get("order_number") or None


def dish_name(ticket):
    return _fields(ticket).get("dish") or None


SEARCH_FIELDS = (
    SearchFieldSpec("table", Label(zh="台号", en="Table"), table_name),
    SearchFieldSpec("order", Label(zh="单号", en="Order number"), order_number),
    SearchFieldSpec("dish", Label(zh="菜品", en="Dish"), dish_name),
)
