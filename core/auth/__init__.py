"""Accounts and sign-in for staff and customers: flask-login, bearer tokens, secure session cookies."""
from flask import flash, jsonify, redirect, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

from core.auth import ratelimit
from core.extensions import db, login_manager
from core.models import User


class SessionInterface(SecureCookieSessionInterface):
    """Marks the cookie Secure whenever the request came over https (or the site says always)."""

    def get_cookie_secure(self, app):
        from flask import request as current_request

        return bool(app.config["SESSION_COOKIE_SECURE"]) or current_request.is_secure


def _load_user(user_id):
    ident, _, version = user_id.partition(".")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user


def _load_user_from_request(req):
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    from core.auth.service import user_for_token

    return user_for_token(header[len("Bearer "):].strip())


def wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _unauthorized():
    if wants_json():
        body = {"error": {"code": "unauthorized", "message": "Authentication required.", "field": None}}
        return jsonify(body), 401
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def init_app(app):
    app.session_interface = SessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_request)
    login_manager.unauthorized_handler(_unauthorized)
    ratelimit.init_app(app)
