"""What the search finds a property ticket by: its estate, building and room (estate:阳光花园, building:3栋,
room:1201), as the names of the location it is placed in."""
from core.i18n import Label
from core.plugins.specs import SearchFieldSpec
from plugins.property.location import ticket_building, ticket_estate, ticket_room


def estate_name(ticket):
    estate = ticket_estate(ticket)
    return estate.name if estate is not None else None


def building_name(ticket):
    building = ticket_building(ticket)
    return building.name if building is not None else None


def room_number(ticket):
    room = ticket_room(ticket)
    return [room.number, f"{room.unit.name}{room.number}"] if room is not None else None


SEARCH_FIELDS = (
    SearchFieldSpec("estate", Label(zh="小区", en="Estate"), estate_name),
    SearchFieldSpec("building", Label(zh="楼栋", en="Building"), building_name),
    SearchFieldSpec("room", Label(zh="房号", en="Room"), room_number),
)
