"""Report pages: the supervisor dashboard, the tickets behind a number, the monthly service summary, the
appraisal report, and their CSV and XLSX exports. Everything needs the report.view permission; ticket lists
show only the tickets the reader may open."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.customers.grades import grades
from core.desk import lookups
from core.extensions import db
from core.models import CHANNELS, Ticket
from core.reports import sums
from core.reports.appraisal import appraisal
from core.reports.dashboard import AGE_BANDS, age_band_label, build, dashboard_tables, tickets_url
from core.reports.labels import scope_description
from core.reports.periods import KINDS, PeriodError, month_period, parse_period, parse_scope, scope_args, today
from core.reports.results import format_value, measure
from core.reports.summary import service_summary
from core.reports.tables import download
from core.tickets.access import visible_tickets
from core.tickets.categories import CATEGORIES
from core.tickets.display import CHANNEL_LABELS
from core.tickets.queues import COUNT_CAP, PAGE_SIZE, capped_count

bp = Blueprint("reports", __name__, url_prefix="/reports")

PAGES = {"dashboard": ("month", tuple(KINDS)), "summary": ("month", ("month",)),
         "appraisal": ("month", ("month", "quarter"))}


def _asked(page):
    """(report period, scope, error message or None) from the query string; on an error, the current month
    and the whole site, so that the form shows again with the message."""
    default, kinds = PAGES[page]
    try:
        return parse_period(request.args, default, kinds), parse_scope(request.args), None
    except PeriodError as exc:
        now = today()
        return month_period(now.year, now.month), parse_scope({}), exc.message


def _page(template, page, **context):
    report_period, scope, error = context["report_period"], context["scope"], context.get("error")
    if error:
        flash(error, "error")
    return render_template(
        template, page=page, kinds={k: KINDS[k] for k in PAGES[page][1]}, args=request.args, format_value=format_value,
        tickets_url=lambda kpi, **extra: tickets_url(kpi, report_period, scope, **extra),
        period_url=lambda other, endpoint=None: url_for(endpoint or request.endpoint, **other.args(), **scope_args(scope)),
        scope_args=scope_args(scope), scope_text=scope_description(scope),
        previous=report_period.shifted(-1), following=report_period.shifted(1),
        **context), 400 if error else 200


def _filters():
    return {"teams": lookups.teams(), "staff": lookups.staff(), "types": lookups.ticket_types(),
            "categories": CATEGORIES, "channels": {key: CHANNEL_LABELS[key] for key in CHANNELS if key != "system"},
            "grades": {grade.key: grade.label for grade in grades("grade")}}


@bp.get("/")
@requires("report.view")
def dashboard():
    report_period, scope, error = _asked("dashboard")
    board = None if error else build(report_period, scope)
    return _page("reports/dashboard.html", "dashboard", report_period=report_period, scope=scope, error=error,
                 board=board, **_filters())


@bp.get("/summary")
@requires("report.view")
def summary():
    report_period, scope, error = _asked("summary")
    tables = [] if error else service_summary(report_period)
    return _page("reports/summary.html", "summary", report_period=report_period, scope=scope, error=error,
                 tables=tables)


@bp.get("/appraisal")
@requires("report.view")
def appraisal_page():
    report_period, scope, error = _asked("appraisal")
    table = None if error else appraisal(report_period)
    kpis = current_app.extensions["kefu"].registry.kpis.values()
    return _page("reports/appraisal.html", "appraisal", report_period=report_period, scope=scope, error=error,
                 table=table, kpis=kpis)


ENDPOINTS = {"dashboard": "dashboard", "summary": "summary", "appraisal": "appraisal_page"}


@bp.get("/<any(dashboard, summary, appraisal):page>.<any(csv, xlsx):fmt>")
@requires("report.view")
def export(page, fmt):
    report_period, scope, error = _asked(page)
    if error:  # the page itself says what is wrong with the period
        return redirect(url_for(f"reports.{ENDPOINTS[page]}", **request.args))
    if page == "dashboard":
        tables, name = dashboard_tables(report_period, scope, build(report_period, scope)), _("Service dashboard")
    elif page == "summary":
        tables, name = service_summary(report_period), _("Service summary")
    else:
        tables, name = [appraisal(report_period)], _("Appraisal")
    return download(tables, f"{name}_{report_period.key}", fmt)


@bp.get("/tickets")
@requires("report.view")
def tickets():
    registry = current_app.extensions["kefu"].registry
    spec = registry.kpis.get(request.args.get("kpi", ""))
    if spec is None:
        abort(404)
    report_period, scope, error = _asked("dashboard")
    part = request.args.get("part", "numerator")
    age = request.args.get("age")
    bands = {key: (low, high) for key, low, high in AGE_BANDS}
    if part not in ("numerator", "denominator") or (age is not None and age not in bands):
        abort(400)
    measured, query = None, None
    if not error:
        measured = measure(spec, report_period.period, scope)
        query = measured.result.denominator_tickets if part == "denominator" else measured.result.tickets
        snapshot = sums.snapshot_day(report_period.period)
        if age is not None and spec.key == "backlog" and snapshot is not None:
            query = sums.backlog_tickets(snapshot, scope, *bands[age])
    rows, next_url, shown, total = [], None, 0, 0
    if query is not None:
        visible = visible_tickets(current_user).where(Ticket.id.in_(query))
        cursor = request.args.get("before", type=int)
        page_query = visible.where(Ticket.id < cursor) if cursor else visible
        rows = db.session.scalars(page_query.order_by(Ticket.id.desc()).limit(PAGE_SIZE + 1)
                                  .options(selectinload(Ticket.customer), selectinload(Ticket.assignee))).all()
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            next_url = url_for("reports.tickets", **{**request.args.to_dict(), "before": rows[-1].id})
        shown, _capped = capped_count(visible)
        total = min(db.session.scalar(select(func.count()).select_from(query.limit(COUNT_CAP + 1).subquery())), COUNT_CAP)
    return _page("reports/tickets.html", "dashboard", report_period=report_period, scope=scope, error=error,
                 spec=spec, measured=measured, part=part, age=age, rows=rows, next_url=next_url, shown=shown,
                 total=total, cap=COUNT_CAP, has_list=query is not None, age_label=age_band_label(age) if age else "")
