"""The closed loop's part in ticket events, pages, navigation and the admin panel, registered as the plugin
"core-followups" through the same hooks as any plugin."""
from datetime import datetime

from flask import render_template
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select

from core.extensions import db
from core.followups import loop
from core.followups.archive import archive_due
from core.followups.investigations import may_decide, open_investigation_of
from core.followups.jobs import warn_overdue
from core.followups.labels import METHOD_LABELS, scores_text
from core.followups.surveys import latest_survey, open_survey
from core.followups.views import bp
from core.i18n import Label
from core.models import FollowUp, User, utcnow
from core.plugins import hookimpl
from core.plugins.specs import NavItem, ScheduledJob


@hookimpl
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    loop.on_transition(ticket, event, from_state)


@hookimpl
def kefu_scheduled_jobs():
    return [
        ScheduledJob("core.follow_up_overdue", Label(zh="回访逾期提醒", en="Overdue follow-up warnings"), every=300,
                     run=warn_overdue),
        ScheduledJob("core.archive", Label(zh="闭环归档", en="Archive finished tickets"), every=3600, run=archive_due),
    ]


@hookimpl
def kefu_demo_data(session, rng):
    from core.followups.demo import add_followup_demo_data

    add_followup_demo_data(session, rng)


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_nav_items(user):
    return [NavItem("follow_ups", Label(zh="回访", en="Follow-ups"), "followups.index", "followup.do", order=15)]


@hookimpl
def kefu_admin_views(admin, db):
    from core.followups.admin import followup_admin_views  # the admin's modules import the plugin manager

    return followup_admin_views()


def _latest_follow_up(ticket):
    return db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == ticket.id)
                             .order_by(FollowUp.id.desc()).limit(1))


def _sidebar(context):
    ticket = context["ticket"]
    follow_up, survey = _latest_follow_up(ticket), latest_survey(ticket)
    investigation = open_investigation_of(ticket)
    if follow_up is None and survey is None and investigation is None:
        return None
    return render_template("followups/sidebar.html", ticket=ticket, follow_up=follow_up, survey=survey,
                           investigation=investigation, now=utcnow(),
                           may_decide=investigation is not None and may_decide(current_user, investigation))


def _portal_survey(context):
    ticket = context["ticket"]
    survey = open_survey(ticket) or latest_survey(ticket)
    if survey is None or survey.state == "cancelled":
        return None
    return render_template("followups/portal_survey.html", ticket=ticket, survey=survey)


def _person(user_id):
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user.name if user is not None else _("nobody")


def _due(data):
    return format_datetime(datetime.fromisoformat(data["due"]), "short") if data.get("due") else "—"


_EVENTS = {
    "follow_up_created": lambda data: _("follow-up due %(due)s, for %(name)s", due=_due(data), name=_person(data.get("to"))),
    "follow_up": lambda data: _("followed up: %(method)s", method=METHOD_LABELS.get(data.get("method"), "")),
    "follow_up_assigned": lambda data: _("handed the follow-up to %(name)s", name=_person(data.get("to"))),
    "survey": lambda data: _("rated the service: %(scores)s", scores=scores_text(data)),
    "investigation_opened": lambda data: _("opened an investigation of the rating"),
    "investigation_done": lambda data: _("recorded the outcome of the investigation"),
}


def _timeline_event(context):
    describe = _EVENTS.get(context["event"].kind)
    return escape(describe(context["event"].data or {})) if describe else None


_SLOTS = {"ticket_sidebar": _sidebar, "portal_ticket": _portal_survey, "timeline_event": _timeline_event}


@hookimpl
def kefu_template_slot(name, context):
    fill = _SLOTS.get(name)
    html = fill(context) if fill is not None else None
    return Markup(html) if html is not None else None
