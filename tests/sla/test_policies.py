"""Policies and calendars that contradict themselves are refused with a message that says what to fix."""
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core.extensions import db
from core.models import ServiceCalendar, SlaPolicy
from core.sla.calendar import CalendarError
from core.sla.policies import PolicyError, SlaPolicySpec, Target, validate
from core.sla.service_hours import build_calendar, parse_hours
from tests.helpers import create_user, login, post_form


def spec(**targets):
    return SlaPolicySpec("test", "Test", targets=targets)


def test_resolution_shorter_than_first_response_is_refused(app):
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(PolicyError) as error:
            validate(spec(first_response=Target(240), resolution=Target(60)))
    message = str(error.value)
    assert "resolution target (60 min)" in message and "first response target (240 min)" in message
    assert "Make the resolution target longer" in message


@pytest.mark.parametrize("targets, words", [
    ({}, "at least one target"),
    ({"resolution": Target(0)}, "greater than zero"),
    ({"next_response": Target(120), "resolution": Target(60)}, "next response target"),
])
def test_other_unusable_policies(app, targets, words):
    with app.test_request_context(), force_locale("en"), pytest.raises(PolicyError, match=words):
        validate(spec(**targets))


def test_a_sound_policy_passes(app):
    with app.test_request_context():
        assert validate(spec(first_response=Target(60), resolution=Target(24 * 60, business=False)))


def test_service_hours_syntax():
    assert parse_hours("mon-fri 09:00-12:00 13:00-18:00\nsat 09:00-12:00") == {
        **{day: [("09:00", "12:00"), ("13:00", "18:00")] for day in range(5)}, 5: [("09:00", "12:00")]}
    assert parse_hours("7x24") == {day: [("00:00", "24:00")] for day in range(7)}
    assert parse_hours("mon,wed 08:00-20:00") == {0: [("08:00", "20:00")], 2: [("08:00", "20:00")]}


@pytest.mark.parametrize("hours, words", [
    ("", "service hours are empty"),
    ("   \n ", "service hours are empty"),
    ("mon-fri", "has no hours"),
    ("weekdays 09:00-18:00", "is not a day"),
    ("fri-mon 09:00-18:00", "runs backwards"),
    ("mon-fri 9-18", "is not an interval"),
    ("mon-fri 18:00-09:00", "ends before it starts"),
])
def test_calendars_without_working_hours_or_with_bad_hours_are_refused(app, hours, words):
    with app.test_request_context(), force_locale("en"), pytest.raises(CalendarError, match=words):
        build_calendar(hours, timezone="Asia/Shanghai", observe_holidays=True)


@pytest.fixture
def admin(app):
    create_user(app, "root@example.cn", "admin", locale="en")
    client = app.test_client()
    login(client, "root@example.cn")
    return client


POLICY_FORM = {"name": "投诉", "active": "y", "ticket_type": "complaint", "first_response_minutes": "240",
               "first_response_business": "y", "resolution_minutes": "60", "at_risk_percent": "80"}


def test_the_admin_panel_refuses_a_contradictory_policy(app, admin):
    page = post_form(admin, "/admin/sla_policy/new/", POLICY_FORM, follow_redirects=True).get_data(as_text=True)
    assert "Make the resolution target longer" in page
    with app.app_context():
        assert db.session.scalars(select(SlaPolicy)).all() == []
    post_form(admin, "/admin/sla_policy/new/", {**POLICY_FORM, "resolution_minutes": "1440"})
    with app.app_context():
        (policy,) = db.session.scalars(select(SlaPolicy)).all()
        assert (policy.ticket_type, policy.priority, policy.resolution_minutes) == ("complaint", None, 1440)


def test_the_admin_panel_refuses_a_calendar_without_hours(app, admin):
    form = {"name": "全天", "hours": "", "timezone": "Asia/Shanghai", "observe_holidays": "y"}
    page = post_form(admin, "/admin/service_calendar/new/", form, follow_redirects=True).get_data(as_text=True)
    assert "This field is required" in page
    page = post_form(admin, "/admin/service_calendar/new/", {**form, "hours": "mon-fri"},
                     follow_redirects=True).get_data(as_text=True)
    assert "has no hours; write the days, then one or more intervals" in page
    post_form(admin, "/admin/service_calendar/new/", {**form, "hours": "mon-fri 09:00-18:00"})
    page = post_form(admin, "/admin/service_calendar/new/", {**form, "name": "第二个", "hours": "7x24"},
                     follow_redirects=True).get_data(as_text=True)
    assert "already has default service hours" in page
    with app.app_context():
        assert db.session.scalars(select(ServiceCalendar.name)).all() == ["全天"]
