"""The SLA engine's part in ticket events, the ticket page and the admin panel, registered as the plugin
"core-sla" through the same hooks as any plugin. The core sets no policy itself: targets come from the
admin's policies and the plugins' defaults, so a site without them has no clocks."""
from datetime import date, datetime

from flask import Blueprint, render_template
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.models import SLA_TARGETS
from core.plugins import hookimpl
from core.sla import clocks
from core.sla.policies import TARGET_LABELS, matching_policy
from core.workflow.engine import workflow_of

DONE = ("resolved", "closed")


# --- Ticket events ---------------------------------------------------------------------------------------


def _staff_contact(event):
    """A public reply, or a public step with a comment, by staff: the customer heard from us."""
    return event.public and bool(event.body) and event.actor is not None and event.actor.is_staff


@hookimpl
def kefu_ticket_created(ticket, event):
    policy = matching_policy(ticket)
    for kind in ("first_response", "resolution"):
        clocks.start(ticket, kind, event.created_at, policy)


@hookimpl
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    now, category = event.created_at, ticket.status_category
    before = workflow_of(ticket).state(from_state).category
    if _staff_contact(event):
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        clocks.complete(ticket, ["first_response", "next_response"], now)
    if category == "pending":
        clocks.pause(ticket, now)
    elif category == "open" and before in DONE:  # reopened
        clocks.cancel(ticket, ["feedback", "follow_up"], now)
        clocks.start(ticket, "resolution", now)
    elif category == "open":
        clocks.resume(ticket, now)
    elif category == "resolved" and before not in DONE:
        clocks.complete(ticket, ["first_response", "next_response", "resolution"], now)
        policy = matching_policy(ticket)
        for kind in ("feedback", "follow_up"):
            clocks.start(ticket, kind, now, policy)
        if _staff_contact(event):  # the resolving step told the customer the result
            clocks.complete(ticket, ["feedback"], now)
    elif category == "closed":
        clocks.complete(ticket, SLA_TARGETS, now)


@hookimpl
def kefu_ticket_commented(ticket, event):
    if not event.public:
        return
    now = event.created_at
    if _staff_contact(event):
        clocks.complete(ticket, ["first_response", "next_response", "feedback"], now)
    elif event.actor is not None and not event.actor.is_staff:  # the customer answered
        clocks.resume(ticket, now)
        if ticket.first_response_at is not None and ticket.status_category not in DONE:
            clocks.start(ticket, "next_response", now)


@hookimpl
def kefu_ticket_assigned(ticket, event):
    if event.data.get("team_from") != event.data.get("team_to"):  # another team: its service hours apply
        clocks.reevaluate(ticket, event.created_at)


# --- Ticket page and timeline ----------------------------------------------------------------------------

bp = Blueprint("sla", __name__)

_EVENT_TEXTS = {
    "started": _l("started, due %(due)s"),
    "paused": _l("paused while waiting for the customer"),
    "resumed": _l("resumed, now due %(due)s"),
    "at_risk": _l("at risk, due %(due)s"),
    "breached": _l("breached, was due %(due)s"),
    "met": _l("met"),
    "completed_late": _l("reached after the due time"),
    "cancelled": _l("no longer applies"),
    "recomputed": _l("recomputed, now due %(due)s"),
}


@bp.app_template_global()
def sla_event_text(data):
    """Timeline text of an "sla" TicketEvent."""
    due = format_datetime(datetime.fromisoformat(data["due"]), "short") if data.get("due") else "—"
    text = str(_EVENT_TEXTS.get(data.get("event"), data.get("event"))) % {"due": due}
    return _("SLA %(target)s: %(what)s", target=str(TARGET_LABELS.get(data.get("target"), "")).lower(), what=text)


_DAY_KINDS = {
    "working": _l("working day (%(hours)s)"),
    "makeup": _l("make-up working day (调休), with Monday's hours (%(hours)s)"),
    "extra_working": _l("working day by the admin's override (%(hours)s)"),
    "holiday": _l("public holiday: %(name)s"),
    "extra_holiday": _l("holiday by the admin's override"),
    "weekend": _l("weekend"),
    "closed": _l("no service hours"),
}
DAY_FORMAT = "yyyy-MM-dd (EEE)"
MOMENT_FORMAT = "yyyy-MM-dd HH:mm (EEE)"


def _duration(seconds):
    hours, minutes = divmod(int(seconds) // 60, 60)
    return _("%(hours)d h %(minutes)02d min", hours=hours, minutes=minutes)


@bp.app_template_global()
def sla_counting_text(explanation):
    """The first line of how a due time was computed: from when, and how much service time."""
    return _("Counted from %(when)s: %(duration)s of service hours to go",
             when=format_datetime(datetime.fromisoformat(explanation["counted_from"]), MOMENT_FORMAT),
             duration=_duration(explanation["remaining_seconds"]))


@bp.app_template_global()
def sla_day_text(day):
    """One group of days of a business-time computation, in the reader's language."""
    from core.i18n import current_language

    first, last = date.fromisoformat(day["first"]), date.fromisoformat(day["last"])
    days = format_date(first, DAY_FORMAT) + ("" if last == first else " – " + format_date(last, DAY_FORMAT))
    holiday = (day.get("holiday") or {}).get(current_language(), "")
    what = str(_DAY_KINDS.get(day["kind"], day["kind"])) % {"hours": day["hours"], "name": holiday}
    if day["hours"]:
        return _("%(days)s: %(what)s, counted %(duration)s", days=days, what=what, duration=_duration(day["counted"]))
    return _("%(days)s: %(what)s, skipped", days=days, what=what)


@bp.app_template_global()
def sla_due_text(explanation):
    return _("Due %(when)s", when=format_datetime(datetime.fromisoformat(explanation["due"]), MOMENT_FORMAT))


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_template_slot(name, context):
    if name != "ticket_sidebar":
        return None
    ticket = context["ticket"]
    rows = sorted(clocks.clocks_of(ticket, states=("running", "paused", "met", "breached")),
                  key=lambda clock: SLA_TARGETS.index(clock.kind))
    if not rows:
        return None
    return render_template("sla/sidebar.html", clocks=rows, labels=TARGET_LABELS)


# --- Admin panel -----------------------------------------------------------------------------------------


@hookimpl
def kefu_admin_views(admin, db):
    from core.sla.admin import sla_admin_views  # the admin's modules import the plugin manager

    return sla_admin_views()
