"""The floor's work: tables as a lookup, floor requests tied to their table, the 15-minute dish chase, serving
and returning dishes, and who an escalation reaches."""
from datetime import timedelta

from sqlalchemy import select, update

from core.extensions import db
from core.i18n import Label
from core.models import Role, Ticket, User, user_roles, utcnow
from core.plugins.specs import LookupSpec
from core.tickets.fields import Choice
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from plugins.catering.models import DiningTable, Dish, DishReturn, FloorArea, FloorRequest
from plugins.catering.sla import CHASE_MINUTES
from plugins.catering.ticket_types import TYPE_KEYS

BATCH = 200


def table_of_field(value):
    value = str(value or "").strip()
    return db.session.get(DiningTable, int(value)) if value.isdigit() else None


def table_lookup():
    def options(_parent):
        rows = db.session.execute(select(DiningTable.id, DiningTable.name, FloorArea.name).join(FloorArea)
                                  .order_by(FloorArea.sort_order, FloorArea.name, DiningTable.sort_order,
                                            DiningTable.name)).all()
        return [Choice(str(table_id), Label(zh=f"{area} · {name}", en=f"{area} · {name}"))
                for table_id, name, area in rows]

    def resolve(value):
        table = table_of_field(value)
        return (Label(zh=table.name, en=table.name), None) if table is not None else None

    return LookupSpec("catering.table", Label(zh="台号", en="Table"), options=options, resolve=resolve)


def on_created(ticket):
    """Every floor request is tied to its table for the board; a returned dish is logged with its reason."""
    if ticket.type.key not in TYPE_KEYS:
        return
    table = table_of_field((ticket.fields or {}).get("table"))
    if table is None:
        return
    db.session.add(FloorRequest(ticket_id=ticket.id, table_id=table.id, created_at=ticket.created_at))
    if ticket.type.key == "catering_return":
        db.session.add(DishReturn(ticket_id=ticket.id, reason=ticket.fields["reason"], logged_at=ticket.created_at))


def on_transition(ticket, event):
    if ticket.type.key != "catering_return":
        return
    logged = db.session.get(DishReturn, ticket.id)
    if logged is None:
        return
    if event.data.get("transition") == "remake":
        logged.remade_at = event.created_at
    elif event.data.get("transition") == "reserve":
        logged.reserved_at = event.created_at
        if logged.dish is not None:
            logged.dish.served_at = event.created_at if logged.dish.served_at is None else logged.dish.served_at


def _request_for(ticket_id, dish_id):
    db.session.execute(update(FloorRequest).where(FloorRequest.ticket_id == ticket_id).values(dish_id=dish_id))


def chase_late_dishes(now):
    """The scheduled job "catering.dish_chase": a dish not served 15 minutes after it was ordered raises a 催菜
    on its own, once (the dish is claimed with a conditional UPDATE first)."""
    late = db.session.scalars(select(Dish.id).where(Dish.served_at.is_(None), Dish.chased_at.is_(None),
                                                    Dish.ordered_at <= now - timedelta(minutes=CHASE_MINUTES))
                              .order_by(Dish.ordered_at).limit(BATCH)).all()
    chased = 0
    for dish_id in late:
        claimed = db.session.execute(update(Dish).where(Dish.id == dish_id, Dish.chased_at.is_(None),
                                                        Dish.served_at.is_(None)).values(chased_at=now)
                                     .execution_options(synchronize_session=False)).rowcount
        if not claimed:
            db.session.rollback()
            continue
        dish = db.session.get(Dish, dish_id, populate_existing=True)
        order = dish.order
        waited = int((now - dish.ordered_at).total_seconds() // 60)
        ticket = create_ticket(
            type_key="catering_chase", title=f"{order.table.name} 催菜：{dish.name}（已等 {waited} 分钟）",
            channel="system", now=now, customer=_customer_of(order),
            fields={"table": str(order.table_id), "dish": dish.name, "order_number": order.number})
        db.session.flush()
        dish.chase_ticket_id = ticket.id
        _request_for(ticket.id, dish.id)
        db.session.commit()
        chased += 1
    return chased


def _customer_of(order):
    reservation = order.reservation
    return reservation.guest.customer if reservation is not None and reservation.guest is not None else None


def serve(dish, actor, now=None):
    """The dish reached the table: its open chase is finished with it."""
    now = now or utcnow()
    if dish.served_at is not None:
        return False
    dish.served_at = now
    chase = db.session.get(Ticket, dish.chase_ticket_id) if dish.chase_ticket_id else None
    if chase is not None and chase.active:
        transition(chase, "finish", actor=actor, comment="已上菜", now=now)
    return True


def return_dish(dish, reason, actor, note="", now=None):
    """A dish returned by the guest: logged as a 退菜 ticket with its reason (出品不合格), to be re-made."""
    order = dish.order
    ticket = create_ticket(type_key="catering_return", title=f"{order.table.name} 退菜：{dish.name}", body=note,
                           actor=actor, channel="walk_in", now=now, customer=_customer_of(order),
                           fields={"table": str(order.table_id), "dish": dish.name, "order_number": order.number,
                                   "reason": reason})
    db.session.flush()
    _request_for(ticket.id, dish.id)
    db.session.execute(update(DishReturn).where(DishReturn.ticket_id == ticket.id).values(dish_id=dish.id))
    return ticket


def _holders(*role_keys):
    return db.session.scalars(select(User).join(user_roles).join(Role)
                              .where(Role.key.in_(role_keys), User.is_active_account.is_(True))
                              .distinct().order_by(User.id)).all()


# Who each level of escalation reaches, by request type (seed 001: 传菜助理 chases the kitchen, the 襄理 controls the
# whole floor and takes the complaints); level 2 of a complaint goes to the core's managers (总监, 协理).
ESCALATION_ROLES = {
    "catering_chase": {1: ("catering_runner_lead",), 2: ("catering_manager",)},
    "catering_return": {1: ("catering_runner_lead",), 2: ("catering_manager",)},
    "catering_change": {1: ("catering_floor_lead",), 2: ("catering_manager",)},
    "catering_service": {1: ("catering_floor_lead",), 2: ("catering_manager",)},
    "catering_complaint": {1: ("catering_manager",)},
}


def escalation_contacts(ticket, level):
    roles = ESCALATION_ROLES.get(ticket.type.key, {}).get(level)
    if not roles:
        return None
    return _holders(*roles) or None
