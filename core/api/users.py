"""Accounts through the API, read only: staff see staff, and customer accounts too with customer.view."""
from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from core.api import bp
from core.api.openapi import operation
from core.api.pages import body as page_body
from core.api.pages import by_id
from core.api.schemas import MeSchema, UserPageSchema, UserQuerySchema, UserSchema
from core.extensions import db
from core.models import User


def _readable_users():
    query = select(User).options(selectinload(User.teams))
    if not current_user.can("customer.view"):
        query = query.where(User.kind == "staff")
    return query


@bp.get("/me")
@operation("users", response=MeSchema)
def me():
    """The account behind the token, with its roles and permissions."""
    return MeSchema().dump(current_user)


@bp.get("/users")
@operation("users", query=UserQuerySchema, response=UserPageSchema, errors=(400, 403), permissions=("desk.access",))
def list_users(query):
    """List accounts, oldest first; filter by kind, search by part of the name or e-mail.

    Customer accounts are listed only to staff with customer.view."""
    users = _readable_users()
    if query.get("kind"):
        users = users.where(User.kind == query["kind"])
    if query.get("q"):
        like = f"%{query['q'].strip()}%"
        users = users.where(or_(User.name.ilike(like), User.email.ilike(like)))
    rows, cursor = by_id(users, User.id, query)
    return UserPageSchema().dump(page_body(rows, cursor))


@bp.get("/users/<int:user_id>")
@operation("users", response=UserSchema, errors=(403, 404), permissions=("desk.access",))
def get_user(user_id):
    """An account. Customer accounts are shown only to staff with customer.view."""
    user = db.session.scalar(_readable_users().where(User.id == user_id))
    if user is None:
        abort(404)
    return UserSchema().dump(user)
