"""Emergencies (突发事件: 火警、困梯、台风、治安): the director and the building's butler are told the moment one is
reported; the ticket shows the emergency plan (应急预案) of its kind, and each step ticked off is a timestamped
event on its timeline."""
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.models import TicketEvent, utcnow
from core.notifications import notify
from core.plugins.specs import NotificationKind
from plugins.property.dispatch import users_with_role
from plugins.property.location import ticket_building
from plugins.property.ticket_types import EMERGENCY_KINDS

L = Label
STEP_EVENT = "property_plan_step"
NOTIFICATION = NotificationKind(
    "property.emergency", L(zh="%(who)s 报告突发事件：%(emergency)s，请立即处理",
                            en="%(who)s reported an emergency: %(emergency)s. Act now."),
    values=lambda data: {"emergency": emergency_label(data.get("emergency"))})

PLANS = {
    "fire": (
        ("alarm", L(zh="确认火情并拨打119报警", en="Confirm the fire and call 119")),
        ("evacuate", L(zh="组织住户疏散，关闭电梯", en="Evacuate residents; stop the lifts")),
        ("power", L(zh="切断着火区域电源、燃气", en="Cut power and gas to the area")),
        ("fight", L(zh="使用消防栓、灭火器初期扑救", en="Fight the fire with hydrants and extinguishers")),
        ("guide", L(zh="派人到路口引导消防车", en="Send someone to guide the fire engines in")),
        ("report", L(zh="清点人员，向公司报告", en="Count everyone; report to the company")),
    ),
    "elevator": (
        ("comfort", L(zh="通过对讲安抚被困人员", en="Reassure the people trapped over the intercom")),
        ("locate", L(zh="确认电梯停靠楼层", en="Find the floor the lift stopped at")),
        ("maintainer", L(zh="通知电梯维保单位到场", en="Call the lift maintenance company")),
        ("rescue", L(zh="专业人员盘车放人", en="Trained staff release the people")),
        ("check", L(zh="检查被困人员身体状况并记录", en="Check on the people released; record it")),
    ),
    "typhoon": (
        ("notice", L(zh="发布台风预警通知住户", en="Warn residents of the typhoon")),
        ("secure", L(zh="加固广告牌、树木及悬挂物", en="Secure signs, trees and anything hanging")),
        ("drains", L(zh="疏通排水沟，准备沙袋", en="Clear the drains; ready sandbags")),
        ("standby", L(zh="安排人员值班待命", en="Put staff on standby")),
        ("inspect", L(zh="台风过后巡查并登记损失", en="Inspect after the storm; record the damage")),
    ),
    "security": (
        ("police", L(zh="拨打110报警", en="Call the police (110)")),
        ("protect", L(zh="保护现场，疏散围观人员", en="Protect the scene; move onlookers away")),
        ("guard", L(zh="保安封控出入口", en="Guards control the gates")),
        ("record", L(zh="调取监控录像并记录经过", en="Secure the CCTV footage; write down what happened")),
        ("inform", L(zh="向业主通报处理情况", en="Tell the residents what was done")),
    ),
}


def plan_of(ticket):
    return PLANS.get((ticket.fields or {}).get("kind"), ())


def step_label(ticket, key):
    return next((label for step, label in plan_of(ticket) if step == key), None)


def ticked(ticket):
    """{step key: the event that ticked it}."""
    events = db.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                          TicketEvent.kind == STEP_EVENT).order_by(TicketEvent.id))
    return {event.data.get("step"): event for event in events}


def tick(ticket, key, actor, now=None):
    """Record a step of the plan as done (once); returns the event, or None when it was ticked already.
    Raises KeyError for a step the plan does not have."""
    if step_label(ticket, key) is None:
        raise KeyError(key)
    if key in ticked(ticket):
        return None
    event = TicketEvent(ticket=ticket, kind=STEP_EVENT, actor=actor, public=False, created_at=now or utcnow(),
                        data={"step": key})
    db.session.add(event)
    ticket.updated_at = event.created_at
    return event


def alert(ticket, event):
    """A new emergency: the directors and the building's butler are told at once (the bell, and every channel
    that reaches them)."""
    if ticket.type.key != "property_emergency":
        return
    building = ticket_building(ticket)
    people = list(users_with_role("property_director"))
    if building is not None and building.butler is not None and building.butler not in people:
        people.append(building.butler)
    by = event.actor.name if event is not None and event.actor is not None else None
    for person in people:
        if person not in ticket.watchers:
            ticket.watchers.append(person)
        notify(person, "property.emergency", ticket, level=2, by=by, emergency=(ticket.fields or {}).get("kind"))


def emergency_label(key):
    """The kind's label (困梯, 火警…), or the stored key of a kind since removed."""
    return next((choice.label for choice in EMERGENCY_KINDS if choice.value == key), key or "")
