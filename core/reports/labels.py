"""Names of the values a report groups by (agents, teams, types, categories, channels, customer grades), in the
reader's language."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.customers.grades import grades
from core.extensions import db
from core.models import Team, User
from core.models.report import NONE_VALUE
from core.tickets.categories import CATEGORIES
from core.tickets.display import CHANNEL_LABELS

DIMENSION_LABELS = {"agent": _l("Agent"), "team": _l("Team"), "type": _l("Type"), "category": _l("Business category"),
                    "channel": _l("Channel"), "grade": _l("Customer grade")}
NONE_LABELS = {"agent": _l("Unassigned"), "team": _l("No team"), "category": _l("No category"),
               "grade": _l("No customer")}


def value_names(dimension, values):
    """{value: name} for values of ``dimension`` as the daily rows write them (ids as text, "-" for none)."""
    values = list(values)
    names = {NONE_VALUE: NONE_LABELS.get(dimension, NONE_VALUE)}
    if dimension in ("agent", "team"):
        model = User if dimension == "agent" else Team
        ids = [int(v) for v in values if v.isdigit()]
        if ids:
            names.update((str(i), name) for i, name in db.session.execute(
                select(model.id, model.name).where(model.id.in_(ids))))
    elif dimension == "type":
        types = current_app.extensions["kefu"].registry.ticket_types
        names.update((key, types[key].label) for key in values if key in types)
    elif dimension == "category":
        names.update(CATEGORIES)
    elif dimension == "channel":
        names.update(CHANNEL_LABELS)
    elif dimension == "grade":
        names.update((grade.key, grade.label) for grade in grades("grade"))
    return {value: names.get(value, value) for value in values}


def scope_description(scope):
    """The scope in words: "客服一组 · 投诉", or "" for the whole site."""
    parts = []
    for field, dimension in (("agent_id", "agent"), ("team_id", "team"), ("type_key", "type"),
                             ("category", "category"), ("channel", "channel"), ("customer_grade", "grade")):
        value = getattr(scope, field)
        if value is not None:
            parts.append(str(value_names(dimension, [str(value)])[str(value)]))
    return " · ".join(parts)
