"""Typed ticket fields that ticket types declare: labels in both languages, validation, cleaning.

The desk form, the portal form and the API all clean input through `clean_fields`, so a value is
validated the same way wherever it comes from.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from core.i18n import Label

FIELD_TYPES = ("text", "textarea", "integer", "decimal", "date", "datetime", "choice", "multichoice", "boolean")


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

    def __post_init__(self):
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.key!r}: type must be one of {', '.join(FIELD_TYPES)}")
        if self.type in ("choice", "multichoice") and not self.choices:
            raise ValueError(f"field {self.key!r}: a {self.type} field needs choices")

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


def clean_field(spec, raw):
    """Return the stored (JSON-safe) value of one field, or raise FieldError with a message for the user."""
    if _is_empty(raw):
        if spec.required:
            raise FieldError(spec.key, _("%(field)s is required.", field=spec.label))
        return None
    kind = spec.type
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
            value = clean_field(spec, data.get(spec.key))
        except FieldError as exc:
            errors[spec.key] = exc.message
            continue
        if value is not None:
            values[spec.key] = value
    return values, errors


def form_field_name(type_key, field):
    """The form name of a type's own field: every type's fields can be on one page at once."""
    return f"f_{type_key}_{field.key}"


def fields_from_form(spec, form):
    """The raw values of a ticket type's fields from a submitted form (multichoice fields as lists)."""
    return {field.key: form.getlist(form_field_name(spec.key, field)) if field.type == "multichoice"
            else form.get(form_field_name(spec.key, field)) for field in spec.fields}
