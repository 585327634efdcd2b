"""Accounts (staff and customers), roles, permissions and API tokens."""
import hashlib
import secrets

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.extensions import db
from core.i18n import Label
from core.models.types import JSONType, UTCDateTime, utcnow

role_permissions = Table(
    "role_permission",
    db.metadata,
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
    Column("permission_id", ForeignKey("permission.id", ondelete="CASCADE"), primary_key=True),
)

user_roles = Table(
    "user_role",
    db.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


class Permission(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    plugin: Mapped[str | None] = mapped_column(String(64))  # None: the core's own
    label_zh: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))

    @property
    def label(self):
        return Label(zh=self.label_zh, en=self.label_en)

    def __str__(self):
        return f"{self.label} ({self.key})"


class Role(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    plugin: Mapped[str | None] = mapped_column(String(64))
    # The core level this role maps onto: admin, manager, supervisor, agent, quality or customer.
    level: Mapped[str] = mapped_column(String(20))
    label_zh: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    # The permissions the code declared at the last sync; lets a sync add and drop what the code changed
    # without undoing what an admin changed by hand.
    declared_permissions: Mapped[list] = mapped_column(JSONType, default=list)
    permissions = relationship(Permission, secondary=role_permissions, lazy="selectin")

    @property
    def label(self):
        return Label(zh=self.label_zh, en=self.label_en)

    def __str__(self):
        return str(self.label)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # "staff" works in the desk, "customer" in the portal; one table so that e-mail stays unique.
    kind: Mapped[str] = mapped_column(String(10), default="staff")
    is_active_account: Mapped[bool] = mapped_column("active", Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(40))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"), index=True)
    # Skills that assignment rules can ask for (e.g. "billing", "English"); staff only.
    skills: Mapped[list] = mapped_column(JSONType, default=list)
    # Bumped on password change or deactivation: sessions carrying the old value stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_login_at = mapped_column(UTCDateTime)

    roles = relationship(Role, secondary=user_roles, lazy="selectin")
    customer = relationship("Customer", foreign_keys=[customer_id])

    def __str__(self):
        return self.name

    # flask-login
    @property
    def is_active(self):
        return bool(self.is_active_account)

    def get_id(self):
        return f"{self.id}.{self.session_version}"

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_staff(self):
        return self.kind == "staff"

    def active_roles(self):
        """Roles of plugins that are switched off keep their rows but grant nothing."""
        enabled = current_app.extensions["kefu"].enabled_plugins
        return [role for role in self.roles if role.plugin is None or role.plugin in enabled]

    @property
    def permission_keys(self):
        cached = self.__dict__.get("_permission_keys")
        if cached is None:
            cached = frozenset(p.key for role in self.active_roles() for p in role.permissions)
            self.__dict__["_permission_keys"] = cached
        return cached

    def can(self, permission):
        return permission in self.permission_keys

    def role_levels(self):
        return {role.level for role in self.active_roles()}


class ApiToken(db.Model):
    """A bearer token for the REST API. Only a hash is stored; the token is shown once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    last_used_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user = relationship(User)

    PREFIX = "kefu_"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, name):
        """Create a token for `user`; returns (row, plain token). The plain token is never stored."""
        token = cls.PREFIX + secrets.token_urlsafe(32)
        row = cls(user=user, name=name, token_hash=cls.hash(token), prefix=token[: len(cls.PREFIX) + 6])
        return row, token
