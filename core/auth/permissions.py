"""Every view declares what it needs: a permission, any signed-in user, or nothing (public).

`declared_permission(app, endpoint)` reads the declaration back; a test walks the URL map with it and fails
on any view that declares nothing.
"""
from functools import wraps

from flask import abort, current_app
from flask_admin import BaseView
from flask_login import current_user

PUBLIC = "public"
AUTHENTICATED = "authenticated"


def _declare(view, declaration):
    view._kefu_permission = declaration
    return view


def public(view):
    """Open to everyone, signed in or not."""
    return _declare(view, PUBLIC)


def requires(*permissions):
    """Signed in and holding every permission named; with none named, any signed-in account."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not all(current_user.can(p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapped, permissions or AUTHENTICATED)

    return decorator


def declared_permission(app, endpoint):
    """What the view behind `endpoint` declares, or None when it declares nothing."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC  # files of the app's and blueprints' static folders
    view = app.view_functions[endpoint]
    owner = getattr(view, "__self__", None)
    if isinstance(owner, BaseView):  # Flask-Admin views declare it on the class
        return getattr(owner, "permission", None)
    return getattr(view, "_kefu_permission", None)
