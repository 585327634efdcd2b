"""The plugin's part of the admin panel: the utility setting, service areas, accounts, meters and the outages."""
from flask import current_app, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import ValidationError

from core.admin.csv_import import CsvImportView
from core.admin.views import SecureMixin, SecureModelView
from core.extensions import db
from core.models import audit
from core.plugins.sync import sync_registry
from plugins.water.areas import would_loop
from plugins.water.imports import ACCOUNT_COLUMNS, METER_COLUMNS, save_account, save_meter
from plugins.water.models import Account, Area, Meter, Outage, WaterSettings
from plugins.water.search import reindex_accounts, reindex_area
from plugins.water.terms import KIND_LABELS, KINDS, forget_kind

CATEGORY = _l("Utility")


class SettingsView(SecureMixin, BaseView):
    """Which utility the site is: the words of every page, role and ticket type follow it."""

    @expose("/", methods=("GET", "POST"))
    def index(self):
        settings = WaterSettings.current()
        if request.method == "POST":
            kind = request.form.get("utility_kind")
            hotline = (request.form.get("hotline") or "").strip()
            if kind not in KINDS:
                flash(_("Choose water, gas or power."), "error")
            elif len(hotline) > 40:
                flash(_("The hotline is longer than 40 characters."), "error")
            else:
                settings.utility_kind, settings.hotline = kind, hotline or None
                db.session.add(settings)
                audit.record("water.settings", actor=current_user, ip=request.remote_addr, kind=kind, hotline=hotline)
                db.session.commit()
                forget_kind()
                sync_registry(current_app.extensions["kefu"].registry)  # the stored names of types and roles
                flash(_("Saved."), "info")
                return redirect(url_for(".index"))
        return self.render("admin/water_settings.html", settings=settings, kinds=[(k, KIND_LABELS[k]) for k in KINDS])


class AreaView(SecureModelView):
    column_list = ("name", "parent", "crew_team")
    column_labels = {"name": _l("Name"), "parent": _l("Part of"), "crew_team": _l("Repair crew"),
                     "children": _l("Sub-areas"), "created_at": _l("Created")}
    form_columns = ("name", "parent", "crew_team")
    column_searchable_list = ("name",)
    column_default_sort = "name"

    def on_model_change(self, form, model, is_created):
        if would_loop(model, model.parent):
            raise ValidationError(_("An area cannot lie inside itself."))
        super().on_model_change(form, model, is_created)
        if not is_created:
            reindex_area(model)  # its name is a search value of its tickets


ACCOUNT_STATE_CHOICES = [("active", _l("Account in use")), ("suspended", _l("Suspended")), ("closed", _l("Account closed"))]


class AccountView(SecureModelView):
    column_list = ("number", "holder", "address", "area", "status", "opened_on")
    column_labels = {"number": _l("Account number"), "holder": _l("Holder"), "address": _l("Address"),
                     "area": _l("Service area"), "status": _l("Status"), "opened_on": _l("Opened on"),
                     "closed_at": _l("Closed on"), "meters": _l("Meters"), "created_at": _l("Created"),
                     "updated_at": _l("Updated")}
    form_columns = ("number", "holder", "address", "area", "status", "opened_on")
    column_searchable_list = ("number", "address")
    column_filters = ("status", "area.name")
    column_choices = {"status": ACCOUNT_STATE_CHOICES}
    form_choices = {"status": ACCOUNT_STATE_CHOICES}
    form_ajax_refs = {"holder": {"fields": ("name", "phone")}}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        reindex_accounts({form.number.object_data, model.number} - {None})


class MeterView(SecureModelView):
    column_list = ("number", "account", "last_reading", "last_read_on", "status")
    column_labels = {"number": _l("Meter number"), "account": _l("Account"), "last_reading": _l("Last reading"),
                     "last_read_on": _l("Read on"), "installed_on": _l("Installed"), "status": _l("Status")}
    form_columns = ("number", "account", "last_reading", "last_read_on", "installed_on", "status")
    column_searchable_list = ("number",)
    column_choices = {"status": [("in_service", _l("In service")), ("removed", _l("Removed"))]}
    form_choices = column_choices
    form_ajax_refs = {"account": {"fields": ("number",)}}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        accounts = {getattr(form.account.object_data, "number", None), getattr(model.account, "number", None)}
        reindex_accounts(accounts - {None})


class OutageView(SecureModelView):
    """Outages are planned (and cancelled) on the desk, where the checks run and the customers are told; the
    admin panel lists them."""

    column_list = ("id", "areas", "starts_at", "ends_at", "reason", "cancelled_at", "created_by")
    column_labels = {"id": "#", "areas": _l("Areas"), "starts_at": _l("Starts"), "ends_at": _l("Ends"),
                     "reason": _l("Reason"), "cancelled_at": _l("Cancelled"), "created_by": _l("Planned by"),
                     "created_at": _l("Created")}
    column_default_sort = ("starts_at", True)
    can_create = can_edit = can_delete = False


def admin_views():
    return [
        SettingsView(name=_l("Utility setting"), category=CATEGORY, endpoint="water_settings",
                     url="/admin/water/settings"),
        AreaView(Area, db, name=_l("Service areas"), category=CATEGORY, endpoint="water_areas"),
        AccountView(Account, db, name=_l("Accounts"), category=CATEGORY, endpoint="water_accounts"),
        MeterView(Meter, db, name=_l("Meters"), category=CATEGORY, endpoint="water_meters"),
        OutageView(Outage, db, name=_l("Planned outages"), category=CATEGORY, endpoint="water_outages"),
        CsvImportView(name=_l("Import accounts"), category=CATEGORY, columns=ACCOUNT_COLUMNS, save_row=save_account,
                      endpoint="water_account_import",
                      description=_l("One account per row. An account number that exists already is updated; the "
                                     "service area is written by its name.")),
        CsvImportView(name=_l("Import meters"), category=CATEGORY, columns=METER_COLUMNS, save_row=save_meter,
                      endpoint="water_meter_import",
                      description=_l("One meter per row, with its account number and last reading. A meter number "
                                     "that exists already is updated.")),
    ]
