"""The floor's pages: the board of each floor area (with its small JSON endpoint, polled every few seconds),
orders and their dishes, reservations with the returning guest's profile, and the shift report."""
from datetime import date, datetime, timezone

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user
from sqlalchemy import select

from core.auth.permissions import requires
from core.extensions import db
from core.models import Ticket, utcnow
from core.reports.kpis import site_timezone
from core.workflow.engine import TransitionError, available_transitions, transition
from plugins.catering import board, floor, guests, orders, report
from plugins.catering.models import Dish, FloorArea, FloorRequest, Order, Reservation
from plugins.catering.ticket_types import REASON_LABELS

bp = Blueprint("catering", __name__, url_prefix="/catering", static_folder="static")


def _get_or_404(model, key):
    found = db.session.get(model, key)
    if found is None:
        abort(404)
    return found


def _wants_json():
    return request.accept_mimetypes.best == "application/json" or request.is_json


def local_instant(text):
    """A datetime-local input (site time) as a UTC instant, or None when empty or unreadable."""
    try:
        return to_utc(datetime.fromisoformat((text or "").strip())).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


# The floor board ---------------------------------------------------------------------------------------------


@bp.get("/board")
@requires("catering.board")
def boards():
    areas = db.session.scalars(select(FloorArea).order_by(FloorArea.sort_order, FloorArea.name)).all()
    return render_template("catering/boards.html", areas=areas)


@bp.get("/board/<int:area_id>")
@requires("catering.board")
def area_board(area_id):
    area = _get_or_404(FloorArea, area_id)
    return render_template("catering/board.html", area=area, data=board.snapshot(area, utcnow()),
                           poll_seconds=board.POLL_SECONDS)


@bp.get("/board/<int:area_id>/data")
@requires("catering.board")
def board_data(area_id):
    return jsonify(board.snapshot(_get_or_404(FloorArea, area_id), utcnow()))


@bp.post("/requests/<int:ticket_id>/<step>")
@requires("catering.board")
def request_step(ticket_id, step):
    """One tap on the board: take or finish a request (or send a returned dish back and serve it again)."""
    found = db.session.get(FloorRequest, ticket_id)
    if found is None:
        abort(404)
    ticket = db.session.get(Ticket, ticket_id)
    comment = request.form.get("comment", "")
    if step == "take" and not comment.strip():
        comment = _("Taken by %(name)s.", name=current_user.name)  # the request's first response
    try:
        transition(ticket, step, actor=current_user, comment=comment,
                   assignee=current_user if step == "take" else None)
    except TransitionError as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify(error=str(exc), allowed=exc.allowed), 409
        flash(str(exc), "error")
    else:
        db.session.commit()
        if _wants_json():
            return jsonify(ok=True, status=ticket.status)
    return redirect(url_for("catering.area_board", area_id=found.table.area_id))


# Orders and dishes -------------------------------------------------------------------------------------------


@bp.get("/orders", endpoint="orders")
@requires("catering.order")
def order_list():
    recent = db.session.scalars(select(Order).order_by(Order.ordered_at.desc()).limit(50)).all()
    return render_template("catering/orders.html", orders=recent)


@bp.route("/orders/new", methods=["GET", "POST"])
@requires("catering.order")
def new_order():
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            order = orders.enter_order(number=form.get("number"), table_id=form.get("table"),
                                       covers=form.get("covers"), ordered_at=local_instant(form.get("ordered_at")),
                                       dishes=form.get("dishes"), reservation_id=form.get("reservation"))
        except orders.OrderInputError as exc:
            db.session.rollback()
            return render_template("catering/order_new.html", form=form, errors=exc.errors,
                                   tables=orders.table_choices()), 400
        db.session.commit()
        flash(_("The order is entered."), "info")
        return redirect(url_for("catering.order", order_id=order.id))
    return render_template("catering/order_new.html", form=form, errors={}, tables=orders.table_choices())


@bp.get("/orders/<int:order_id>")
@requires("catering.order")
def order(order_id):
    return render_template("catering/order.html", order=_get_or_404(Order, order_id), reasons=REASON_LABELS,
                           now=utcnow())


@bp.post("/dishes/<int:dish_id>/serve")
@requires("catering.order")
def serve(dish_id):
    dish = _get_or_404(Dish, dish_id)
    if floor.serve(dish, current_user):
        db.session.commit()
        flash(_("Served: %(dish)s.", dish=dish.name), "info")
    else:
        flash(_("This dish was served already."), "error")
    return redirect(url_for("catering.order", order_id=dish.order_id))


@bp.post("/dishes/<int:dish_id>/return")
@requires("catering.order")
def return_dish(dish_id):
    dish = _get_or_404(Dish, dish_id)
    reason = request.form.get("reason", "")
    if reason not in REASON_LABELS:
        flash(_("Choose why the dish is returned."), "error")
        return redirect(url_for("catering.order", order_id=dish.order_id)), 303
    ticket = floor.return_dish(dish, reason, current_user, note=request.form.get("note", ""))
    db.session.commit()
    flash(_("The returned dish is logged and goes back to the kitchen."), "info")
    return redirect(url_for("desk.ticket", ticket_id=ticket.id))


# Reservations and guests -------------------------------------------------------------------------------------


@bp.get("/reservations")
@requires("catering.reserve")
def reservations():
    today = datetime.combine(utcnow().astimezone(site_timezone()).date(), datetime.min.time(), site_timezone())
    upcoming = db.session.scalars(select(Reservation).where(Reservation.reserved_for >= today)
                                  .order_by(Reservation.reserved_for).limit(100)).all()
    return render_template("catering/reservations.html", reservations=upcoming)


@bp.route("/reservations/new", methods=["GET", "POST"])
@requires("catering.reserve")
def new_reservation():
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            booked = guests.reserve(name=form.get("name"), phone=form.get("phone"), party_size=form.get("party_size"),
                                    reserved_for=local_instant(form.get("reserved_for")), table_id=form.get("table"),
                                    special_requests=form.get("special_requests"), actor=current_user)
        except guests.ReservationInputError as exc:
            db.session.rollback()
            return render_template("catering/reservation_new.html", form=form, errors=exc.errors,
                                   tables=orders.table_choices()), 400
        db.session.commit()
        flash(_("The table is reserved."), "info")
        return redirect(url_for("catering.reservation", reservation_id=booked.id))
    return render_template("catering/reservation_new.html", form=form, errors={}, tables=orders.table_choices())


@bp.get("/reservations/<int:reservation_id>")
@requires("catering.reserve")
def reservation(reservation_id):
    return render_template("catering/reservation.html", reservation=_get_or_404(Reservation, reservation_id))


@bp.get("/guests/by-phone")
@requires("catering.reserve")
def guest_by_phone():
    """The 咨客 types the phone number: a returning guest's profile, to greet them by name."""
    guest = guests.find_by_phone(request.args.get("phone"))
    return jsonify(guest=guests.profile(guest) if guest is not None else None)


# The shift report --------------------------------------------------------------------------------------------


@bp.get("/shift-report")
@requires("catering.report")
def shift_report():
    today, current = report.day_and_shift(utcnow())
    try:
        day = date.fromisoformat(request.args["day"]) if request.args.get("day") else today
    except ValueError:
        flash(_("Choose a day as YYYY-MM-DD."), "error")
        day = today
    shift = report.SHIFT_BY_KEY.get(request.args.get("shift"), current)
    period = report.shift_period(day, shift)
    delays = report.serve_delays(period)
    per_100, complaints, covers = report.complaints_per_100_covers(period)
    return render_template("catering/shift_report.html", day=day, shift=shift, shifts=report.SHIFTS,
                           chases=report.chase_count(period), delays=delays, average=report.average_delay(delays),
                           returns=report.returns_by_reason(period), reasons=REASON_LABELS, per_100=per_100,
                           complaints=complaints, covers=covers, satisfaction=report.satisfaction_by_area(period),
                           zone=site_timezone())


@bp.app_template_global()
def catering_steps(ticket):
    return available_transitions(ticket, current_user)
