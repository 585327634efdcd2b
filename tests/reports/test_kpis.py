"""The KPI contract (C3): periods in the site's time zone, targets, specs, scopes."""
from datetime import UTC, date, datetime

import pytest

from core.i18n import Label
from core.reports.kpis import KpiResult, KpiSpec, Period, Scope, Target


def test_periods_begin_at_midnight_beijing_time(app):
    with app.app_context():
        march = Period.month(2026, 3)
        assert (march.start, march.end) == (datetime(2026, 2, 28, 16, tzinfo=UTC), datetime(2026, 3, 31, 16, tzinfo=UTC))
        assert Period.day(date(2026, 3, 1)) == Period(datetime(2026, 2, 28, 16, tzinfo=UTC),
                                                      datetime(2026, 3, 1, 16, tzinfo=UTC))
        week = Period.week(date(2026, 3, 4))  # a Wednesday: the week runs Monday 2 to Sunday 8 March
        assert week.local_days()[0] == date(2026, 3, 2) and week.local_days()[-1] == date(2026, 3, 8)
        q1 = Period.quarter(2026, 1)
        assert (q1.start, q1.end) == (datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 3, 31, 16, tzinfo=UTC))
        assert len(q1.local_days()) == 90
        assert Period.quarter(2026, 4).end == datetime(2026, 12, 31, 16, tzinfo=UTC)


def test_a_period_must_be_aware_and_not_reversed():
    with pytest.raises(ValueError):
        Period(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        Period(datetime(2026, 3, 1), datetime(2026, 3, 2))


def test_targets():
    assert Target(">=", 50).met(50) is True and Target(">", 50).met(50) is False
    assert Target("<", 2).met(1.99) is True and Target("<=", 2).met(2.01) is False
    assert Target(">=", 98).met(None) is None
    with pytest.raises(ValueError):
        Target("=>", 1)


def test_rates_without_a_denominator_have_no_value():
    assert KpiResult.rate(0, 0) == KpiResult(None, 0, 0)
    assert KpiResult.rate(1, 4).value == 25.0
    assert KpiResult.rate(3, 200, scale=100).value == 1.5


def test_a_spec_names_a_known_unit_and_a_callable():
    label = Label(zh="示例", en="Example")
    with pytest.raises(ValueError):
        KpiSpec("x", label, label, lambda period, scope: None, unit="percentage")
    with pytest.raises(ValueError):
        KpiSpec("x", label, label, None)
    assert KpiSpec("x", label, label, lambda period, scope: None).unit == "percent"


def test_scope_conditions_narrow_tickets(app):
    from sqlalchemy import select

    from core.extensions import db
    from core.models import Customer, Ticket
    from core.tickets.service import create_ticket

    with app.app_context():
        key = Customer(name="华润置地", grade="key")
        plain = Customer(name="张三", grade="ordinary")
        db.session.add_all([key, plain])
        wanted = create_ticket(type_key="complaint", title="投诉", customer=key, channel="phone")
        create_ticket(type_key="complaint", title="投诉", customer=plain, channel="phone")
        create_ticket(type_key="inquiry", title="咨询", customer=key, channel="phone")
        create_ticket(type_key="complaint", title="投诉", customer=key, channel="wechat")
        scope = Scope(type_key="complaint", category="complaint", channel="phone", customer_grade="key")
        assert db.session.scalars(select(Ticket.id).where(*scope.ticket_conditions())).all() == [wanted.id]
        assert Scope().ticket_conditions() == []
