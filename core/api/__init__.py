"""The REST API, /api/v1: bearer tokens, JSON errors {"error": {"code", "message", "field"}}."""
from flask import Blueprint, jsonify
from flask_login import current_user

from core.auth.permissions import requires

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error(status, code, message, field=None):
    return jsonify({"error": {"code": code, "message": message, "field": field}}), status


@bp.get("/me")
@requires()
def me():
    user = current_user
    return jsonify(
        id=user.id, email=user.email, name=user.name, kind=user.kind,
        roles=[role.key for role in user.active_roles()], permissions=sorted(user.permission_keys),
    )
