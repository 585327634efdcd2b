from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.sla.calendar import MAX_SEARCH_DAYS, BusinessCalendar, CalendarError

SH = ZoneInfo("Asia/Shanghai")
H = timedelta(hours=1)

NINE_TO_SIX = BusinessCalendar.weekdays([("09:00", "18:00")])
LUNCH_BREAK = BusinessCalendar.weekdays([(time(9), time(12)), (time(13), time(18))])


def sh(*args):
    return datetime(*args, tzinfo=SH)


# -- ordinary weeks ----------------------------------------------------------------------


def test_friday_evening_rolls_over_weekend():
    due = NINE_TO_SIX.add_business_time(sh(2025, 3, 14, 17, 30), 2 * H)
    assert due == sh(2025, 3, 17, 10, 30)
    assert due.tzinfo is SH
    assert due.isoformat() == "2025-03-17T10:30:00+08:00"


def test_lunch_break_is_not_counted():
    assert LUNCH_BREAK.add_business_time(sh(2025, 3, 17, 11), 2 * H) == sh(2025, 3, 17, 14)
    # Created during lunch: counting starts at 13:00.
    assert LUNCH_BREAK.add_business_time(sh(2025, 3, 17, 12, 30), H) == sh(2025, 3, 17, 14)
    assert LUNCH_BREAK.add_business_time(sh(2025, 3, 14, 17, 30), 2 * H) == sh(2025, 3, 17, 10, 30)
    assert LUNCH_BREAK.business_time_between(sh(2025, 3, 17, 11), sh(2025, 3, 17, 14)) == 2 * H
    assert LUNCH_BREAK.business_time_between(sh(2025, 3, 17), sh(2025, 3, 18)) == 8 * H


def test_due_exactly_at_closing_time_stays_on_that_day():
    assert NINE_TO_SIX.add_business_time(sh(2025, 3, 17, 17), H) == sh(2025, 3, 17, 18)


def test_start_outside_hours_counts_from_next_opening():
    assert NINE_TO_SIX.add_business_time(sh(2025, 3, 17, 6), H) == sh(2025, 3, 17, 10)
    assert NINE_TO_SIX.add_business_time(sh(2025, 3, 15, 12), H) == sh(2025, 3, 17, 10)


def test_zero_delta_is_next_opening():
    assert NINE_TO_SIX.add_business_time(sh(2025, 3, 17, 18), timedelta(0)) == sh(2025, 3, 18, 9)
    assert NINE_TO_SIX.add_business_time(sh(2025, 3, 17, 10), timedelta(0)) == sh(2025, 3, 17, 10)


def test_is_open_boundaries():
    assert LUNCH_BREAK.is_open(sh(2025, 3, 17, 9))
    assert LUNCH_BREAK.is_open(sh(2025, 3, 17, 11, 59))
    assert not LUNCH_BREAK.is_open(sh(2025, 3, 17, 12))
    assert LUNCH_BREAK.is_open(sh(2025, 3, 17, 13))
    assert not LUNCH_BREAK.is_open(sh(2025, 3, 17, 18))
    assert not LUNCH_BREAK.is_open(sh(2025, 3, 15, 10))  # Saturday


def test_next_open():
    assert LUNCH_BREAK.next_open(sh(2025, 3, 17, 10)) == sh(2025, 3, 17, 10)
    assert LUNCH_BREAK.next_open(sh(2025, 3, 17, 12, 15)) == sh(2025, 3, 17, 13)
    assert LUNCH_BREAK.next_open(sh(2025, 3, 14, 18, 30)) == sh(2025, 3, 17, 9)


def test_between_is_zero_when_reversed_or_empty():
    between = NINE_TO_SIX.business_time_between
    assert between(sh(2025, 3, 17, 12), sh(2025, 3, 17, 10)) == timedelta(0)
    assert between(sh(2025, 3, 17, 12), sh(2025, 3, 17, 12)) == timedelta(0)
    assert between(sh(2025, 3, 15, 8), sh(2025, 3, 16, 20)) == timedelta(0)  # weekend


def test_inputs_in_other_zones_are_converted():
    # 09:30 UTC is 17:30 in Shanghai.
    start = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    due = NINE_TO_SIX.add_business_time(start, 2 * H)
    assert due == sh(2025, 3, 17, 10, 30)
    assert due.utcoffset() == timedelta(hours=8)


def test_thirty_business_days_across_national_day_2025():
    # Sep 28 (Sun) and Oct 11 (Sat) are make-up days; Oct 1-8 are off.
    start = sh(2025, 9, 22, 9)
    due = LUNCH_BREAK.add_business_time(start, 30 * 8 * H)
    assert due == sh(2025, 11, 6, 18)
    assert LUNCH_BREAK.business_time_between(start, due) == 30 * 8 * H


# -- China public holidays and 调休 -----------------------------------------------------


def test_spring_festival_2025_break():
    # 2025: off Jan 28 - Feb 4; Jan 27 (Mon) is an ordinary working day.
    assert NINE_TO_SIX.is_open(sh(2025, 1, 27, 10))
    for day in range(28, 32):
        assert not NINE_TO_SIX.is_open(sh(2025, 1, day, 10))
    assert not NINE_TO_SIX.is_open(sh(2025, 2, 3, 10))
    assert not NINE_TO_SIX.is_open(sh(2025, 2, 4, 10))
    due = NINE_TO_SIX.add_business_time(sh(2025, 1, 27, 17), 2 * H)
    assert due == sh(2025, 2, 5, 10)


def test_spring_festival_2025_makeup_days_are_working_days():
    # Sun Jan 26 and Sat Feb 8 are make-up working days (调休).
    assert NINE_TO_SIX.is_open(sh(2025, 1, 26, 10))
    assert NINE_TO_SIX.add_business_time(sh(2025, 1, 25, 10), H) == sh(2025, 1, 26, 10)
    assert NINE_TO_SIX.add_business_time(sh(2025, 2, 7, 17), 2 * H) == sh(2025, 2, 8, 10)
    assert NINE_TO_SIX.next_open(sh(2025, 2, 7, 18)) == sh(2025, 2, 8, 9)
    assert NINE_TO_SIX.business_time_between(sh(2025, 2, 8), sh(2025, 2, 9)) == 9 * H


def test_makeup_day_uses_monday_hours():
    cal = BusinessCalendar(
        {0: [("08:00", "20:00")], 1: [("09:00", "18:00")], 5: [("10:00", "12:00")]}
    )
    # An ordinary Saturday has its own short hours ...
    assert cal.business_time_between(sh(2025, 3, 15), sh(2025, 3, 16)) == 2 * H
    # ... but a make-up Saturday works like a Monday.
    assert cal.business_time_between(sh(2025, 2, 8), sh(2025, 2, 9)) == 12 * H


def test_holiday_on_a_saturday_closes_a_six_day_desk():
    cal = BusinessCalendar({d: [("09:00", "18:00")] for d in range(6)})
    # 2025-05-31 (Sat) is the Dragon Boat Festival, Jun 2 (Mon) its day off in lieu.
    assert cal.is_open(sh(2025, 5, 24, 10))
    assert not cal.is_open(sh(2025, 5, 31, 10))
    assert not cal.is_open(sh(2025, 6, 2, 10))


def test_spring_festival_2026_matches_official_notice():
    # Official 2026: off Feb 15 - Feb 23; Feb 14 (Sat) and Feb 28 (Sat) are working days.
    assert NINE_TO_SIX.is_open(sh(2026, 2, 14, 10))
    assert NINE_TO_SIX.is_open(sh(2026, 2, 28, 10))
    assert not NINE_TO_SIX.is_open(sh(2026, 2, 21, 10))  # ordinary Saturday
    for day in range(15, 24):
        assert not NINE_TO_SIX.is_open(sh(2026, 2, day, 10))
    assert NINE_TO_SIX.add_business_time(sh(2026, 2, 13, 17), 2 * H) == sh(2026, 2, 14, 10)
    assert NINE_TO_SIX.add_business_time(sh(2026, 2, 14, 17), 2 * H) == sh(2026, 2, 24, 10)


# From the State Council notices for 2024, 2025 and 2026.
OFFICIAL_MAKEUP_DAYS = """
    2024-02-04 2024-02-18 2024-04-07 2024-04-28 2024-05-11 2024-09-14 2024-09-29 2024-10-12
    2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11
    2026-01-04 2026-02-14 2026-02-28 2026-05-09 2026-09-20 2026-10-10
""".split()
OFFICIAL_WEEKDAYS_OFF = """
    2024-01-01 2024-02-12 2024-02-16 2024-04-05 2024-05-03 2024-06-10 2024-09-16 2024-10-07
    2025-01-01 2025-04-04 2025-05-05 2025-06-02 2025-10-08
    2026-01-02 2026-04-06 2026-05-05 2026-06-19 2026-09-25 2026-10-07
""".split()


@pytest.mark.parametrize("day", OFFICIAL_MAKEUP_DAYS)
def test_official_makeup_days_2024_to_2026_are_open(day):
    day = date.fromisoformat(day)
    assert day.weekday() >= 5
    assert NINE_TO_SIX.is_open(datetime.combine(day, time(10), tzinfo=SH))


@pytest.mark.parametrize("day", OFFICIAL_WEEKDAYS_OFF)
def test_official_weekday_holidays_2024_to_2026_are_closed(day):
    day = date.fromisoformat(day)
    assert day.weekday() < 5
    assert not NINE_TO_SIX.is_open(datetime.combine(day, time(10), tzinfo=SH))


# -- admin overrides ---------------------------------------------------------------------


def test_extra_holiday_wins():
    cal = BusinessCalendar.weekdays([("09:00", "18:00")], extra_holidays={date(2025, 3, 17)})
    assert cal.add_business_time(sh(2025, 3, 14, 17, 30), 2 * H) == sh(2025, 3, 18, 10, 30)


def test_extra_working_day_wins_on_weekend_and_package_holiday():
    cal = BusinessCalendar.weekdays(
        [("09:00", "18:00")],
        extra_working_days={date(2025, 3, 15), date(2025, 1, 28)},
    )
    assert cal.add_business_time(sh(2025, 3, 14, 17, 30), 2 * H) == sh(2025, 3, 15, 10, 30)
    assert cal.is_open(sh(2025, 1, 28, 10))
    assert not cal.is_open(sh(2025, 1, 29, 10))


def test_overrides_for_a_year_without_official_data():
    # The package only estimates years past its data (here 2027); admins correct it.
    cal = BusinessCalendar.weekdays(
        [("09:00", "18:00")],
        extra_holidays={date(2027, 3, 1)},
        extra_working_days={date(2027, 2, 9), date(2027, 2, 20)},
    )
    assert not cal.is_open(sh(2027, 3, 1, 10))
    assert cal.is_open(sh(2027, 2, 9, 10))
    assert cal.is_open(sh(2027, 2, 20, 10))  # Saturday


# -- 7×24 --------------------------------------------------------------------------------


def test_always_open_ignores_weekends_and_holidays():
    cal = BusinessCalendar.always_open()
    start = sh(2025, 2, 1, 23)  # Saturday inside the Spring Festival break
    assert cal.is_open(start)
    assert cal.is_open(sh(2025, 1, 29, 0))
    assert cal.add_business_time(start, 2 * H) == sh(2025, 2, 2, 1)
    assert cal.add_business_time(start, 30 * 24 * H) == sh(2025, 3, 3, 23)
    assert cal.business_time_between(start, sh(2025, 2, 3, 23)) == 48 * H


def test_always_open_counts_real_time_across_dst():
    cal = BusinessCalendar.always_open(tz="America/New_York")
    ny = ZoneInfo("America/New_York")
    # 2025-03-09: clocks jump from 02:00 to 03:00, so 3 real hours end at 04:00.
    start = datetime(2025, 3, 9, tzinfo=ny)
    assert cal.add_business_time(start, 3 * H) == datetime(2025, 3, 9, 4, tzinfo=ny)
    assert cal.business_time_between(start, datetime(2025, 3, 10, tzinfo=ny)) == 23 * H


# -- explain -----------------------------------------------------------------------------


def test_explain_spring_festival():
    steps = NINE_TO_SIX.explain(sh(2025, 1, 27, 17), 2 * H)
    assert steps == [
        "Start 2025-01-27 17:00 (Mon) +0800; 2:00 of business time to count",
        "2025-01-27 (Mon): working day (09:00–18:00), counted 1:00",
        "2025-01-28 (Tue) – 2025-01-31 (Fri): public holiday (Chinese New Year's Eve; "
        "Chinese New Year (Spring Festival)), skipped",
        "2025-02-01 (Sat) – 2025-02-02 (Sun): weekend, skipped",
        "2025-02-03 (Mon) – 2025-02-04 (Tue): public holiday (Day off (substituted from "
        "01/26/2025); Day off (substituted from 02/08/2025)), skipped",
        "2025-02-05 (Wed): working day (09:00–18:00), counted 1:00",
        "Due 2025-02-05 10:00 (Wed) +0800",
    ]


def test_explain_names_makeup_day_and_overrides():
    cal = BusinessCalendar.weekdays([("09:00", "18:00")], extra_holidays={date(2025, 2, 7)})
    steps = cal.explain(sh(2025, 2, 6, 17), 2 * H)
    assert steps == [
        "Start 2025-02-06 17:00 (Thu) +0800; 2:00 of business time to count",
        "2025-02-06 (Thu): working day (09:00–18:00), counted 1:00",
        "2025-02-07 (Fri): holiday (admin override), skipped",
        "2025-02-08 (Sat): make-up working day (调休), Monday hours (09:00–18:00), counted 1:00",
        "Due 2025-02-08 10:00 (Sat) +0800",
    ]


def test_explain_in_chinese():
    cal = BusinessCalendar.weekdays([("09:00", "18:00")], language="zh_CN")
    steps = cal.explain(sh(2025, 1, 27, 17), 2 * H)
    assert "春节" in steps[2]


# -- inverse property --------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, delta",
    [
        (sh(2025, 3, 14, 17, 30), 2 * H),
        (sh(2025, 3, 17, 12, 30), timedelta(minutes=45)),
        (sh(2025, 1, 24, 16, 5), timedelta(hours=11, minutes=7)),
        (sh(2025, 1, 27, 8), 3 * 8 * H),
        (sh(2025, 4, 30, 23, 59), timedelta(hours=5, seconds=30)),
        (sh(2025, 9, 27, 10), 10 * 8 * H),
        (sh(2025, 12, 31, 17, 59), timedelta(minutes=2)),
        (sh(2026, 2, 13, 11, 11), timedelta(hours=20)),
        (sh(2026, 9, 30, 13), 60 * 8 * H),
        (datetime(2025, 5, 30, 1, 0, tzinfo=UTC), timedelta(hours=7, minutes=59)),
    ],
)
def test_between_inverts_add(start, delta):
    due = LUNCH_BREAK.add_business_time(start, delta)
    assert LUNCH_BREAK.business_time_between(start, due) == delta


# -- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule, message",
    [
        ({}, "no working hours"),
        ({0: [], 1: []}, "no working hours"),
        ({0: [("18:00", "09:00")]}, "Monday: interval 18:00–09:00 ends before it starts"),
        ({2: [("09:00", "09:00")]}, "Wednesday: interval 09:00–09:00 ends before"),
        (
            {0: [("13:00", "18:00"), ("09:00", "13:30")]},
            "Monday: intervals 09:00–13:30 and 13:00–18:00 overlap",
        ),
        ({7: [("09:00", "18:00")]}, "use 0 \\(Monday\\) to 6 \\(Sunday\\)"),
        ({0: [("9am", "18:00")]}, "'9am' is not a time"),
        ({0: [("24:00", "24:00")]}, "'24:00' is not a time"),
        ({0: ["09:00"]}, "is not a \\(start, end\\) pair"),
    ],
)
def test_invalid_schedule_raises(schedule, message):
    with pytest.raises(CalendarError, match=message):
        BusinessCalendar(schedule)


def test_touching_intervals_are_allowed():
    cal = BusinessCalendar({0: [("09:00", "12:00"), ("12:00", "18:00")]})
    assert cal.business_time_between(sh(2025, 3, 17), sh(2025, 3, 18)) == 9 * H


def test_calendar_error_is_value_error():
    assert issubclass(CalendarError, ValueError)


def test_invalid_calendar_options_raise():
    with pytest.raises(CalendarError, match="unknown time zone 'Mars/Base'"):
        BusinessCalendar.weekdays([("09:00", "18:00")], tz="Mars/Base")
    with pytest.raises(CalendarError, match="2025-03-17 listed both"):
        BusinessCalendar.weekdays(
            [("09:00", "18:00")],
            extra_holidays={date(2025, 3, 17)},
            extra_working_days={date(2025, 3, 17)},
        )
    with pytest.raises(CalendarError, match="must contain datetime.date values"):
        BusinessCalendar.weekdays([("09:00", "18:00")], extra_holidays={sh(2025, 3, 17)})
    with pytest.raises(CalendarError, match="no effect on a calendar that ignores holidays"):
        BusinessCalendar(
            {0: [("09:00", "18:00")]},
            observe_holidays=False,
            extra_holidays={date(2025, 3, 17)},
        )


def test_naive_datetimes_raise():
    naive = datetime(2025, 3, 14, 17, 30)
    calls = [
        lambda: NINE_TO_SIX.add_business_time(naive, H),
        lambda: NINE_TO_SIX.business_time_between(naive, sh(2025, 3, 17)),
        lambda: NINE_TO_SIX.business_time_between(sh(2025, 3, 17), naive),
        lambda: NINE_TO_SIX.is_open(naive),
        lambda: NINE_TO_SIX.next_open(naive),
        lambda: NINE_TO_SIX.explain(naive, H),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="must be a timezone-aware datetime"):
            call()


def test_negative_delta_raises():
    with pytest.raises(ValueError, match="must not be negative"):
        NINE_TO_SIX.add_business_time(sh(2025, 3, 14), -H)


def test_runaway_search_is_capped():
    with pytest.raises(CalendarError, match=f"gave up after walking {MAX_SEARCH_DAYS} days"):
        NINE_TO_SIX.add_business_time(sh(2025, 3, 14), timedelta(days=MAX_SEARCH_DAYS))
    with pytest.raises(CalendarError, match="gave up"):
        NINE_TO_SIX.business_time_between(sh(2025, 1, 1), sh(2040, 1, 1))
