"""Customers' own accounts: signing up, and signing in with a single-use link sent by e-mail (the password
sign-in is the site's /login). A link opens a page with a button: mail scanners that follow links do not
spend it."""
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from core.auth.permissions import public
from core.auth.ratelimit import limiter
from core.customers.service import CustomerInputError
from core.extensions import db
from core.portal import bp, service
from core.portal.forms import LinkRequestForm, SignUpForm


def _start_session(user):
    """A fresh session for the account (no fixation), keeping the language chosen before."""
    language = session.get("locale")
    session.clear()
    if language:
        session["locale"] = language
    login_user(user)


def _too_many():
    flash(_("Too many attempts from your address. Please try again later."), "error")


@bp.route("/signup", methods=["GET", "POST"])
@public
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = SignUpForm()
    if not form.validate_on_submit():
        return render_template("portal/signup.html", form=form), 400 if request.method == "POST" else 200
    if not limiter().hit("portal-sign-up", request.remote_addr or "-", service.setting("PORTAL_ACCOUNT_RATE_LIMITS")):
        _too_many()
        return render_template("portal/signup.html", form=form), 429
    try:
        user = service.sign_up(name=form.name.data, email=form.email.data, phone=form.phone.data,
                               password=form.password.data, locale=session.get("locale"))
        db.session.commit()
    except CustomerInputError as exc:
        db.session.rollback()
        for key, message in exc.errors.items():
            getattr(form, key, form.name).errors.append(message)
        return render_template("portal/signup.html", form=form), 400
    except (service.EmailTaken, IntegrityError):  # IntegrityError: the same address signed up a moment ago
        db.session.rollback()
        form.email.errors.append(_("This e-mail address cannot be used to sign up. If you already have an account, "
                                   "sign in with your password or ask for a sign-in link."))
        return render_template("portal/signup.html", form=form), 400
    _start_session(user)
    flash(_("Welcome! Your account is ready."), "info")
    return redirect(url_for("portal.index"))


@bp.route("/link", methods=["GET", "POST"])
@public
def request_link():
    if current_user.is_authenticated:
        return redirect(url_for("auth.home"))
    form = LinkRequestForm()
    mail_ready = bool(current_app.config.get("MAIL_SERVER"))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("portal/link_request.html", form=form, mail_ready=mail_ready), status
    email = form.email.data.lower()
    limits = service.setting("PORTAL_ACCOUNT_RATE_LIMITS")
    if (not limiter().hit("portal-link-address", request.remote_addr or "-", limits)
            or not limiter().hit("portal-link-email", email, limits)):
        _too_many()
        return render_template("portal/link_request.html", form=form, mail_ready=mail_ready), 429
    service.send_sign_in_link(email, lambda token: url_for("portal.sign_in_link", token=token, _external=True))
    # The same answer whether or not an account uses the address.
    flash(_("If a customer account uses this address, a sign-in link is on its way. It works once, within "
            "%(n)d minutes.", n=service.setting("PORTAL_LINK_MAX_AGE") // 60), "info")
    return redirect(url_for("portal.request_link"))


@bp.route("/link/<token>", methods=["GET", "POST"])
@public
def sign_in_link(token):
    user = service.user_for_sign_in_token(token)
    if user is None or request.method == "GET":
        return render_template("portal/link.html", user=user), 404 if user is None else 200
    if not service.use_sign_in_token(user, request.remote_addr):
        db.session.rollback()
        return render_template("portal/link.html", user=None), 404
    db.session.commit()
    _start_session(user)
    return redirect(url_for("portal.index"))
