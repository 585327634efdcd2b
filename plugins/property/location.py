"""Where a ticket is: estate → building → unit → room, as the core's level-by-level "lookup" fields (the value of
each is the record's id), and the building a ticket's location lies in."""
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.plugins.specs import LookupSpec
from core.tickets.fields import Choice
from plugins.property.models import Building, Estate, Room, Unit


def _get(model, value):
    value = str(value or "").strip()
    return db.session.get(model, int(value)) if value.isdigit() else None


def _same(text):
    return Label(zh=text, en=text)


def _lookup(key, label, model, parent_column, order, name_of, parent_of):
    def options(parent):
        query = select(model).order_by(order)
        if parent_column is not None:
            if not str(parent or "").isdigit():
                return []
            query = query.where(parent_column == int(parent))
        return [Choice(str(row.id), _same(name_of(row))) for row in db.session.scalars(query)]

    def resolve(value):
        row = _get(model, value)
        return (_same(name_of(row)), parent_of(row)) if row is not None else None

    return LookupSpec(key, label, options=options, resolve=resolve)


def lookups():
    return [
        _lookup("property.estate", Label(zh="小区", en="Estate"), Estate, None, Estate.name,
                lambda row: row.name, lambda row: None),
        _lookup("property.building", Label(zh="楼栋", en="Building"), Building, Building.estate_id, Building.name,
                lambda row: row.name, lambda row: str(row.estate_id)),
        _lookup("property.unit", Label(zh="单元", en="Unit"), Unit, Unit.building_id, Unit.name,
                lambda row: row.name, lambda row: str(row.building_id)),
        _lookup("property.room", Label(zh="房号", en="Room"), Room, Room.unit_id, Room.number,
                lambda row: row.number, lambda row: str(row.unit_id)),
    ]


def ticket_estate(ticket):
    return _get(Estate, (ticket.fields or {}).get("estate"))


def ticket_building(ticket):
    return _get(Building, (ticket.fields or {}).get("building"))


def ticket_room(ticket):
    return _get(Room, (ticket.fields or {}).get("room"))


def describe(ticket):
    """"阳光花园 3栋 2单元 1201": the ticket's location as far as it is given."""
    fields = ticket.fields or {}
    parts = [_get(model, fields.get(key)) for key, model in
             (("estate", Estate), ("building", Building), ("unit", Unit), ("room", Room))]
    return " ".join(part.number if isinstance(part, Room) else part.name for part in parts if part is not None)


def find_room(estate, building, unit, number):
    """A room by the names of its estate, building, unit and its number, or None."""
    return db.session.scalar(
        select(Room).join(Unit).join(Building).join(Estate)
        .where(Estate.name == estate, Building.name == building, Unit.name == unit, Room.number == number))


def location_fields(room=None, building=None):
    """The ticket field values that place a ticket in this room (or in this building's public area)."""
    if room is not None:
        unit = room.unit
        building = unit.building
        return {"estate": str(building.estate_id), "building": str(building.id), "unit": str(unit.id),
                "room": str(room.id)}
    if building is not None:
        return {"estate": str(building.estate_id), "building": str(building.id)}
    return {}


def move_occupants(kept, merged):
    """A customer record merged into another: the rooms it owned or lived in are the kept record's (a room
    both were linked to keeps one link)."""
    from plugins.property.models import Occupant

    kept_links = {(row.room_id, row.relation) for row in
                  db.session.scalars(select(Occupant).where(Occupant.customer_id == kept.id))}
    for row in db.session.scalars(select(Occupant).where(Occupant.customer_id == merged.id)).all():
        if (row.room_id, row.relation) in kept_links:
            db.session.delete(row)
        else:
            row.customer_id = kept.id
