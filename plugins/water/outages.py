"""Planned outages (计划停水): planning and cancelling one, which accounts it reaches, the notice it sends, and
the reports (停水报修) it answers instead of a crew."""
from datetime import timedelta

from flask_babel import force_locale, format_date, format_datetime, format_time, to_user_timezone
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import audit, utcnow
from core.notifications import customer_locale, notify_customer
from plugins.water.areas import lineage, with_sub_areas
from plugins.water.models import Account, Area, Outage, OutageNotice, OutageReport, WaterSettings, outage_areas
from plugins.water.terms import Term

MAX_HOURS = 72  # a longer interruption is not a planned outage but an emergency
BANNER_DAYS = 3  # customers see an outage in the portal from this many days before it starts
REASON_MAX_LENGTH = 200
NOTICE_TITLE = Term(zh="计划{outage}通知", en="Planned {outage} notice")
CANCEL_TITLE = Term(zh="计划{outage}取消通知", en="Planned {outage} cancelled")
OUTAGE_WORD = Term(zh="{outage}", en="{outage}")
PREPARE = Term(zh="{prepare}", en="{prepare}")


class OutageInputError(ValueError):
    """A plan that cannot be saved; `errors` maps a field to a message for the user."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


def plan_outage(*, area_ids, starts_at, ends_at, reason, actor, now=None):
    """A new planned outage; its notices are sent by the worker. Raises OutageInputError with every problem."""
    now = now or utcnow()
    errors = {}
    areas = db.session.scalars(select(Area).where(Area.id.in_(area_ids))).all() if area_ids else []
    if not areas or len(areas) != len(set(area_ids)):
        errors["areas"] = _("Choose at least one service area.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason, for the customers' notice.")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("The reason is longer than %(n)d characters.", n=REASON_MAX_LENGTH)
    if starts_at is None:
        errors["starts_at"] = _("Give the start.")
    elif starts_at < now:
        errors["starts_at"] = _("The start has passed; a planned outage is announced before it begins.")
    if ends_at is None:
        errors["ends_at"] = _("Give the end.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The end must come after the start.")
    elif starts_at is not None and ends_at - starts_at > timedelta(hours=MAX_HOURS):
        errors["ends_at"] = _("A planned outage lasts at most %(n)d hours.", n=MAX_HOURS)
    if errors:
        raise OutageInputError(errors)
    outage = Outage(reason=reason, starts_at=starts_at, ends_at=ends_at, areas=areas, created_by=actor, created_at=now)
    db.session.add(outage)
    db.session.flush()
    audit.record("water.outage_plan", actor=actor, target=outage, areas=[area.id for area in areas])
    return outage


def cancel_outage(outage, *, actor, now=None):
    """Called off: customers already told are told again by the worker."""
    if outage.cancelled_at is not None:
        raise OutageInputError({"outage": _("This outage was already cancelled.")})
    outage.cancelled_at = now or utcnow()
    audit.record("water.outage_cancel", actor=actor, target=outage)


def affected_accounts(outage):
    """A SELECT of the open accounts in the outage's areas and their sub-areas."""
    area_ids = with_sub_areas([area.id for area in outage.areas])
    return select(Account).where(Account.area_id.in_(area_ids), Account.status != "closed").order_by(Account.id)


def _live():
    return select(Outage).where(Outage.cancelled_at.is_(None))


def covering(area, at):
    """The outage in progress at `at` that covers the area (itself, or a parent area), if any."""
    if area is None:
        return None
    ids = [place.id for place in lineage(area)]
    query = (_live().join(outage_areas).where(outage_areas.c.area_id.in_(ids), Outage.starts_at <= at,
                                              Outage.ends_at > at).order_by(Outage.starts_at, Outage.id).limit(1))
    return db.session.scalar(query)


def for_customer(customer_id, now=None):
    """Outages in progress or starting within BANNER_DAYS that reach one of the customer's open accounts."""
    now = now or utcnow()
    areas = db.session.scalars(select(Area).join(Account, Account.area_id == Area.id)
                               .where(Account.customer_id == customer_id, Account.status != "closed")).all()
    ids = {place.id for area in areas for place in lineage(area)}
    if not ids:
        return []
    query = (_live().join(outage_areas).where(outage_areas.c.area_id.in_(ids), Outage.ends_at > now,
                                              Outage.starts_at <= now + timedelta(days=BANNER_DAYS))
             .order_by(Outage.starts_at).distinct())
    return db.session.scalars(query).all()


def in_progress(now=None):
    now = now or utcnow()
    return db.session.scalars(_live().where(Outage.starts_at <= now, Outage.ends_at > now)
                              .order_by(Outage.starts_at)).all()


def link_report(ticket, outage, now):
    db.session.add(OutageReport(ticket_id=ticket.id, outage_id=outage.id, created_at=now))


def outage_of(ticket):
    return db.session.scalar(select(Outage).join(OutageReport).where(OutageReport.ticket_id == ticket.id))


def reports_of(outage):
    from core.models import Ticket

    return db.session.scalars(select(Ticket).join(OutageReport, OutageReport.ticket_id == Ticket.id)
                              .where(OutageReport.outage_id == outage.id).order_by(Ticket.id)).all()


def window_text(outage):
    """"2026年5月21日 09:00–15:00" (one day) or two full instants, in the site's time zone and the reader's language."""
    start, end = to_user_timezone(outage.starts_at), to_user_timezone(outage.ends_at)
    if start.date() == end.date():
        return f"{format_date(start, 'medium')} {format_time(start, 'short')}–{format_time(end, 'short')}"
    return f"{format_datetime(start, 'short')} – {format_datetime(end, 'short')}"


def area_names(outage):
    return _(", ").join(area.name for area in outage.areas)


def notice(outage, kind="planned"):
    """(subject, text) of the customers' notice, in the current language."""
    hotline = WaterSettings.current().hotline
    values = {"areas": area_names(outage), "window": window_text(outage), "reason": outage.reason,
              "outage": OUTAGE_WORD, "prepare": PREPARE}
    if kind == "cancelled":
        text = _("Dear customer: the %(outage)s planned for %(areas)s at %(window)s has been cancelled; the supply "
                 "goes on as usual.", **values)
        subject = str(CANCEL_TITLE)
    else:
        text = _("Dear customer: because of %(reason)s, %(areas)s will have a %(outage)s at %(window)s; %(prepare)s "
                 "We apologise for the inconvenience.", **values)
        subject = str(NOTICE_TITLE)
    if hotline:
        text += " " + _("Service hotline: %(hotline)s", hotline=hotline)
    return subject, text


def _tell(outage, account, kind, now):
    """One account's notice, queued on every channel that reaches its holder, in the holder's language."""
    with force_locale(customer_locale(account.holder)):
        subject, text = notice(outage, kind)
    rows = notify_customer(account.holder, f"water_outage_{kind}", subject=subject, body=text, now=now)
    db.session.add(OutageNotice(outage_id=outage.id, account_id=account.id, kind=kind, channels=len(rows),
                                created_at=now))


def send_notices(now):
    """The worker's job: every open account in the areas of an outage not yet over is told once that it is
    planned (also an account opened there after the plan), and once that it is off when it is cancelled — only
    those told before. Each outage's notices are committed together; the unique notice row keeps a repeated
    run from telling anyone twice. Returns how many accounts were told."""
    told = 0
    coming = db.session.scalars(_live().where(Outage.ends_at > now).order_by(Outage.id)).all()
    for outage in coming:
        done = select(OutageNotice.account_id).where(OutageNotice.outage_id == outage.id,
                                                     OutageNotice.kind == "planned")
        for account in db.session.scalars(affected_accounts(outage).where(Account.id.not_in(done))).all():
            _tell(outage, account, "planned", now)
            told += 1
        db.session.commit()
    called_off = db.session.scalars(select(Outage).where(Outage.cancelled_at.is_not(None), Outage.ends_at > now)
                                    .order_by(Outage.id)).all()
    for outage in called_off:
        planned = select(OutageNotice.account_id).where(OutageNotice.outage_id == outage.id,
                                                        OutageNotice.kind == "planned")
        done = select(OutageNotice.account_id).where(OutageNotice.outage_id == outage.id,
                                                     OutageNotice.kind == "cancelled")
        for account in db.session.scalars(select(Account).where(Account.id.in_(planned), Account.id.not_in(done))
                                          .order_by(Account.id)).all():
            _tell(outage, account, "cancelled", now)
            told += 1
        db.session.commit()
    return told
