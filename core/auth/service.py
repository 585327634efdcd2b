"""Signing in: rate limits, password check without telling which part was wrong, audit rows."""
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from core.auth.ratelimit import limiter
from core.extensions import db
from core.models import ApiToken, User, audit, utcnow


class RateLimited(Exception):
    pass


@lru_cache(maxsize=1)
def _dummy_hash():
    # Checked for unknown accounts so that a wrong e-mail costs as long as a wrong password.
    return generate_password_hash("not a password", method="scrypt")


def find_user(email):
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email, password, ip, limits, per_address):
    """Return the user for a correct e-mail and password, else None. Raises RateLimited when over a limit."""
    email = email.strip().lower()
    rl = limiter()
    if not rl.hit("login-address", ip or "-", per_address) or not rl.hit("login", f"{ip}|{email}", limits):
        audit.record("login_limited", ip=ip, email=email)
        db.session.commit()
        raise RateLimited()
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
    if user is None or not user.check_password(password) or not user.is_active:
        audit.record("login_failed", actor=user, ip=ip, email=email)
        db.session.commit()
        return None
    rl.clear("login", f"{ip}|{email}", limits)
    user.last_login_at = utcnow()
    audit.record("login", actor=user, ip=ip)
    db.session.commit()
    return user


def user_for_token(token):
    """The active user behind a bearer token, or None. Revoked tokens and inactive users get nothing."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token))
                            .options(joinedload(ApiToken.user)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    _note_use(row)
    return row.user


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _note_use(row):
    """Record when a token was last used, at most once a minute and outside the request's own session, so
    an API call neither pays for a write nor has its loaded objects expired by a commit."""
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < TOKEN_USE_RESOLUTION:
        return
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))


def issue_token(user, name):
    row, token = ApiToken.issue(user, name)
    db.session.add(row)
    audit.record("token.create", actor=user, target=user, name=name)
    db.session.commit()
    return row, token


def revoke_token(user, token_id):
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    audit.record("token.revoke", actor=user, target=user, name=row.name)
    db.session.commit()
    return True
