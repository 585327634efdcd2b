"""The plugin's pages: planned outages (list, plan, details, cancel), the monthly hotline report and the public
service commitment."""
from datetime import datetime, timedelta, timezone

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, ngettext, to_utc
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.auth.permissions import public, requires
from core.extensions import db
from core.i18n import Label
from core.models import utcnow
from core.reports.kpis import Period, site_timezone
from plugins.water import areas, commitment, hotline_report, outages
from plugins.water.models import Outage, OutageNotice, WaterSettings
from plugins.water.terms import PHRASES

bp = Blueprint("water", __name__, url_prefix="/water")


def _local_instant(text):
    """A datetime-local input (site time) as a UTC instant, or None when empty or unreadable."""
    try:
        return to_utc(datetime.fromisoformat((text or "").strip())).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


@bp.get("/outages")
@requires("water.outage_view")
def outage_list():
    now = utcnow()
    live = select(Outage).where(Outage.ends_at > now).order_by(Outage.starts_at)
    past = select(Outage).where(Outage.ends_at <= now).order_by(Outage.starts_at.desc()).limit(30)
    return render_template("water/outages.html", current=db.session.scalars(live).all(),
                           past=db.session.scalars(past).all(), now=now)


def _plan_form(form, errors, status=200):
    return render_template("water/outage_new.html", form=form, errors=errors, tree=areas.tree(),
                           chosen={int(v) for v in form.getlist("areas") if v.isdigit()} if form else set(),
                           max_hours=outages.MAX_HOURS), status


@bp.route("/outages/new", methods=["GET", "POST"])
@requires("water.outage_plan")
def plan():
    if request.method == "GET":
        return _plan_form(None, {})
    form = request.form
    try:
        outage = outages.plan_outage(
            area_ids=[int(v) for v in form.getlist("areas") if v.isdigit()],
            starts_at=_local_instant(form.get("starts_at")), ends_at=_local_instant(form.get("ends_at")),
            reason=form.get("reason"), actor=current_user)
    except outages.OutageInputError as exc:
        db.session.rollback()
        return _plan_form(form, exc.errors, 400)
    db.session.commit()
    flash(_("The outage is planned; every account in its areas will be notified."), "info")
    return redirect(url_for("water.outage", outage_id=outage.id))


def _outage_or_404(outage_id):
    outage = db.session.get(Outage, outage_id)
    if outage is None:
        abort(404)
    return outage


@bp.get("/outages/<int:outage_id>")
@requires("water.outage_view")
def outage(outage_id):
    found = _outage_or_404(outage_id)
    accounts = db.session.scalar(select(func.count()).select_from(outages.affected_accounts(found).subquery()))
    notices = dict(db.session.execute(select(OutageNotice.kind, func.count(OutageNotice.id))
                                      .where(OutageNotice.outage_id == found.id).group_by(OutageNotice.kind)).all())
    subject, text = outages.notice(found)
    return render_template("water/outage.html", outage=found, accounts=accounts, notices=notices,
                           reports=outages.reports_of(found), subject=subject, text=text,
                           window=outages.window_text(found), now=utcnow())


@bp.post("/outages/<int:outage_id>/cancel")
@requires("water.outage_plan")
def cancel(outage_id):
    found = _outage_or_404(outage_id)
    try:
        outages.cancel_outage(found, actor=current_user)
    except outages.OutageInputError as exc:
        flash(exc.errors["outage"], "error")
    else:
        db.session.commit()
        flash(_("The outage is cancelled; the customers who were told will be told it is off."), "info")
    return redirect(url_for("water.outage", outage_id=found.id))


def _month(text, today):
    """"2026-05" → (2026, 5); today's month when empty; ValueError for anything else."""
    if not text:
        return today.year, today.month
    year, _sep, month = text.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(text)
    return int(year), int(month)


@bp.get("/hotline-report")
@requires("report.view")
def hotline():
    today = utcnow().astimezone(site_timezone()).date()
    try:
        year, month = _month(request.args.get("month"), today)
    except ValueError:
        flash(_("Choose a month as YYYY-MM."), "error")
        year, month = today.year, today.month
    lines = hotline_report.report(Period.month(year, month))
    shift = {step: f"{year + (month + step - 1) // 12:04d}-{(month + step - 1) % 12 + 1:02d}" for step in (-1, 1)}
    return render_template("water/hotline_report.html", month=f"{year:04d}-{month:02d}", previous=shift[-1],
                           next=shift[1], lines=lines, total=hotline_report.total(lines))


@bp.get("/commitment")
@public
def service_commitment():
    """The public service commitment and the conduct rules: customers hold us to them."""
    return render_template("water/commitment.html", faults=commitment.FAULTS, promises=commitment.PROMISES,
                           follow_up_days=commitment.FOLLOW_UP_MINUTES // commitment.DAY,
                           rules=commitment.CONDUCT_RULES, title=commitment.CONDUCT_TITLE,
                           service_words=commitment.SERVICE_WORDS, hotline=WaterSettings.current().hotline)


# Template helpers of the plugin's pages and panels -------------------------------------------------------------

ACCOUNT_STATES = {
    "active": Label(zh="正常", en="Active"),
    "suspended": Label(zh="暂停供应", en="Suspended"),
    "closed": Label(zh="已销户", en="Closed"),
}


@bp.app_template_global()
def water_phrase(key):
    return PHRASES[key]


@bp.app_template_global()
def water_area_names(outage):
    return outages.area_names(outage)


@bp.app_template_global()
def water_window(outage):
    return outages.window_text(outage)


@bp.app_template_global()
def water_duration(minutes):
    """Calendar time as people say it: 1 小时, 2 天."""
    return format_timedelta(timedelta(minutes=minutes))


@bp.app_template_global()
def water_working_time(minutes):
    """Business time: whole working days, else working hours."""
    if minutes % commitment.WORKING_DAY == 0:
        days = minutes // commitment.WORKING_DAY
        return ngettext("%(num)d working day", "%(num)d working days", days)
    hours = max(1, minutes // 60)
    return ngettext("%(num)d working hour", "%(num)d working hours", hours)


@bp.app_template_global()
def account_state(status):
    return ACCOUNT_STATES.get(status, status)
