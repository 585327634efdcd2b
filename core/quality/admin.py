"""Admin panel: the inspection checklist (items with their maximum points and weight)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from core.admin.views import SecureModelView
from core.extensions import db
from core.models import QualityChecklistItem


class ChecklistItemView(SecureModelView):
    column_list = ("position", "title", "max_points", "weight", "active")
    form_columns = ("title", "description", "max_points", "weight", "position", "active")
    column_default_sort = "position"
    column_labels = {"position": _l("Order"), "title": _l("Item"), "description": _l("What to look for"),
                     "max_points": _l("Maximum points"), "weight": _l("Weight"), "active": _l("Active")}
    column_descriptions = {
        "weight": _l("How much the item counts: the score is the weighted share of the maximum, in percent."),
        "active": _l("Inactive items are no longer scored; scores already given keep them."),
    }

    def on_model_change(self, form, model, is_created):
        if not (model.title or "").strip():
            raise ValidationError(_("Give the item a name."))
        if model.max_points is None or not 1 <= model.max_points <= 100:
            raise ValidationError(_("The maximum must be a whole number from 1 to 100 points."))
        if model.weight is None or not 1 <= model.weight <= 10:
            raise ValidationError(_("The weight must be a whole number from 1 to 10."))
        super().on_model_change(form, model, is_created)


def quality_admin_views():
    return [ChecklistItemView(QualityChecklistItem, db, name=_l("Inspection checklist"), category=_l("Quality"),
                              endpoint="quality_checklist")]
