"""A customer's own requests: the list, a new request, the request page, replies with files, reopening and
file downloads. Another customer's ticket or file answers 404, the same as one that does not exist."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from core.auth.permissions import requires
from core.desk.ticket_views import load_ticket
from core.extensions import db
from core.models import Ticket
from core.portal import bp, service
from core.search.pages import render_search
from core.tickets import attachments as files
from core.tickets.access import visible_tickets
from core.tickets.relations import resolve_merged
from core.tickets.service import TicketInputError
from core.tickets.timeline import timeline


def type_spec(ticket):
    return current_app.extensions["kefu"].registry.ticket_types.get(ticket.type.key)


@bp.get("/")
@requires("portal.access")
def index():
    query = visible_tickets(current_user).order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(100)
    return render_template("portal/index.html", tickets=db.session.scalars(query).all())


@bp.get("/search")
@requires("portal.access")
def search():
    """The customer's own requests (what they see of them) and the public answers, for one query."""
    return render_search("portal/search.html", {"tickets": ("ticket", None), "articles": ("kb", 5)})


def _new_request_form(form, errors, status):
    return render_template("portal/new.html", types=service.public_types(), form=form, errors=errors,
                           suggest_url=url_for("portal_kb.suggest")), status


@bp.route("/new", methods=["GET", "POST"])
@requires("portal.access")
def new_request():
    if request.method == "GET":
        return _new_request_form(MultiDict(), {}, 200)
    try:
        ticket = service.submit_request(request.form, request.files.getlist("files"), channel="portal",
                                        customer=current_user.customer, requester=current_user)
    except TicketInputError as exc:
        db.session.rollback()
        return _new_request_form(request.form, exc.errors, 400)
    db.session.commit()
    flash(_("Your request #%(id)s was sent. We will reply here.", id=ticket.id), "info")
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))


def _render_ticket(ticket, status=200, draft=None, errors=None):
    return render_template(
        "portal/ticket.html", ticket=ticket, spec=type_spec(ticket), events=timeline(ticket, staff=False),
        reopen_until=service.reopen_deadline(ticket) if service.can_reopen(ticket) else None,
        draft=draft or {}, errors=errors or {},
    ), status


@bp.get("/tickets/<int:ticket_id>")
@requires("portal.access")
def ticket(ticket_id):
    found = load_ticket(ticket_id)
    if found.merged_into_id is not None:
        target = db.session.scalar(visible_tickets(current_user).where(Ticket.id == resolve_merged(found).id))
        if target is not None:
            return redirect(url_for("portal.ticket", ticket_id=target.id))
    return _render_ticket(found)


@bp.post("/tickets/<int:ticket_id>/reply")
@requires("portal.access")
def reply(ticket_id):
    ticket = load_ticket(ticket_id)
    body = request.form.get("body", "")
    try:
        service.reply(ticket, user=current_user, body=body, uploads=request.files.getlist("files"))
    except files.UploadError as exc:
        db.session.rollback()
        return _render_ticket(ticket, 400, draft={"body": body}, errors={"files": str(exc)})
    except TicketInputError as exc:
        db.session.rollback()
        return _render_ticket(ticket, 400, draft={"body": body}, errors=exc.errors)
    except service.PortalRefused as exc:
        flash(str(exc), "error")
        return _render_ticket(ticket, 409, draft={"body": body})
    db.session.commit()
    flash(_("Your message was sent."), "info")
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))


@bp.post("/tickets/<int:ticket_id>/reopen")
@requires("portal.access")
def reopen(ticket_id):
    ticket = load_ticket(ticket_id)
    reason = request.form.get("reason", "")
    try:
        service.reopen(ticket, user=current_user, reason=reason)
    except service.PortalRefused as exc:
        flash(str(exc), "error")
        return _render_ticket(ticket, 409, draft={"reason": reason})
    db.session.commit()
    flash(_("Your request was reopened. We will get back to you."), "info")
    return redirect(url_for("portal.ticket", ticket_id=ticket.id))


@bp.get("/tickets/<int:ticket_id>/files/<int:attachment_id>")
@requires("portal.access")
def download(ticket_id, attachment_id):
    row = service.public_attachment(load_ticket(ticket_id), attachment_id)
    if row is None:
        abort(404)
    return files.send(row)
