"""Without an account: the public form for the public request types (rate-limited per address, with a
honeypot field that people never see and bots fill in), answers from the public FAQ while the title is
typed, and a signed tracking link that shows one request's public timeline, read-only."""
import logging

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from core.auth.permissions import public
from core.auth.ratelimit import limiter
from core.customers.service import CustomerInputError
from core.extensions import db
from core.kb.service import excerpt, suggest_articles
from core.kb.views import search_query
from core.portal import bp, service
from core.portal.ticket_views import type_spec
from core.tickets import attachments as files
from core.tickets.service import TicketInputError
from core.tickets.timeline import timeline

log = logging.getLogger("kefu.portal")
HONEYPOT = "website"
EXCERPT_LENGTH = 200  # visitors cannot open the FAQ, so they get more of each answer


def _public_form(form, errors, status=200):
    return render_template("portal/public_request.html", types=service.public_types(), form=form, errors=errors,
                           honeypot=HONEYPOT, suggest_url=url_for("portal.public_suggest")), status


@bp.route("/request", methods=["GET", "POST"])
@public
def public_request():
    if request.method == "GET":
        return _public_form(MultiDict(), {})
    form = request.form
    if not limiter().hit("portal-public-form", request.remote_addr or "-", service.setting("PUBLIC_FORM_RATE_LIMITS")):
        return _public_form(form, {"form": _("You have sent too many requests from your address. Please try again "
                                             "later, or call us.")}, 429)
    if form.get(HONEYPOT):
        log.info("public form: the honeypot field was filled in from %s; dropped", request.remote_addr)
        flash(_("Thank you. We received your request."), "info")
        return redirect(url_for("portal.public_request"))
    try:
        customer = service.contact_record(name=form.get("name"), email=form.get("email"), phone=form.get("phone"))
        ticket = service.submit_request(form, request.files.getlist("files"), channel="web", customer=customer,
                                        requester=None)
    except CustomerInputError as exc:
        db.session.rollback()
        return _public_form(form, {f"contact_{key}": message for key, message in exc.errors.items()}, 400)
    except TicketInputError as exc:
        db.session.rollback()
        return _public_form(form, exc.errors, 400)
    db.session.commit()
    token = service.track_token(ticket)
    if customer.email:  # the address the visitor typed
        service.send_tracking_link(customer.email, ticket, url_for("portal.track", token=token, _external=True))
    flash(_("We received your request #%(id)s. Keep the address of this page to follow it.", id=ticket.id), "info")
    return redirect(url_for("portal.track", token=token))


@bp.get("/request/suggest")
@public
def public_suggest():
    articles = suggest_articles(search_query(request.args), public_only=True)
    return jsonify(articles=[{"id": a.id, "title": a.title, "excerpt": excerpt(a, EXCERPT_LENGTH), "url": None}
                             for a in articles])


def _tracked(token):
    ticket = service.ticket_for_track_token(token)
    if ticket is None:
        abort(404)
    return ticket


@bp.url_defaults
def _tracking_token(endpoint, values):
    """The timeline macro names a file by ticket and attachment; on a tracking page the page's token joins."""
    if endpoint == "portal.track_file" and "token" in (request.view_args or {}):
        values.setdefault("token", request.view_args["token"])


@bp.get("/track/<token>")
@public
def track(token):
    ticket = _tracked(token)
    return render_template("portal/track.html", ticket=ticket, spec=type_spec(ticket),
                           events=timeline(ticket, staff=False))


@bp.get("/track/<token>/tickets/<int:ticket_id>/files/<int:attachment_id>")
@public
def track_file(token, ticket_id, attachment_id):
    ticket = _tracked(token)
    row = service.public_attachment(ticket, attachment_id) if ticket.id == ticket_id else None
    if row is None:
        abort(404)
    return files.send(row)
