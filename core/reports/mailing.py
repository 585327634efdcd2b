"""The monthly report by e-mail (scheduled job "core.report_mail"): in the first days of a month each manager
gets the month before, once — its headline figures in the text and the summary, the appraisal and the KPIs
in an Excel file.

Each (month, recipient) is a ReportMailing row claimed before sending: inserted (a second worker's insert
fails on the unique key) or, for a failed or abandoned attempt, taken over with a conditional UPDATE. The
Message-ID is the same on every attempt, so a mail system can drop a copy sent after a crash.
"""
import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.models import ReportMailing, utcnow
from core.notifications import send_email
from core.reports.appraisal import appraisal
from core.reports.dashboard import build, dashboard_tables
from core.reports.kpis import Scope, site_timezone
from core.reports.periods import month_period
from core.reports.refresh import refresh_pending
from core.reports.summary import service_summary
from core.reports.tables import XLSX_TYPE, xlsx_bytes
from core.tickets.assignment import managers

log = logging.getLogger("kefu.reports")
SEND_DAYS = 7  # the month before is sent on the first days of a month only
LEASE = timedelta(minutes=30)  # an attempt still "sending" after this belongs to a worker that died
MAX_ATTEMPTS = 5


def last_month(now):
    local = now.astimezone(site_timezone()).date()
    first = local.replace(day=1) - timedelta(days=1)
    return month_period(first.year, first.month), local.day


def _claim(period_key, recipient, now):
    """Whether this worker may send (period, recipient) now."""
    try:
        with db.session.begin_nested():
            db.session.add(ReportMailing(period=period_key, recipient=recipient, state="sending", attempts=1,
                                         claimed_at=now))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    statement = (update(ReportMailing)
                 .where(ReportMailing.period == period_key, ReportMailing.recipient == recipient,
                        or_(and_(ReportMailing.state == "failed", ReportMailing.attempts < MAX_ATTEMPTS),
                            and_(ReportMailing.state == "sending", ReportMailing.claimed_at < now - LEASE)))
                 .values(state="sending", claimed_at=now, attempts=ReportMailing.attempts + 1)
                 .execution_options(synchronize_session=False))
    claimed = db.session.execute(statement).rowcount == 1
    db.session.commit()
    return claimed


def compose(report_period):
    """(subject, text, attachment) in the current language."""
    board = build(report_period, Scope())
    lines = [_("Service report %(period)s", period=report_period.label()), ""]
    target_word, below_word = _("Target"), _("below target")
    for m in board.measured:
        target = f" ({target_word} {m.target_text}{', ' + below_word if m.below_target else ''})" if m.target else ""
        lines.append(f"{m.spec.label}: {m.text}{target}")
    summary = service_summary(report_period)
    lines += ["", summary[0].title]
    lines += [f"{row[0].text}: {row[1].text}" for row in summary[0].rows]
    lines += ["", _("The summary, the appraisal and every measure are in the attached Excel file.")]
    tables = summary + [appraisal(report_period)] + dashboard_tables(report_period, Scope(), board)
    filename = "{}_{}.xlsx".format(_("Service report"), report_period.key)
    subject = "[{}] {}".format(_("Kefu"), _("Service report %(period)s", period=report_period.label()))
    return subject, "\n".join(lines), (filename, XLSX_TYPE, xlsx_bytes(tables))


def monthly_report_job(now=None):
    """Send last month's report to every manager who has not had it; returns how many were sent."""
    now = now or utcnow()
    report_period, day = last_month(now)
    if day > SEND_DAYS or not current_app.config.get("MAIL_SERVER"):
        return 0
    refresh_pending(now)  # count the last changes of the month first
    domain = current_app.config["MAIL_FROM"].rpartition("@")[2] or "kefu.local"
    sent = 0
    for manager in managers():
        if not manager.email or not _claim(report_period.key, manager.email, now):
            continue
        mailing = db.session.query(ReportMailing).filter_by(period=report_period.key, recipient=manager.email).one()
        try:
            with force_locale(manager.locale or current_app.config["DEFAULT_LOCALE"]):
                subject, text, attachment = compose(report_period)
            send_email(manager.email, subject, text, f"<report-{report_period.key}-{mailing.id}@{domain}>",
                       attachments=[attachment])
        except Exception as exc:  # the SMTP server's failure is kept and retried next round
            mailing.state, mailing.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
            log.warning("monthly report to %s failed: %s", manager.email, mailing.error)
        else:
            mailing.state, mailing.sent_at, mailing.error = "sent", utcnow(), None
            sent += 1
        db.session.commit()
    return sent
