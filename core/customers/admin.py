"""The customer archive in the admin panel: the records (listed; protected ones by name and level only, and
every change made at the desk, where the clearance and reason rules apply), the site's grades and credit
grades, the care rules, the access log of protected records (借阅记录), the problem-customer flags, and the
CSV import."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError

from core.admin.csv_import import CsvImportView
from core.admin.views import SecureModelView
from core.care.service import RULE_LABELS, check_rule
from core.customers import transfer
from core.customers.access import LEVEL_LABELS
from core.customers.grades import grade_label, grades
from core.customers.service import KIND_LABELS
from core.extensions import db
from core.models import CareRule, Customer, CustomerAccess, CustomerFlag, CustomerGrade

CATEGORY = _l("Customer archive")


def _label(labels):
    return lambda view, context, model, name: labels.get(getattr(model, name), getattr(model, name))


def _detail(view, context, model, name):
    """A protected record's details stay out of the list."""
    return "—" if model.protected else (getattr(model, name) or "")


def _desk_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(url_for("customers.page", customer_id=model.id), model.name)


class CustomerView(SecureModelView):
    """Listing and searching only: records are created and changed at the desk (or by import), where the
    clearance and reason rules apply."""

    can_create = can_edit = can_delete = can_view_details = False
    column_list = ("id", "name", "kind", "grade", "confidentiality", "phone", "email", "problem", "verified",
                   "created_at")
    column_labels = {"id": "#", "name": _l("Name"), "kind": _l("Kind"), "phone": _l("Phone"), "email": _l("E-mail"),
                     "grade": _l("Grade"), "confidentiality": _l("Confidentiality"), "problem": _l("Problem customer"),
                     "verified": _l("Verified"), "created_at": _l("Created")}
    column_formatters = {"name": _desk_link, "kind": _label(KIND_LABELS), "confidentiality": _label(LEVEL_LABELS),
                         "phone": _detail, "email": _detail,
                         "grade": lambda view, context, model, name: "—" if model.protected
                         else grade_label("grade", model.grade)}
    column_searchable_list = ("name",)
    column_filters = ("kind", "confidentiality", "problem", "verified")
    column_default_sort = ("id", True)

    def get_query(self):
        return super().get_query().filter(Customer.merged_into_id.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(Customer.merged_into_id.is_(None))


class GradeView(SecureModelView):
    column_list = ("scheme", "key", "label_zh", "label_en", "sort_order")
    column_labels = {"scheme": _l("List"), "key": _l("Key"), "label_zh": _l("Chinese label"),
                     "label_en": _l("English label"), "sort_order": _l("Order")}
    column_formatters = {"scheme": _label({"grade": _l("Customer grade"), "credit": _l("Credit grade")})}
    form_choices = {"scheme": [("grade", _l("Customer grade")), ("credit", _l("Credit grade"))]}
    form_columns = ("scheme", "key", "label_zh", "label_en", "sort_order")
    column_default_sort = [("scheme", False), ("sort_order", False)]

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        del form.scheme, form.key  # records point at the key: it never changes
        return form

    def _in_use(self, model):
        column = Customer.grade if model.scheme == "grade" else Customer.credit_grade
        return db.session.scalar(select(func.count(Customer.id)).where(column == model.key))

    def on_model_change(self, form, model, is_created):
        if is_created:
            with db.session.no_autoflush:
                taken = db.session.scalar(select(CustomerGrade.id).where(CustomerGrade.scheme == model.scheme,
                                                                         CustomerGrade.key == model.key))
            if taken is not None:
                raise ValidationError(_("This list already has a grade with this key."))
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        used = self._in_use(model)
        if used:
            raise ValidationError(_("%(n)d customer records have this grade; give them another grade first.", n=used))
        super().on_model_delete(model)


class CareRuleView(SecureModelView):
    can_create = can_delete = False  # one rule per occasion, made by the migration
    column_list = ("key", "active", "days_ahead", "grades")
    column_labels = {"key": _l("Occasion"), "active": _l("Active"), "days_ahead": _l("Days ahead"),
                     "grades": _l("Customer grades")}
    column_formatters = {"key": _label(RULE_LABELS),
                         "grades": lambda view, context, model, name: ", ".join(
                             str(grade_label("grade", key)) for key in model.grades) or _("All grades")}
    column_descriptions = {"days_ahead": _l("Birthdays 2–7 days, festivals 1–3 days, reminders 1–60 days."),
                           "grades": _l("Leave empty to greet customers of every grade.")}
    form_columns = ("active", "days_ahead", "grades")
    form_overrides = {"grades": SelectMultipleField}

    def _with_grade_choices(self, form):
        form.grades.choices = [(grade.key, str(grade.label)) for grade in grades("grade")]
        return form

    def create_form(self, obj=None):
        return self._with_grade_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_grade_choices(super().edit_form(obj))

    def on_model_change(self, form, model, is_created):
        problem = check_rule(model.key, model.days_ahead)
        if problem:
            raise ValidationError(problem)
        model.grades = list(model.grades or [])
        super().on_model_change(form, model, is_created)


class AccessLogView(SecureModelView):
    """借阅记录: every opening of a protected record; rows are only ever added."""

    can_create = can_edit = can_delete = False
    column_list = ("created_at", "user", "customer_name", "customer_id", "level", "reason", "channel", "ip")
    column_labels = {"created_at": _l("Time"), "user": _l("Who"), "customer_name": _l("Customer"),
                     "customer_id": "#", "level": _l("Confidentiality"), "reason": _l("Reason"),
                     "channel": _l("Where"), "ip": _l("IP address")}
    column_formatters = {"level": _label(LEVEL_LABELS),
                         "channel": _label({"desk": _l("Helpdesk"), "api": _l("API"), "export": _l("CSV export")})}
    column_searchable_list = ("customer_name", "reason")
    column_filters = ("level", "channel")
    column_default_sort = ("id", True)


class FlagView(SecureModelView):
    can_create = can_edit = can_delete = False
    column_list = ("proposed_at", "customer", "state", "reason", "proposed_by", "decided_by", "decision_note",
                   "lifted_by", "lift_note")
    column_labels = {"proposed_at": _l("Proposed"), "customer": _l("Customer"), "state": _l("State"),
                     "reason": _l("Reason"), "proposed_by": _l("Proposed by"), "decided_by": _l("Decided by"),
                     "decision_note": _l("Decision note"), "lifted_by": _l("Lifted by"), "lift_note": _l("Why lifted")}
    column_formatters = {"state": _label({"proposed": _l("Waiting for a decision"), "confirmed": _l("Confirmed"),
                                          "refused": _l("Refused"), "lifted": _l("Lifted")}),
                         "customer": lambda view, context, model, name: escape(model.customer.name)}
    column_filters = ("state",)
    column_default_sort = ("id", True)


def admin_views():
    return [
        CustomerView(Customer, db, name=_l("Customers"), endpoint="admin_customers", category=CATEGORY),
        CsvImportView(name=_l("Import customers"), category=CATEGORY, columns=transfer.COLUMNS,
                      save_row=transfer.save_row, endpoint="admin_customer_import",
                      description=_l("Each line makes a new record. A line whose phone or e-mail a record already "
                                     "has is refused: merge duplicates at the desk instead.")),
        GradeView(CustomerGrade, db, name=_l("Grades"), endpoint="admin_customer_grades", category=CATEGORY),
        CareRuleView(CareRule, db, name=_l("Care rules"), endpoint="admin_care_rules", category=CATEGORY),
        AccessLogView(CustomerAccess, db, name=_l("Access log"), endpoint="admin_customer_access", category=CATEGORY),
        FlagView(CustomerFlag, db, name=_l("Problem-customer flags"), endpoint="admin_customer_flags",
                 category=CATEGORY),
    ]

