"""Typed ticket fields that ticket types declare: labels in both languages, validation, cleaning.

The desk form, the portal form and the API all clean input through `clean_fields`, so a value is
validated the same way wherever it comes from. A "lookup" field takes its choices from a plugin's records
(`core.plugins.specs.LookupSpec`), level by level when it has a parent field.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _

from core.i18n import Label

FIELD_TYPES = ("text", "textarea", "integer", "decimal", "date", "datetime", "choice", "multichoice", "boolean",
               "lookup")


@dataclass(frozen=True)
class Choice:
    value: str
    label: Label


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: Label
    type: str = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    max_length: int = 500
    help: Label | None = None
    source: str | None = None  # lookup fields: the LookupSpec key their choices come from
    parent: str | None = None  # lookup fields: the field whose value narrows the choices (building → unit)
    required_if: tuple[str, str] | None = None  # (field key, value): required when that field has that value
    # check(value) -> None: a rule the type owner knows beyond the field's type (an account number that must
    # exist); raises ValueError with a message for the user. Called with the cleaned, non-empty value.
    check: Callable | None = None

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.key!r}: type must be one of {', '.join(FIELD_TYPES)}")
        if self.type in ("choice", "multichoice") and not self.choices:
            raise ValueError(f"field {self.key!r}: a {self.type} field needs choices")
        if (self.type == "lookup") != bool(self.source):
            raise ValueError(f"field {self.key!r}: a lookup field, and only a lookup field, names a source")
        if self.parent and self.type != "lookup":
            raise ValueError(f"field {self.key!r}: only a lookup field has a parent")

    def choice_label(self, value):
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return value


class FieldError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def _is_empty(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _clean_number(spec, raw, kind):
    try:
        value = int(str(raw).strip()) if kind is int else Decimal(str(raw).strip())
    except (ValueError, InvalidOperation):
        raise FieldError(spec.key, _("%(field)s must be a number.", field=spec.label)) from None
    if kind is Decimal and not value.is_finite():
        raise FieldError(spec.key, _("%(field)s must be a number.", field=spec.label))
    if spec.min_value is not None and value < spec.min_value:
        raise FieldError(spec.key, _("%(field)s must be at least %(min)s.", field=spec.label, min=spec.min_value))
    if spec.max_value is not None and value > spec.max_value:
        raise FieldError(spec.key, _("%(field)s must be at most %(max)s.", field=spec.label, max=spec.max_value))
    return value if kind is int else str(value)


def lookup_of(spec):
    return current_app.extensions["kefu"].registry.lookups[spec.source]


def _clean_lookup(spec, raw, data):
    value = str(raw).strip()
    found = lookup_of(spec).resolve(value)
    parent = data.get(spec.parent) if spec.parent else None
    if found is None or (spec.parent and str(found[1]) != str(parent).strip()):
        raise FieldError(spec.key, _("%(field)s: choose one of the listed options.", field=spec.label))
    return value


def _required(spec, data):
    if spec.required:
        return True
    if spec.required_if:
        key, value = spec.required_if
        return str(data.get(key) if data.get(key) is not None else "").strip() == value
    return False


def clean_field(spec, raw, data=None):
    """Return the stored (JSON-safe) value of one field, or raise FieldError with a message for the user.
    `data` holds the other fields' raw values (a lookup's parent, a condition of `required_if`)."""
    data = data or {}
    if _is_empty(raw):
        if _required(spec, data):
            raise FieldError(spec.key, _("%(field)s is required.", field=spec.label))
        return None
    value = _typed_value(spec, raw, data)
    if spec.check is not None:
        try:
            spec.check(value)
        except ValueError as exc:
            raise FieldError(spec.key, str(exc)) from None
    return value


def _typed_value(spec, raw, data):
    kind = spec.type
    if kind == "lookup":
        return _clean_lookup(spec, raw, data)
    if kind in ("text", "textarea"):
        value = str(raw).strip()
        if len(value) > spec.max_length:
            raise FieldError(
                spec.key, _("%(field)s is too long (at most %(n)d characters).", field=spec.label, n=spec.max_length)
            )
        return value
    if kind == "integer":
        return _clean_number(spec, raw, int)
    if kind == "decimal":
        return _clean_number(spec, raw, Decimal)
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in ("1", "true", "yes", "on", "y")
    if kind in ("date", "datetime"):
        parse = date.fromisoformat if kind == "date" else datetime.fromisoformat
        try:
            return parse(str(raw).strip()).isoformat()
        except ValueError:
            raise FieldError(spec.key, _("%(field)s is not a valid date.", field=spec.label)) from None
    allowed = {choice.value for choice in spec.choices}
    if kind == "choice":
        if str(raw) not in allowed:
            raise FieldError(spec.key, _("%(field)s: choose one of the listed options.", field=spec.label))
        return str(raw)
    values = raw if isinstance(raw, (list, tuple)) else [raw]
    if any(str(v) not in allowed for v in values):
        raise FieldError(spec.key, _("%(field)s: choose one of the listed options.", field=spec.label))
    return [str(v) for v in values]


def clean_fields(specs, data):
    """Clean every declared field of `data`; returns (values, errors) where errors maps field key → message."""
    values, errors = {}, {}
    for spec in specs:
        try:
            value = clean_field(spec, data.get(spec.key), data)
        except FieldError as exc:
            errors[spec.key] = exc.message
            continue
        if value is not None:
            values[spec.key] = value
    return values, errors


def display_value(spec, value):
    """A stored value as the reader sees it: a choice's or a lookup's label, yes/no, a list joined."""
    if value is None or value == []:
        return "—"
    if spec.type == "boolean":
        return _("Yes") if value else _("No")
    if spec.type == "multichoice":
        return ", ".join(str(spec.choice_label(item)) for item in value)
    if spec.type == "choice":
        return str(spec.choice_label(value))
    if spec.type == "lookup":
        found = lookup_of(spec).resolve(str(value))
        return str(found[0]) if found else str(value)
    return str(value)


def lookup_choices(spec, parent_value):
    """The choices a lookup field offers under its parent's current value (none while the parent is empty)."""
    if spec.parent and _is_empty(parent_value):
        return []
    return lookup_of(spec).options(str(parent_value).strip() if spec.parent else None)


def form_field_name(type_key, field):
    """The form name of a type's own field (a FieldSpec or its key): every type's fields can be on one page."""
    return f"f_{type_key}_{getattr(field, 'key', field)}"


def fields_from_form(spec, form):
    """The raw values of a ticket type's fields from a submitted form (multichoice fields as lists)."""
    return {field.key: form.getlist(form_field_name(spec.key, field)) if field.type == "multichoice"
            else form.get(form_field_name(spec.key, field)) for field in spec.fields}
