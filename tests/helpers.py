"""Small helpers for tests that act as a user would: real forms with real CSRF tokens."""
import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from core.extensions import db
from core.models import Role, User

PASSWORD = "correct horse 42"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def create_user(app, email, *roles, kind="staff", name=None, password=PASSWORD, customer=None, locale=None):
    with app.app_context():
        role_rows = db.session.scalars(select(Role).where(Role.key.in_(roles))).all()
        assert len(role_rows) == len(roles), f"unknown role among {roles}"
        user = User(email=email, name=name or email.split("@")[0], kind=kind, roles=role_rows,
                    customer=customer, locale=locale)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user.id


def csrf_token(client, url):
    page = client.get(url)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1)


def post_form(client, url, data, form_url=None, **kwargs):
    """Submit a form the way a browser does: load the page with the form first, then post with its token."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def login(client, email, password=PASSWORD):
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, f"sign-in of {email} failed with {response.status_code}"
    return response


def schema_differences(app, connection):
    """What the migrations applied to ``app``'s database lack of the models (alembic's autogenerate diff).
    Models of a plugin imported by another test of the run are on db.metadata; its tables (named after it)
    exist only while it is on, so they are left out."""
    state = app.extensions["kefu"]
    off = tuple(f"{name}_" for name in state.plugins if name not in state.enabled_plugins)

    def include(obj, name, kind, reflected, compare_to):
        return not (kind == "table" and name.startswith(off))

    context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include})
    return compare_metadata(context, db.metadata)
