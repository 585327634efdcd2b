"""Every core measure's exact value on the known month of tests/reports/conftest.py."""
from datetime import date, timedelta

from core.extensions import db
from core.reports import sums
from core.reports.kpis import Period, Scope
from tests.reports.conftest import sh

MARCH = (2025, 3)


def values(app, period, scope=None):
    with app.app_context():
        registry = app.extensions["kefu"].registry
        results = {key: spec.compute(period, scope or Scope()) for key, spec in registry.kpis.items()}
        return {key: None if r.value is None else round(r.value, 2) for key, r in results.items()}, results


def ids_of(app, query):
    with app.app_context():
        return sorted(db.session.scalars(query))


def test_the_core_measures_come_through_the_hook_in_order(app):
    keys = list(app.extensions["kefu"].registry.kpis)
    assert keys == ["received", "first_response_median", "first_response_p90", "on_time_completion_rate",
                    "sla_met_rate", "complaint_rate", "complaint_handling_rate", "resolution_rate", "reopen_rate",
                    "satisfaction_rate", "follow_up_rate", "complaint_follow_up_rate", "quality_score",
                    "backlog", "aged_backlog"]
    assert all(owner is None for owner in app.extensions["kefu"].registry.kpi_owner.values())


def test_every_measure_of_the_month(app, march):
    got, results = values(app, Period.month(*MARCH))
    assert got == {
        "received": 6,  # T1 T2 T3 T5 T7 T8: not the merged T6, not T4 (1 April in Beijing)
        "first_response_median": 30.0,  # answers in 10, 20, 30, 45, 90 minutes; T5 never answered
        "first_response_p90": 90.0,
        "on_time_completion_rate": 33.33,  # resolution met: T1, and T8 (closing completes its clocks) of 6
        "sla_met_rate": 50.0,  # 6 of 12 clocks: T1 ×2, T3's first response, T7's, T8 ×2
        "complaint_rate": 33.33,  # T2 and T3 of 6
        "complaint_handling_rate": 50.0,  # T2 resolved; T3 reopened and open again
        "resolution_rate": 50.0,  # T1 (closed after resolving), T2, T7 (resolved in April); not T3, T5, T8
        "reopen_rate": 25.0,  # T3 of the four ever resolved (T1 T2 T3 T7)
        "satisfaction_rate": None,  # the closed loop's measures: tests/reports/test_closed_loop_measures.py
        "follow_up_rate": 0.0,
        "complaint_follow_up_rate": 0.0,
        "quality_score": None,
        "backlog": 3,  # at midnight into April: T3 (reopened), T5, T7 (resolved only on 2 April)
        "aged_backlog": 2,  # T3 and T5 were received more than 3 days before; T7 on 29 March
    }
    t = march
    assert ids_of(app, results["complaint_rate"].tickets) == sorted([t["t2"], t["t3"]])
    assert ids_of(app, results["complaint_rate"].denominator_tickets) == sorted(
        [t["t1"], t["t2"], t["t3"], t["t5"], t["t7"], t["t8"]])
    assert ids_of(app, results["resolution_rate"].tickets) == sorted([t["t1"], t["t2"], t["t7"]])
    assert ids_of(app, results["reopen_rate"].tickets) == [t["t3"]]
    assert ids_of(app, results["backlog"].tickets) == sorted([t["t3"], t["t5"], t["t7"]])
    assert ids_of(app, results["aged_backlog"].tickets) == sorted([t["t3"], t["t5"]])
    assert (results["sla_met_rate"].numerator, results["sla_met_rate"].denominator) == (6, 12)
    assert results["first_response_median"].denominator == 5


def test_scopes_of_one_dimension(app, march):
    month = Period.month(*MARCH)
    a, _ = values(app, month, Scope(agent_id=march["a"]))
    assert (a["received"], a["complaint_rate"], a["resolution_rate"]) == (2, 50.0, 100.0)
    assert (a["first_response_median"], a["first_response_p90"], a["backlog"]) == (30.0, 90.0, 0)
    team2, _ = values(app, month, Scope(team_id=march["team2"]))
    assert (team2["received"], team2["complaint_rate"], team2["backlog"], team2["aged_backlog"]) == (2, 50.0, 2, 1)
    key, _ = values(app, month, Scope(customer_grade="key"))
    assert (key["received"], key["resolution_rate"]) == (2, 50.0)
    phone, _ = values(app, month, Scope(channel="phone"))
    assert (phone["received"], phone["backlog"]) == (4, 3)
    complaints, _ = values(app, month, Scope(category="complaint"))
    assert complaints == {**complaints, "received": 2, "complaint_rate": 100.0, "first_response_median": 10.0,
                          "reopen_rate": 50.0, "backlog": 1}
    assert values(app, month, Scope(type_key="complaint"))[0] == complaints


def test_two_dimensions_at_once_are_summed_from_each_ticket(app, march):
    month = Period.month(*MARCH)
    with app.app_context():
        assert sums.daily_key(Scope(agent_id=march["a"], category="complaint")) is None
    got, results = values(app, month, Scope(agent_id=march["a"], category="complaint"))  # T2
    assert (got["received"], got["resolution_rate"], got["first_response_median"], got["backlog"]) == (1, 100.0, 90.0, 0)
    got, results = values(app, month, Scope(agent_id=march["b"], category="complaint"))  # T3
    assert (got["received"], got["backlog"], got["reopen_rate"]) == (1, 1, 100.0)
    assert ids_of(app, results["backlog"].tickets) == [march["t3"]]


def test_the_daily_sums_and_the_tickets_give_the_same_numbers(app, march):
    """A period one second longer than the month is summed from the tickets; it holds the same tickets."""
    month = Period.month(*MARCH)
    longer = Period(month.start - timedelta(seconds=1), month.end)
    scopes = [Scope(), Scope(agent_id=march["a"]), Scope(team_id=march["team2"]), Scope(channel="phone"),
              Scope(category="complaint"), Scope(customer_grade="key"), Scope(type_key="inquiry")]
    with app.app_context():
        assert sums.whole_days(month) == (date(2025, 3, 1), date(2025, 3, 31)) and sums.whole_days(longer) is None
        for scope in scopes:
            assert sums.cohort_by_day(month, scope) == sums.cohort_by_day(longer, scope)
            daily = sums.backlog_by_day(date(2025, 2, 27), date(2025, 4, 3), scope)
            assert daily == sums._backlog_from_spans(sorted(daily), scope)


def test_days_weeks_and_quarters_begin_at_midnight_in_beijing(app, march):
    assert values(app, Period.day(date(2025, 2, 28)))[0]["received"] == 0
    assert values(app, Period.day(date(2025, 3, 1)))[0]["received"] == 1  # T5 at 00:30
    assert values(app, Period.day(date(2025, 4, 1)))[0]["received"] == 1  # T4 at 00:30
    assert values(app, Period.week(date(2025, 3, 5)))[0]["received"] == 2  # T1 and T2 in the week of 3 March
    assert values(app, Period.quarter(2025, 1))[0]["received"] == 6
    assert values(app, Period.quarter(2025, 2))[0]["received"] == 1


def test_the_backlog_day_by_day(app, march):
    with app.app_context():
        series = sums.backlog_by_day(date(2025, 2, 28), date(2025, 4, 2), Scope())
    backlog = {day: counts["backlog"] for day, counts in series.items()}
    assert backlog[date(2025, 2, 28)] == 0
    assert backlog[date(2025, 3, 1)] == 1  # T5
    assert backlog[date(2025, 3, 3)] == 1  # T1 was resolved at noon; T6 is a duplicate
    assert backlog[date(2025, 3, 5)] == 2  # T2 arrived
    assert backlog[date(2025, 3, 11)] == 2  # T3 waiting for the customer is still backlog
    assert backlog[date(2025, 3, 13)] == 1  # T3 resolved at noon
    assert backlog[date(2025, 3, 14)] == 2  # and reopened
    assert backlog[date(2025, 3, 25)] == 2  # T8 came and was rejected the same morning
    assert backlog[date(2025, 3, 31)] == 3  # T7
    assert backlog[date(2025, 4, 1)] == 4  # T4
    assert backlog[date(2025, 4, 2)] == 3  # T7 resolved
    ages = series[date(2025, 3, 31)]
    assert (ages["aged_1d"], ages["aged_3d"], ages["aged_7d"]) == (3, 2, 2)


def test_an_empty_period_has_no_data_rather_than_zero_percent(app, march):
    got, _ = values(app, Period.month(2025, 1))
    assert got["received"] == 0 and got["backlog"] == 0
    for key in ("first_response_median", "first_response_p90", "on_time_completion_rate", "sla_met_rate",
                "complaint_rate", "complaint_handling_rate", "resolution_rate", "reopen_rate"):
        assert got[key] is None, key


def test_a_period_that_has_not_begun_has_no_backlog(app, march, monkeypatch):
    monkeypatch.setattr(sums, "utcnow", lambda: sh(2025, 3, 20, 12))
    got, _ = values(app, Period.month(2025, 4))
    assert got["backlog"] is None
    got, results = values(app, Period.month(*MARCH))  # read on 20 March: the end of that day
    assert got["backlog"] == 2  # T3 and T5
