"""Admin panel views. Every view requires the admin permission; every change is written to the audit log."""
from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import AdminIndexView, BaseView, expose
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from wtforms import PasswordField
from wtforms.validators import Length, Optional

from core.extensions import db
from core.models import (
    AuditLog,
    Customer,
    CustomerMessage,
    Permission,
    Role,
    SmsMessage,
    Team,
    Ticket,
    TicketType,
    User,
    audit,
    utcnow,
)
from core.plugins import settings as plugin_settings


class SecureMixin:
    """Only accounts holding `permission`; anonymous visitors are sent to sign in, others get 403."""

    permission = "admin.access"

    def is_accessible(self):
        return current_user.is_authenticated and current_user.can(self.permission)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)


class SecureIndexView(SecureMixin, AdminIndexView):
    @expose("/")
    def index(self):
        state = current_app.extensions["kefu"]
        counts = {
            "users": db.session.scalar(select(func.count(User.id)).where(User.kind == "staff")),
            "customers": db.session.scalar(select(func.count(Customer.id))),
            "tickets": db.session.scalar(select(func.count(Ticket.id))),
        }
        broken = [info for info in state.plugins.values() if info.state == "broken"]
        return self.render("admin/kefu_index.html", counts=counts, broken=broken)


class AdminForm(FlaskForm):
    """Flask-WTF's CSRF for the admin's forms; `_obj` is what Flask-Admin's Unique validator compares with."""

    def __init__(self, formdata=None, obj=None, prefix="", **kwargs):
        self._obj = obj
        super().__init__(formdata=formdata, obj=obj, prefix=prefix, **kwargs)


class SecureModelView(SecureMixin, ModelView):
    """Base for every model view of the core and the plugins: CSRF through Flask-WTF, audited changes."""

    form_base_class = AdminForm
    page_size = 50
    can_view_details = True

    def on_model_change(self, form, model, is_created):
        db.session.flush()  # a new row gets its id, so the audit row can name it
        changed = sorted(name for name, field in form._fields.items() if field.object_data != field.data
                         and name not in ("csrf_token", "new_password"))
        audit.record("admin.create" if is_created else "admin.update", actor=current_user, target=model,
                     ip=request.remote_addr, fields=changed)

    def on_model_delete(self, model):
        audit.record("admin.delete", actor=current_user, target=model, ip=request.remote_addr, name=str(model))


class UserView(SecureModelView):
    column_list = ("email", "name", "kind", "roles", "is_active_account", "last_login_at")
    column_labels = {"email": _l("E-mail"), "name": _l("Name"), "kind": _l("Account kind"), "roles": _l("Roles"),
                     "is_active_account": _l("Active"), "last_login_at": _l("Last sign-in"), "teams": _l("Teams"),
                     "locale": _l("Language"), "phone": _l("Phone"), "customer": _l("Customer record"),
                     "new_password": _l("New password")}
    column_searchable_list = ("email", "name")
    column_filters = ("kind", "is_active_account")
    column_choices = {"kind": [("staff", _l("Staff")), ("customer", _l("Customer"))]}
    column_formatters = {"last_login_at": lambda view, context, model, name: format_datetime(model.last_login_at, "short")
                         if model.last_login_at else ""}
    column_details_exclude_list = ("password_hash", "session_version")
    form_columns = ("email", "name", "kind", "phone", "locale", "is_active_account", "roles", "customer", "new_password")
    form_choices = {"kind": [("staff", _l("Staff")), ("customer", _l("Customer"))],
                    "locale": [("zh", "简体中文"), ("en", "English")]}
    form_extra_fields = {"new_password": PasswordField(_l("New password"), validators=[Optional(), Length(min=8, max=200)])}

    def on_model_change(self, form, model, is_created):
        model.email = model.email.strip().lower()
        if form.new_password.data:
            model.set_password(form.new_password.data)
        elif not model.is_active_account:
            model.session_version = (model.session_version or 0) + 1  # sign the account out everywhere
        super().on_model_change(form, model, is_created)


class RoleView(SecureModelView):
    column_list = ("key", "label_zh", "label_en", "level", "plugin")
    column_labels = {"key": _l("Key"), "label_zh": _l("Chinese label"), "label_en": _l("English label"),
                     "level": _l("Level"), "plugin": _l("Plugin"), "permissions": _l("Permissions")}
    form_columns = ("label_zh", "label_en", "permissions")
    can_create = False  # roles come from the core and the plugins
    can_delete = False


class PermissionView(SecureModelView):
    column_list = ("key", "label_zh", "label_en", "plugin")
    column_labels = RoleView.column_labels
    can_create = can_edit = can_delete = False


class TeamView(SecureModelView):
    column_list = ("name", "supervisor", "members", "active")
    column_labels = {"name": _l("Name"), "supervisor": _l("Supervisor"), "members": _l("Members"),
                     "active": _l("Active"), "description": _l("Description")}
    form_columns = ("name", "description", "supervisor", "members", "active")
    column_searchable_list = ("name",)


class TicketTypeView(SecureModelView):
    column_list = ("key", "label_zh", "label_en", "workflow", "plugin", "public", "active", "sort_order")
    column_labels = {**RoleView.column_labels, "workflow": _l("Workflow"), "public": _l("Public"),
                     "active": _l("Active"), "sort_order": _l("Order")}
    form_columns = ("public", "active", "sort_order")
    can_create = False  # types and their fields come from code
    can_delete = False


class AuditLogView(SecureModelView):
    column_list = ("created_at", "actor", "action", "target_type", "target_id", "ip", "detail")
    column_labels = {"created_at": _l("Time"), "actor": _l("Who"), "action": _l("Action"),
                     "target_type": _l("Object"), "target_id": _l("ID"), "ip": _l("IP address"), "detail": _l("Detail")}
    column_default_sort = ("id", True)
    column_filters = ("action",)
    can_create = can_edit = can_delete = False


class CustomerMessageView(SecureModelView):
    """Every message to a customer (反馈, notices) and whether it went out."""

    column_list = ("created_at", "customer", "ticket", "kind", "channel", "subject", "state", "attempts", "sent_at",
                   "error")
    column_labels = {"created_at": _l("Time"), "customer": _l("Customer"), "ticket": _l("Ticket"), "kind": _l("Kind"),
                     "channel": _l("Channel"), "subject": _l("Subject"), "body": _l("Text"), "state": _l("State"),
                     "attempts": _l("Attempts"), "sent_at": _l("Sent"), "error": _l("Error"),
                     "claimed_at": _l("Claimed")}
    column_default_sort = ("id", True)
    column_filters = ("state", "channel", "kind")
    column_searchable_list = ("subject",)
    can_create = can_edit = can_delete = False


class WaitingFilter(BaseSQLAFilter):
    """Texts the gateway has not picked up yet (or has)."""

    def apply(self, query, value, alias=None):
        return query.filter(SmsMessage.picked_up_at.is_(None) if value == "1" else SmsMessage.picked_up_at.is_not(None))

    def operation(self):
        return _l("is")


class SmsOutboxView(SecureModelView):
    """Texts waiting for the site's SMS gateway; whoever hands them over marks them as picked up."""

    column_list = ("created_at", "phone", "text", "customer", "picked_up_at")
    column_labels = {"created_at": _l("Time"), "phone": _l("Phone"), "text": _l("Text"), "customer": _l("Customer"),
                     "picked_up_at": _l("Picked up"), "source": _l("Sent for")}
    column_default_sort = ("id", True)
    column_filters = (WaitingFilter(SmsMessage.picked_up_at, _l("Waiting"), options=(("1", _l("Yes")), ("0", _l("No")))),
                      "phone")
    column_searchable_list = ("phone",)
    can_create = can_edit = can_delete = False

    @action("picked_up", _l("Mark as picked up"))
    def mark_picked_up(self, ids):
        rows = update(SmsMessage).where(SmsMessage.id.in_([int(i) for i in ids]), SmsMessage.picked_up_at.is_(None))
        count = db.session.execute(rows.values(picked_up_at=utcnow())).rowcount
        audit.record("admin.sms_picked_up", actor=current_user, ip=request.remote_addr, count=count)
        db.session.commit()
        flash(_("%(n)d texts marked as picked up.", n=count), "info")


class PluginsView(SecureMixin, BaseView):
    @expose("/")
    def index(self):
        state = current_app.extensions["kefu"]
        return self.render("admin/kefu_plugins.html", plugins=sorted(state.plugins.values(), key=lambda i: i.name),
                           safe_mode=current_app.config["SAFE_MODE"], pinned=current_app.config["PLUGINS"] is not None)

    @expose("/<plugin>/<action>", methods=("POST",))
    def toggle(self, plugin, action):
        if action not in ("enable", "disable"):
            abort(404)
        try:
            plugin_settings.set_enabled(current_app, plugin, action == "enable", actor=current_user)
        except plugin_settings.UnknownPlugin:
            abort(404)
        flash(_("Saved. The change takes effect when the site is restarted."), "info")
        return redirect(url_for(".index"))


CORE_MODEL_VIEWS = (
    (UserView, User, _l("Users"), "admin_users"),
    (RoleView, Role, _l("Roles"), "admin_roles"),
    (PermissionView, Permission, _l("Permissions"), "admin_permissions"),
    (TeamView, Team, _l("Teams"), "admin_teams"),
    (TicketTypeView, TicketType, _l("Ticket types"), "admin_ticket_types"),
    (AuditLogView, AuditLog, _l("Audit log"), "admin_audit_log"),
    (CustomerMessageView, CustomerMessage, _l("Messages to customers"), "admin_customer_messages"),
    (SmsOutboxView, SmsMessage, _l("SMS outbox"), "admin_sms_outbox"),
)
