"""The plugin's pages: the investigation report filed on a complaint, the complaint statistics, the key
accounts with their visits and their monthly report (downloaded or e-mailed), and a shipment's page."""
import smtplib
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.auth.permissions import requires
from core.extensions import db
from core.models import CareTask, utcnow
from core.reports.kpis import Period
from core.sanitize import to_text
from core.tickets.access import visible_ticket_or_404
from plugins.logistics import complaints, monthly
from plugins.logistics.models import InvestigationReport, KeyAccount
from plugins.logistics.reminders import VISIT_KIND
from plugins.logistics.shipments import STATE_LABELS, find_shipment

bp = Blueprint("logistics", __name__, url_prefix="/logistics", template_folder="templates")
REPORT_TEXT_MAX = 2000


@bp.post("/tickets/<int:ticket_id>/investigation")
@requires("desk.access", "logistics.investigate")
def investigation(ticket_id):
    ticket = visible_ticket_or_404(current_user, ticket_id)
    if ticket.type.key != "logistics_complaint":
        abort(404)
    values = {key: " ".join(to_text(request.form.get(key, "")).split()) for key in
              ("cause", "responsibility", "corrective_action")}
    missing = [key for key, value in values.items() if not value]
    too_long = [key for key, value in values.items() if len(value) > REPORT_TEXT_MAX]
    if missing or too_long:
        flash(_("Fill in the cause, the responsibility and the corrective action (at most %(n)d characters each).",
                n=REPORT_TEXT_MAX), "error")
        return redirect(url_for("desk.ticket", ticket_id=ticket.id)), 303
    if db.session.get(InvestigationReport, ticket.id) is not None:
        flash(_("The investigation report was already filed."), "error")
        return redirect(url_for("desk.ticket", ticket_id=ticket.id)), 303
    db.session.add(InvestigationReport(ticket_id=ticket.id, filed_by_id=current_user.id, filed_at=utcnow(), **values))
    db.session.commit()
    flash(_("The investigation report was filed."), "info")
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


def _month_arg():
    text = request.args.get("month")
    if not text:
        today = date.today()
        return date(today.year, today.month, 1)
    return monthly.parse_month(text)


@bp.get("/complaints")
@requires("logistics.complaint_stats")
def complaint_statistics():
    try:
        first = monthly.parse_month(request.args.get("from")) if request.args.get("from") else None
        last = monthly.parse_month(request.args.get("to")) if request.args.get("to") else None
    except monthly.MonthError as exc:
        flash(str(exc), "error")
        first = last = None
    today = date.today()
    first = first or date(today.year, today.month, 1)
    last = last if last and last >= first else first
    end = monthly._next_month(last)
    period = Period.days(first, date.fromordinal(end.toordinal() - 1))
    return render_template("logistics/complaints.html", stats=complaints.statistics(period), first=first, last=last)


@bp.get("/key-accounts")
@requires("logistics.key_accounts")
def key_accounts():
    accounts = db.session.scalars(select(KeyAccount).order_by(KeyAccount.next_visit_on, KeyAccount.id)).all()
    mine = [a.customer_id for a in accounts if a.owner_id == current_user.id]
    visits = db.session.scalars(select(CareTask).where(CareTask.kind == VISIT_KIND, CareTask.done_at.is_(None),
                                                       CareTask.customer_id.in_(mine)).order_by(CareTask.on)).all() \
        if mine else []
    return render_template("logistics/key_accounts.html", accounts=accounts, visits=visits,
                           month=date.today().strftime("%Y-%m"))


def _account_or_404(account_id):
    account = db.session.get(KeyAccount, account_id)
    if account is None:
        abort(404)
    return account


@bp.get("/key-accounts/<int:account_id>/report.<kind>")
@requires("logistics.key_accounts")
def monthly_report(account_id, kind):
    account = _account_or_404(account_id)
    if kind not in ("xlsx", "pdf"):
        abort(404)
    try:
        report = monthly.build(account, _month_arg())
    except monthly.MonthError as exc:
        abort(400, str(exc))
    data = monthly.to_xlsx(report) if kind == "xlsx" else monthly.to_pdf(report)
    mime = "application/pdf" if kind == "pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"monthly-{account.id}-{report.month.strftime('%Y-%m')}.{kind}"
    return Response(data, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.post("/key-accounts/<int:account_id>/report/send")
@requires("logistics.key_accounts")
def send_monthly_report(account_id):
    account = _account_or_404(account_id)
    try:
        report = monthly.build(account, monthly.parse_month(request.form.get("month")))
        to = monthly.send(report)
    except monthly.MonthError as exc:
        flash(str(exc), "error")
        return redirect(url_for("logistics.key_accounts")), 303
    except (OSError, smtplib.SMTPException):
        flash(_("The mail server did not accept the message; try again later."), "error")
        return redirect(url_for("logistics.key_accounts")), 303
    flash(_("The monthly statistics were sent to %(to)s.", to=to), "info")
    return redirect(url_for("logistics.key_accounts"))


@bp.get("/shipments/<waybill>")
@requires("logistics.shipment_view")
def shipment(waybill):
    found = find_shipment(waybill)
    if found is None:
        abort(404)
    return render_template("logistics/shipment.html", shipment=found, states=STATE_LABELS)
