"""The monthly statistics for a key account (为客户提供月度统计分析表): its shipments and on-time rate, its
complaints and claims, as XLSX and as PDF, e-mailed to the account's contact."""
import io
import smtplib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from core.extensions import db
from core.models import Ticket, TicketType
from core.notifications import send_email
from core.reports.kpis import site_timezone
from plugins.logistics.models import Shipment
from plugins.logistics.shipments import STATE_LABELS
from plugins.logistics.ticket_types import CAUSE_LABELS

FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


class MonthError(ValueError):
    pass


def parse_month(text):
    try:
        year, month = (int(part) for part in str(text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        raise MonthError(_("Write the month as 2026-05.")) from None


def _next_month(first):
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _bounds(first):
    from datetime import datetime, timezone

    zone = site_timezone()
    start = datetime(first.year, first.month, first.day, tzinfo=zone).astimezone(timezone.utc)
    end_day = _next_month(first)
    end = datetime(end_day.year, end_day.month, end_day.day, tzinfo=zone).astimezone(timezone.utc)
    return start, end


@dataclass
class MonthlyReport:
    account: object
    month: date
    shipments: list
    complaints: list
    claims: list

    @property
    def delivered(self):
        return [s for s in self.shipments if s.on_time is not None]

    @property
    def on_time_rate(self):
        delivered = self.delivered
        return round(100 * sum(1 for s in delivered if s.on_time) / len(delivered), 1) if delivered else None

    @property
    def claimed_total(self):
        return sum((Decimal(str(t.fields.get("claimed_amount") or 0)) for t in self.claims), Decimal("0"))

    @property
    def paid_total(self):
        return sum((Decimal(str(t.fields.get("paid_amount") or 0)) for t in self.claims), Decimal("0"))

    @property
    def title(self):
        return _("Monthly statistics %(month)s — %(name)s", month=self.month.strftime("%Y-%m"),
                 name=self.account.customer.name)


def _tickets(customer_id, type_key, start, end):
    return db.session.scalars(
        select(Ticket).join(TicketType).where(Ticket.customer_id == customer_id, TicketType.key == type_key,
                                              Ticket.created_at >= start, Ticket.created_at < end)
        .order_by(Ticket.created_at, Ticket.id)).all()


def build(account, month):
    start, end = _bounds(month)
    shipments = db.session.scalars(
        select(Shipment).where(Shipment.customer_id == account.customer_id, Shipment.shipped_on >= month,
                               Shipment.shipped_on < _next_month(month))
        .order_by(Shipment.shipped_on, Shipment.waybill)).all()
    return MonthlyReport(account, month, shipments, _tickets(account.customer_id, "logistics_complaint", start, end),
                         _tickets(account.customer_id, "logistics_claim", start, end))


def _rows(report):
    """The report as tables of plain strings: (heading, header row, rows)."""
    summary = [
        (_("Shipments"), str(len(report.shipments))),
        (_("On-time rate"), "—" if report.on_time_rate is None else f"{report.on_time_rate}%"),
        (_("Complaints"), str(len(report.complaints))),
        (_("Claims"), str(len(report.claims))),
        (_("Amount claimed (yuan)"), f"{report.claimed_total:.2f}"),
        (_("Amount paid (yuan)"), f"{report.paid_total:.2f}"),
    ]
    shipments = [(s.waybill, s.route, s.shipped_on.isoformat() if s.shipped_on else "",
                  str(STATE_LABELS.get(s.status, s.status)),
                  {True: _("yes"), False: _("no"), None: "—"}[s.on_time]) for s in report.shipments]
    complaints = [(f"#{t.id}", t.title, str(CAUSE_LABELS.get(t.fields.get("cause"), "")), t.fields.get("waybill") or "")
                  for t in report.complaints]
    claims = [(f"#{t.id}", t.fields.get("waybill") or "", str(t.fields.get("claimed_amount") or ""),
               str(t.fields.get("paid_amount") or "")) for t in report.claims]
    return [
        (_("Summary"), (_("Measure"), _("Value")), summary),
        (_("Shipments"), (_("Waybill number"), _("Route"), _("Shipped"), _("Status"), _("On time")), shipments),
        (_("Complaints"), (_("Number"), _("Title"), _("Cause"), _("Waybill number")), complaints),
        (_("Claims"), (_("Number"), _("Waybill number"), _("Amount claimed (yuan)"), _("Amount paid (yuan)")), claims),
    ]


def to_xlsx(report):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for heading, header, rows in _rows(report):
        sheet = book.create_sheet(str(heading)[:31])
        sheet.append([report.title])
        sheet.append(list(header))
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KefuCJK" in pdfmetrics.getRegisteredFontNames():
        return "KefuCJK"
    import os

    for path in FONT_PATHS:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont("KefuCJK", path, subfontIndex=0))
            return "KefuCJK"
    current_app.logger.warning("no CJK font found for the PDF report; Chinese will not render")
    return "Helvetica"


def to_pdf(report):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, title=report.title)
    story = [Paragraph(report.title, styles["Title"])]
    for heading, header, rows in _rows(report):
        story += [Paragraph(str(heading), styles["Heading2"])]
        table = Table([list(header), *[list(row) for row in rows]] if rows else [list(header), ["—"] * len(header)])
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                   ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
        story += [table, Spacer(1, 12)]
    document.build(story)
    return out.getvalue()


def send(report):
    """E-mail both files to the account's contact; raises MonthError when there is no address or no mail."""
    to = report.account.contact_email or report.account.customer.email
    if not to:
        raise MonthError(_("This key account has no contact e-mail address."))
    if not current_app.config.get("MAIL_SERVER"):
        raise MonthError(_("The site sends no e-mail (no mail server is set)."))
    stem = f"monthly-{report.month.strftime('%Y-%m')}"
    text = _("Dear customer,\n\nattached are your monthly statistics for %(month)s: %(shipments)d shipments, "
             "on-time rate %(rate)s, %(complaints)d complaints, %(claims)d claims.\n",
             month=report.month.strftime("%Y-%m"), shipments=len(report.shipments),
             rate="—" if report.on_time_rate is None else f"{report.on_time_rate}%",
             complaints=len(report.complaints), claims=len(report.claims))
    send_email(to, report.title, text, attachments=(
        (f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx(report)),
        (f"{stem}.pdf", "application/pdf", to_pdf(report))))
    return to


def previous_month(today):
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def send_due_reports(now):
    """Scheduled job: once a month, each key account's statistics of the month before, to its contact. Each
    account is claimed with a conditional UPDATE, so two workers (or a rerun) send it once; a failed delivery
    gives the claim back for the next round."""
    from core.care.service import site_today
    from plugins.logistics.models import KeyAccount

    month = previous_month(site_today(now))
    label = month.strftime("%Y-%m")
    due = db.session.scalars(select(KeyAccount.id).where(
        or_(KeyAccount.reported_month.is_(None), KeyAccount.reported_month < label)).order_by(KeyAccount.id)).all()
    sent = 0
    for account_id in due:
        account = db.session.get(KeyAccount, account_id)
        before = account.reported_month
        claimed = db.session.execute(update(KeyAccount).where(
            KeyAccount.id == account_id, or_(KeyAccount.reported_month.is_(None), KeyAccount.reported_month < label))
            .values(reported_month=label)).rowcount
        db.session.commit()
        if not claimed:
            continue
        try:
            send(build(db.session.get(KeyAccount, account_id), month))
            sent += 1
        except (MonthError, OSError, smtplib.SMTPException) as exc:
            current_app.logger.warning("monthly statistics of key account %s not sent: %s", account_id, exc)
            db.session.execute(update(KeyAccount).where(KeyAccount.id == account_id).values(reported_month=before))
            db.session.commit()
    return sent
