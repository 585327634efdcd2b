"""Sign in, sign out, language choice and the user's profile (language, API tokens)."""
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from core.auth import service
from core.auth.forms import LanguageForm, LoginForm, TokenForm
from core.auth.permissions import public, requires
from core.extensions import db
from core.models import ApiToken, audit

bp = Blueprint("auth", __name__)


def _home_for(user):
    return url_for("desk.index") if user.is_staff else url_for("portal.index")


def _safe_next(target):
    """Only paths on this site: an open redirect after login would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/")
@public
def home():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        config = current_app.config
        try:
            user = service.authenticate(
                form.email.data, form.password.data, request.remote_addr,
                config["LOGIN_RATE_LIMITS"], config["LOGIN_RATE_LIMITS_PER_ADDRESS"],
            )
        except service.RateLimited:
            flash(_("Too many sign-in attempts. Please wait a few minutes and try again."), "error")
            return render_template("auth/login.html", form=form), 429
        if user is not None:
            language = session.get("locale")
            session.clear()  # a fresh session on sign-in: no fixation
            if language:
                session["locale"] = language
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or _home_for(user))
        flash(_("Invalid e-mail or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@requires()
def logout():
    audit.record("logout", actor=current_user, ip=request.remote_addr)
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.home"))


@bp.route("/profile", methods=["GET", "POST"])
@requires()
def profile():
    token_form = TokenForm()
    new_token = None
    if token_form.validate_on_submit():
        _row, new_token = service.issue_token(current_user, token_form.name.data)
        flash(_("Copy the token now: it is shown only once."), "info")
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    return render_template("auth/profile.html", token_form=token_form, tokens=tokens, new_token=new_token,
                           language_form=LanguageForm(language=current_user.locale or current_app.config["DEFAULT_LOCALE"]))


@bp.post("/profile/tokens/<int:token_id>/revoke")
@requires()
def revoke_token(token_id):
    if service.revoke_token(current_user, token_id):
        flash(_("The token was revoked."), "info")
    return redirect(url_for("auth.profile"))
