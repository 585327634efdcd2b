"""A field's own check (a rule its ticket type knows beyond the value's type) runs wherever fields are cleaned."""
from flask_babel import force_locale

from core.i18n import Label
from core.tickets.fields import FieldSpec, clean_fields

KNOWN_ACCOUNTS = {"DC-000123"}


def must_be_known(value):
    if value not in KNOWN_ACCOUNTS:
        raise ValueError(f"No account {value}.")


ACCOUNT = FieldSpec("account", Label(zh="用户编号", en="Account"), check=must_be_known)


def test_the_check_sees_the_cleaned_value_and_its_message_reaches_the_user(app):
    with app.test_request_context(), force_locale("en"):
        assert clean_fields([ACCOUNT], {"account": "  DC-000123 "}) == ({"account": "DC-000123"}, {})
        assert clean_fields([ACCOUNT], {"account": "DC-999"}) == ({}, {"account": "No account DC-999."})


def test_an_empty_optional_field_is_not_checked(app):
    with app.test_request_context():
        assert clean_fields([ACCOUNT], {"account": "  "}) == ({}, {})


def test_type_errors_come_before_the_check(app):
    checked = []
    table = FieldSpec("table", Label(zh="台号", en="Table"), "integer", check=checked.append)
    with app.test_request_context(), force_locale("en"):
        assert clean_fields([table], {"table": "x"}) == ({}, {"table": "Table must be a number."})
        assert clean_fields([table], {"table": "8"}) == ({"table": 8}, {})
    assert checked == [8]
