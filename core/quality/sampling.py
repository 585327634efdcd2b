"""The weekly sample: QUALITY_SAMPLE_PERCENT of each agent's tickets closed in a week (Monday to Sunday, site
time), at least one for an agent who closed any. Tickets are ranked by a keyed hash of (week, agent, ticket),
random to the agents but the same on every draw, and the best ranked not drawn yet are added; drawing again
never removes or replaces a ticket already drawn."""
import hashlib
import hmac
import math
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from core.extensions import db
from core.models import QualityInspection, Ticket, utcnow


def site_zone():
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def week_of_day(day):
    return day - timedelta(days=day.weekday())


def week_of(moment):
    """The Monday (a date, site time) of the week ``moment`` falls in."""
    return week_of_day(moment.astimezone(site_zone()).date())


def week_bounds(monday):
    """[start, end) of the week in UTC."""
    start = datetime.combine(monday, time(), tzinfo=site_zone())
    return start, start + timedelta(days=7)


def closed_by_agent(monday):
    """{agent id: [ticket ids]} of the tickets closed in the week, by the agent they were assigned to."""
    start, end = week_bounds(monday)
    rows = db.session.execute(select(Ticket.assignee_id, Ticket.id).where(
        Ticket.status_category == "closed", Ticket.closed_at >= start, Ticket.closed_at < end,
        Ticket.assignee_id.is_not(None), Ticket.merged_into_id.is_(None)).order_by(Ticket.id))
    found = defaultdict(list)
    for agent_id, ticket_id in rows:
        found[agent_id].append(ticket_id)
    return dict(found)


def sample_size(count, percent):
    return min(count, max(1, math.ceil(count * percent / 100))) if count and percent > 0 else 0


def _rank(monday, agent_id, ticket_id):
    key = current_app.secret_key.encode() if isinstance(current_app.secret_key, str) else current_app.secret_key
    return hmac.new(key, f"kefu.quality:{monday.isoformat()}:{agent_id}:{ticket_id}".encode(), hashlib.sha256).digest()


def draw_sample(monday, *, percent=None, now=None):
    """Add the week's missing draws; returns the new QualityInspection rows (in the caller's transaction)."""
    percent = current_app.config["QUALITY_SAMPLE_PERCENT"] if percent is None else percent
    now = now or utcnow()
    closed = closed_by_agent(monday)
    drawn = set(db.session.scalars(select(QualityInspection.ticket_id).where(
        QualityInspection.ticket_id.in_([t for ids in closed.values() for t in ids])))) if closed else set()
    added = []
    for agent_id, ticket_ids in sorted(closed.items()):
        wanted = sample_size(len(ticket_ids), percent) - sum(t in drawn for t in ticket_ids)
        for ticket_id in sorted(ticket_ids, key=lambda t: _rank(monday, agent_id, t)):
            if wanted <= 0:
                break
            if ticket_id not in drawn:
                added.append(QualityInspection(ticket_id=ticket_id, agent_id=agent_id, week_start=monday,
                                               state="pending", drawn_at=now))
                wanted -= 1
    db.session.add_all(added)
    db.session.flush()
    return added


def draw_last_week(now):
    """Scheduled job: draw the sample of the week that ended (idempotent; a later run adds nothing)."""
    added = draw_sample(week_of(now) - timedelta(days=7), now=now)
    db.session.commit()
    return len(added)


def week_summary(monday):
    """Per agent of the week: closed, drawn, scored and the average score, as {agent id: dict}."""
    closed = closed_by_agent(monday)
    rows = db.session.execute(select(QualityInspection.agent_id, func.count(QualityInspection.id),
                                     func.count(QualityInspection.score), func.avg(QualityInspection.score))
                              .where(QualityInspection.week_start == monday).group_by(QualityInspection.agent_id))
    summary = {agent_id: {"closed": len(ids), "drawn": 0, "scored": 0, "average": None}
               for agent_id, ids in closed.items()}
    for agent_id, drawn, scored, average in rows:
        entry = summary.setdefault(agent_id, {"closed": len(closed.get(agent_id, ())), "drawn": 0, "scored": 0,
                                              "average": None})
        entry.update(drawn=drawn, scored=scored, average=round(float(average), 1) if average is not None else None)
    return summary
