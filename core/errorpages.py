"""Error pages in the user's language; JSON errors for the API."""
from flask import render_template
from flask_babel import gettext as _

from core.auth import wants_json

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have permission to open this page."),
    404: lambda: _("The page was not found."),
    405: lambda: _("That action is not allowed here."),
    413: lambda: _("The upload is too large."),
    429: lambda: _("Too many requests. Please wait a moment and try again."),
    500: lambda: _("Something went wrong on our side. Please try again."),
}
CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         413: "too_large", 429: "rate_limited", 500: "server_error"}


def _handler(status):
    def handle(_error):
        message = MESSAGES[status]()
        if wants_json():
            return {"error": {"code": CODES[status], "message": message, "field": None}}, status
        return render_template("error.html", status=status, message=message), status

    return handle


def init_app(app):
    for status in MESSAGES:
        app.register_error_handler(status, _handler(status))
