"""Service areas as a tree: finding one by name, the sub-areas an outage covers, the crew that serves an area."""
from sqlalchemy import func, select

from core.extensions import db
from core.i18n import Label
from core.plugins.specs import LookupSpec
from core.tickets.fields import Choice
from plugins.water.models import Area


def find_area(name):
    name = (name or "").strip()
    return db.session.scalar(select(Area).where(Area.name == name)) if name else None


def area_of_field(value):
    """The area a ticket's "area" field names (its value is the area's id, as the lookup offers it)."""
    value = str(value or "").strip()
    return db.session.get(Area, int(value)) if value.isdigit() else None


def path(area):
    """"城东片区 / 东湖社区": the area under its parents."""
    return " / ".join(place.name for place in reversed(lineage(area)))


def lookup():
    """The service areas as the choices of a ticket's "area" field, in tree order."""
    def options(_parent):
        return [Choice(str(area.id), Label(zh=path(area), en=path(area))) for area, _depth in tree()]

    def resolve(value):
        area = area_of_field(value)
        return (Label(zh=path(area), en=path(area)), None) if area is not None else None

    return LookupSpec("water.area", Label(zh="片区", en="Service area"), options=options, resolve=resolve)


def lineage(area):
    """The area and its parents, nearest first."""
    seen = []
    while area is not None and area not in seen:
        seen.append(area)
        area = area.parent
    return seen


def with_sub_areas(area_ids):
    """The ids of these areas and of every area below them."""
    found, frontier = set(area_ids), set(area_ids)
    while frontier:
        frontier = set(db.session.scalars(select(Area.id).where(Area.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


def crew_for(area):
    """The repair crew (a team) of the area, else of the nearest parent that has one; with the area it serves."""
    for place in lineage(area):
        if place.crew_team is not None and place.crew_team.active:
            return place.crew_team, place
    return None, None


def tree():
    """Every area as (area, depth) in tree order: parents before their sub-areas, siblings by name."""
    areas = db.session.scalars(select(Area).order_by(func.lower(Area.name))).all()
    children = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)
    ordered = []

    def walk(parent_id, depth):
        for area in children.get(parent_id, ()):
            ordered.append((area, depth))
            walk(area.id, depth + 1)

    walk(None, 0)
    return ordered


def would_loop(area, parent):
    """Whether making `parent` the parent of `area` would put the area inside itself."""
    return parent is not None and area in lineage(parent)
