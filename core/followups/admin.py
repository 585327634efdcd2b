"""Admin panel: the follow-up rules (which share of resolved tickets is followed up)."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.validators import ValidationError

from core.admin.views import SecureModelView
from core.customers.grades import grade_choices
from core.extensions import db
from core.models import FollowUpRule, TicketType


def _type_choices():
    rows = db.session.scalars(select(TicketType).order_by(TicketType.sort_order, TicketType.id))
    return [("", "—"), *((row.key, str(row.label)) for row in rows)]


def _same(column, value):
    return column.is_(None) if value is None else column == value


class FollowUpRuleView(SecureModelView):
    column_list = ("customer_grade", "ticket_type", "percent", "active")
    form_columns = ("customer_grade", "ticket_type", "percent", "active")
    column_labels = {"customer_grade": _l("Customer grade"), "ticket_type": _l("Ticket type"),
                     "percent": _l("Followed up (percent)"), "active": _l("Active")}
    column_descriptions = {
        "customer_grade": _l("Empty: any grade. Customers of the grades in FOLLOW_UP_ALWAYS_GRADES are always "
                             "followed up, whatever the rules say."),
        "ticket_type": _l("Empty: any type. The most specific rule wins; without one, FOLLOW_UP_SAMPLE_PERCENT."),
        "percent": _l("0 to 100. Which tickets are drawn is fixed per ticket, so it never changes afterwards."),
    }
    form_overrides = {"customer_grade": SelectField, "ticket_type": SelectField}
    # Read when the form is made: the site's own grades and types.
    form_args = {"customer_grade": {"choices": grade_choices}, "ticket_type": {"choices": _type_choices}}

    def on_model_change(self, form, model, is_created):
        model.customer_grade = model.customer_grade or None
        model.ticket_type = model.ticket_type or None
        if model.percent is None or not 0 <= model.percent <= 100:
            raise ValidationError(_("The share must be a whole number from 0 to 100."))
        same = select(FollowUpRule.id).where(_same(FollowUpRule.customer_grade, model.customer_grade),
                                             _same(FollowUpRule.ticket_type, model.ticket_type),
                                             FollowUpRule.id != (model.id or 0))
        if db.session.scalar(same) is not None:
            raise ValidationError(_("A rule for this grade and type exists already; change that one."))
        if model.customer_grade in current_app.config["FOLLOW_UP_ALWAYS_GRADES"] and model.percent < 100:
            raise ValidationError(_("Customers of this grade are always followed up (FOLLOW_UP_ALWAYS_GRADES)."))
        super().on_model_change(form, model, is_created)


def followup_admin_views():
    return [FollowUpRuleView(FollowUpRule, db, name=_l("Follow-up rules"), category=_l("Closed loop"),
                             endpoint="follow_up_rule")]
