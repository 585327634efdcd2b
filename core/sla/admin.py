"""Admin panel views of the SLA engine: policies, service hours per team, holiday overrides. Each refuses
a configuration the engine could not use, with a message saying what to fix."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import ValidationError

from core.admin.views import SecureModelView
from core.customers.grades import grade_choices
from core.extensions import db
from core.models import (
    CHANNELS,
    PRIORITIES,
    SLA_TARGETS,
    CalendarOverride,
    ServiceCalendar,
    SlaPolicy,
)
from core.sla.calendar import CalendarError
from core.sla.policies import TARGET_LABELS, PolicyError, spec_of, validate
from core.sla.service_hours import build_calendar

_MATCH_LABELS = {"ticket_type": _l("Ticket type"), "priority": _l("Priority"), "customer_grade": _l("Customer grade"),
                 "channel": _l("Channel")}


class SlaPolicyView(SecureModelView):
    column_list = ("name", "active", "ticket_type", "priority", "customer_grade", "channel",
                   "first_response_minutes", "resolution_minutes")
    form_columns = ("name", "active", *_MATCH_LABELS, *(f"{kind}_{part}" for kind in SLA_TARGETS
                                                        for part in ("minutes", "business")),
                    "at_risk_percent", "manager_after_minutes")
    column_labels = {
        "name": _l("Name"), "active": _l("Active"), **_MATCH_LABELS,
        **{f"{kind}_minutes": _l("%(target)s (minutes)", target=label) for kind, label in TARGET_LABELS.items()},
        **{f"{kind}_business": _l("%(target)s in business hours", target=label) for kind, label in TARGET_LABELS.items()},
        "at_risk_percent": _l("At risk at (percent of the target)"),
        "manager_after_minutes": _l("Managers told after a breach (minutes)"),
    }
    form_choices = {
        "priority": [("", "—"), *((p, p) for p in PRIORITIES)],
        "channel": [("", "—"), *((c, c) for c in CHANNELS)],
    }
    form_overrides = {"customer_grade": SelectField}
    form_args = {"customer_grade": {"choices": grade_choices}}  # the site's grades, read when the form is made
    column_searchable_list = ("name",)

    def on_model_change(self, form, model, is_created):
        for name in _MATCH_LABELS:
            setattr(model, name, getattr(model, name) or None)
        try:
            validate(spec_of(model))
        except PolicyError as exc:
            raise ValidationError(str(exc)) from None
        super().on_model_change(form, model, is_created)


class ServiceCalendarView(SecureModelView):
    column_list = ("name", "team", "hours", "timezone", "observe_holidays")
    form_columns = ("name", "team", "hours", "timezone", "observe_holidays")
    column_labels = {"name": _l("Name"), "team": _l("Team"), "hours": _l("Service hours"),
                     "timezone": _l("Time zone"), "observe_holidays": _l("Closed on public holidays")}
    column_descriptions = {
        "team": _l("Leave empty for the site's default hours."),
        "hours": _l('One line per group of days, e.g. "mon-fri 09:00-12:00 13:00-18:00" and "sat 09:00-12:00"; '
                    '"7x24" for always open. 调休 working weekends use Monday\'s hours.'),
    }
    form_widget_args = {"hours": {"rows": 4, "placeholder": "mon-fri 09:00-12:00 13:00-18:00"}}

    def on_model_change(self, form, model, is_created):
        try:
            build_calendar(model.hours, timezone=model.timezone or "Asia/Shanghai",
                           observe_holidays=model.observe_holidays)
        except CalendarError as exc:
            raise ValidationError(str(exc)) from None
        db.session.flush()  # a new row gets its id, so that it is not taken for another site default
        if model.team is None and db.session.query(ServiceCalendar).filter(
                ServiceCalendar.team_id.is_(None), ServiceCalendar.id != model.id).first() is not None:
            raise ValidationError(_("The site already has default service hours; choose a team for this calendar."))
        super().on_model_change(form, model, is_created)


class CalendarOverrideView(SecureModelView):
    column_list = ("day", "working", "note")
    form_columns = ("day", "working", "note")
    column_default_sort = ("day", True)
    column_labels = {"day": _l("Date"), "working": _l("Working day"), "note": _l("Note")}
    column_descriptions = {"working": _l("Ticked: a working day (e.g. a 调休 weekend); not ticked: a holiday. "
                                         "Overrides the built-in holiday list for this date.")}


def sla_admin_views():
    category = _l("Service levels")
    return [
        SlaPolicyView(SlaPolicy, db, name=_l("SLA policies"), category=category, endpoint="sla_policy"),
        ServiceCalendarView(ServiceCalendar, db, name=_l("Service hours"), category=category,
                            endpoint="service_calendar"),
        CalendarOverrideView(CalendarOverride, db, name=_l("Holiday overrides"), category=category,
                             endpoint="calendar_override"),
    ]
