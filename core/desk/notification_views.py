"""The bell: a user's notifications (mentions, assignments, approvals to give, escalations)."""
from flask import redirect, render_template, request, url_for
from flask_login import current_user

from core import notifications
from core.auth.permissions import requires
from core.desk import bp
from core.extensions import db


@bp.get("/notifications")
@requires("desk.access")
def notification_list():
    return render_template("desk/notifications.html", items=notifications.recent(current_user, limit=100))


@bp.post("/notifications/read")
@requires("desk.access")
def notifications_read():
    ids = [int(v) for v in request.form.getlist("id") if v.isdigit()] or None
    notifications.mark_read(current_user, ids)
    db.session.commit()
    return redirect(url_for("desk.notification_list"))
