"""China business calendar: service hours, public holidays and make-up working days.

Holiday data comes from the ``holidays`` package (``holidays.China``, >= 0.85 for the
official 2026 schedule). It lists the public holidays, including the weekdays taken off
in exchange for 调休, and exposes the make-up working days (weekends that are working
days) through ``weekend_workdays`` / ``is_working_day()``. It was chosen over
``chinese_calendar`` because that package raises ``NotImplementedError`` for any year
past its data, which would take the SLA engine down every January until it is upgraded.

Caveat: for a year whose State Council notice is not in the installed package, ``holidays``
falls back to the statutory dates with estimated observed days and no make-up days.
Admins fix such years with ``extra_holidays`` / ``extra_working_days``, which always win
over the package.

All instants are time-zone aware; arithmetic is done in UTC so it stays correct in zones
with DST, while the schedule is read in the calendar's local wall-clock time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = ["BusinessCalendar", "CalendarError", "DEFAULT_TZ", "MAX_SEARCH_DAYS"]

DEFAULT_TZ = "Asia/Shanghai"

# Upper bound on the calendar days a single computation may walk. Far beyond any real
# SLA, but it turns a misconfigured calendar into an error instead of a hung request.
MAX_SEARCH_DAYS = 3660

_DAY = timedelta(days=1)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

TimeLike = time | str
Interval = tuple[TimeLike, TimeLike]


class CalendarError(ValueError):
    """The calendar configuration is unusable; the message says what to fix."""


@dataclass(frozen=True)
class _DayInfo:
    kind: str  # one of _KIND_TEXT's keys
    note: str  # holiday name(s) or the hours that apply
    hours: tuple[tuple[timedelta, timedelta], ...]  # offsets from local midnight


_KIND_TEXT = {
    "working": "working day",
    "makeup": "make-up working day (调休), Monday hours",
    "extra_working": "working day (admin override)",
    "holiday": "public holiday",
    "extra_holiday": "holiday (admin override)",
    "weekend": "weekend",
    "closed": "no service hours",
}


def _parse_time(value: TimeLike, *, where: str, is_end: bool) -> timedelta:
    """Offset from midnight; "24:00" is accepted as an end so a day can run to midnight."""
    if isinstance(value, time):
        return timedelta(
            hours=value.hour,
            minutes=value.minute,
            seconds=value.second,
            microseconds=value.microsecond,
        )
    if isinstance(value, str):
        if is_end and value.strip() == "24:00":
            return _DAY
        try:
            return _parse_time(time.fromisoformat(value.strip()), where=where, is_end=is_end)
        except ValueError:
            pass
    raise CalendarError(
        f"{where}: {value!r} is not a time; use a datetime.time or an 'HH:MM' string "
        "('24:00' is allowed as an end)"
    )


def _fmt_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _fmt_duration(duration: timedelta) -> str:
    seconds = int(duration.total_seconds())
    text = f"{seconds // 3600}:{seconds // 60 % 60:02d}"
    return f"{text}:{seconds % 60:02d}" if seconds % 60 else text


def _fmt_hours(hours: Sequence[tuple[timedelta, timedelta]]) -> str:
    return ", ".join(f"{_fmt_offset(s)}–{_fmt_offset(e)}" for s, e in hours)


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(
            f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}; "
            f"attach a zone, e.g. .replace(tzinfo=ZoneInfo({DEFAULT_TZ!r}))"
        )
    return value.astimezone(UTC)


def _validate_schedule(
    schedule: Mapping[int, Iterable[Interval]],
) -> tuple[tuple[tuple[timedelta, timedelta], ...], ...]:
    days: list[list[tuple[timedelta, timedelta]]] = [[] for _ in range(7)]
    for weekday, intervals in schedule.items():
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise CalendarError(
                f"schedule key {weekday!r} is not a weekday; use 0 (Monday) to 6 (Sunday)"
            )
        name = _WEEKDAY_NAMES[weekday]
        for interval in intervals:
            try:
                start_raw, end_raw = interval
            except (TypeError, ValueError):
                raise CalendarError(f"{name}: {interval!r} is not a (start, end) pair") from None
            start = _parse_time(start_raw, where=name, is_end=False)
            end = _parse_time(end_raw, where=name, is_end=True)
            if end <= start:
                raise CalendarError(
                    f"{name}: interval {_fmt_offset(start)}–{_fmt_offset(end)} ends before "
                    "it starts; the end must be later than the start (use '24:00' for midnight)"
                )
            days[weekday].append((start, end))
    for weekday, intervals in enumerate(days):
        intervals.sort()
        for (s1, e1), (s2, e2) in pairwise(intervals):
            if s2 < e1:
                raise CalendarError(
                    f"{_WEEKDAY_NAMES[weekday]}: intervals {_fmt_offset(s1)}–{_fmt_offset(e1)} "
                    f"and {_fmt_offset(s2)}–{_fmt_offset(e2)} overlap; merge them or fix the times"
                )
    if not any(days):
        raise CalendarError(
            "the schedule has no working hours; add at least one interval, "
            "e.g. {0: [('09:00', '18:00')]} for Monday 09:00–18:00"
        )
    return tuple(tuple(intervals) for intervals in days)


def _validate_dates(values: Iterable[date], name: str) -> frozenset[date]:
    result = frozenset(values)
    for value in result:
        # datetime is a date subclass; a datetime here is almost certainly a mistake.
        if not isinstance(value, date) or isinstance(value, datetime):
            raise CalendarError(f"{name} must contain datetime.date values, got {value!r}")
    return result


class BusinessCalendar:
    """Open business time of a service desk in mainland China.

    ``schedule`` maps a weekday (0 = Monday … 6 = Sunday) to its opening intervals, e.g.
    ``{0: [("09:00", "12:00"), ("13:00", "18:00")], ...}``; times are ``datetime.time``
    objects or "HH:MM" strings, "24:00" allowed as an end.

    With ``observe_holidays`` (the default) a public holiday is closed, and a make-up
    working day (调休) is open with Monday's hours. ``extra_holidays`` and
    ``extra_working_days`` override the package for single dates; an extra working day
    on a weekend also uses Monday's hours. ``language`` picks the holiday names shown by
    ``explain`` (en_US, zh_CN, zh_TW or th).
    """

    def __init__(
        self,
        schedule: Mapping[int, Iterable[Interval]],
        *,
        tz: str | tzinfo = DEFAULT_TZ,
        extra_holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        observe_holidays: bool = True,
        language: str = "en_US",
    ) -> None:
        self._schedule = _validate_schedule(schedule)
        if isinstance(tz, str):
            try:
                tz = ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise CalendarError(
                    f"unknown time zone {tz!r}; use an IANA name such as {DEFAULT_TZ!r}"
                ) from None
        self.tz = tz
        self.extra_holidays = _validate_dates(extra_holidays, "extra_holidays")
        self.extra_working_days = _validate_dates(extra_working_days, "extra_working_days")
        conflicts = self.extra_holidays & self.extra_working_days
        if conflicts:
            listed = ", ".join(d.isoformat() for d in sorted(conflicts))
            raise CalendarError(
                f"{listed} listed both as extra holiday and extra working day; keep one"
            )
        if not observe_holidays and (self.extra_holidays or self.extra_working_days):
            raise CalendarError(
                "holiday overrides have no effect on a calendar that ignores holidays; "
                "remove them or set observe_holidays=True"
            )
        self.observe_holidays = observe_holidays
        self._holidays = holidays.China(language=language) if observe_holidays else None
        # holidays.China fills years lazily on lookup, which mutates it; requests may
        # share one calendar across threads.
        self._holidays_lock = threading.Lock()
        self._named: dict = {}  # holidays.China by language, for explain_days

    @classmethod
    def weekdays(cls, intervals: Iterable[Interval], **kwargs) -> BusinessCalendar:
        """Calendar open Monday to Friday with the same ``intervals`` every day."""
        intervals = list(intervals)
        return cls({weekday: intervals for weekday in range(5)}, **kwargs)

    @classmethod
    def always_open(cls, *, tz: str | tzinfo = DEFAULT_TZ) -> BusinessCalendar:
        """7×24 calendar: every instant counts, holidays included."""
        return cls(
            {weekday: [("00:00", "24:00")] for weekday in range(7)},
            tz=tz,
            observe_holidays=False,
        )

    # -- day classification -------------------------------------------------------------

    def _day_info(self, day: date) -> _DayInfo:
        own = self._schedule[day.weekday()]
        monday = self._schedule[0]
        is_weekend = day.weekday() >= 5
        if not self.observe_holidays:
            return _DayInfo("working" if own else "closed", _fmt_hours(own), own)
        if day in self.extra_working_days:
            hours = monday if is_weekend else own
            return _DayInfo("extra_working", _fmt_hours(hours), hours)
        if day in self.extra_holidays:
            return _DayInfo("extra_holiday", "", ())
        with self._holidays_lock:
            name = self._holidays.get(day)  # also loads day's year into weekend_workdays
            makeup = is_weekend and day in self._holidays.weekend_workdays
        if name is not None:
            return _DayInfo("holiday", name, ())
        if makeup:
            return _DayInfo("makeup", _fmt_hours(monday), monday)
        if own:
            return _DayInfo("working", _fmt_hours(own), own)
        return _DayInfo("weekend" if is_weekend else "closed", "", ())

    def _days_from(self, instant: datetime) -> Iterator[tuple[date, _DayInfo, list]]:
        """Yield up to MAX_SEARCH_DAYS local days from ``instant`` on, each with its open
        spans in UTC, clipped to start no earlier than ``instant``."""
        day = instant.astimezone(self.tz).date()
        for _ in range(MAX_SEARCH_DAYS):
            info = self._day_info(day)
            midnight = datetime.combine(day, time(0), tzinfo=self.tz)
            spans = []
            for start, end in info.hours:
                # Wall-clock offsets, converted to UTC so DST changes are respected.
                s = max((midnight + start).astimezone(UTC), instant)
                e = (midnight + end).astimezone(UTC)
                if e > s:
                    spans.append((s, e))
            yield day, info, spans
            day += _DAY

    def _horizon_error(self, instant: datetime) -> CalendarError:
        return CalendarError(
            f"gave up after walking {MAX_SEARCH_DAYS} days from "
            f"{instant.astimezone(self.tz).isoformat()}: the requested span is too long, "
            "or the calendar is (almost) never open; check the schedule and holiday overrides"
        )

    def _compute(
        self, start: datetime, delta: timedelta
    ) -> tuple[datetime, list[tuple[date, _DayInfo, timedelta]]]:
        """Due instant and a per-day trace of the business time counted."""
        start_utc = _require_aware(start, "start")
        if not isinstance(delta, timedelta):
            raise TypeError(f"delta must be a timedelta, got {type(delta).__name__}")
        if delta < timedelta(0):
            raise ValueError(f"delta must not be negative, got {delta}")
        remaining = delta
        trace = []
        for day, info, spans in self._days_from(start_utc):
            counted = timedelta(0)
            for s, e in spans:
                # Skipping a whole span at once keeps long deltas cheap.
                if remaining <= e - s:
                    trace.append((day, info, counted + remaining))
                    return (s + remaining).astimezone(self.tz), trace
                remaining -= e - s
                counted += e - s
            trace.append((day, info, counted))
        raise self._horizon_error(start_utc)

    # -- public API ---------------------------------------------------------------------

    def add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        """Instant after ``delta`` of open time counted from ``start`` (or from the next
        opening if ``start`` is outside hours). Returned in the calendar's zone."""
        return self._compute(start, delta)[0]

    def business_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Open business time in [a, b); zero if ``b <= a``."""
        a_utc = _require_aware(a, "a")
        b_utc = _require_aware(b, "b")
        total = timedelta(0)
        if b_utc <= a_utc:
            return total
        for day, _, spans in self._days_from(a_utc):
            total += sum((min(e, b_utc) - s for s, e in spans if s < b_utc), timedelta(0))
            # Spans of a day end by the next local midnight; stop once that passes b.
            if datetime.combine(day + _DAY, time(0), tzinfo=self.tz) >= b_utc:
                return total
        raise self._horizon_error(a_utc)

    def is_open(self, dt: datetime) -> bool:
        """Whether ``dt`` falls inside open business hours."""
        return self.next_open(dt) == dt

    def next_open(self, dt: datetime) -> datetime:
        """``dt`` itself if open, else the start of the next open interval."""
        _require_aware(dt, "dt")  # validate under the caller's argument name
        return self.add_business_time(dt, timedelta(0))

    @staticmethod
    def _groups(trace):
        """Consecutive days of the same kind, as lists of (day, info, counted)."""
        groups: list[list[tuple[date, _DayInfo, timedelta]]] = []
        for entry in trace:
            if groups and groups[-1][-1][1].kind == entry[1].kind:
                groups[-1].append(entry)
            else:
                groups.append([entry])
        return groups

    def explain(self, start: datetime, delta: timedelta) -> list[str]:
        """Human-readable steps of ``add_business_time(start, delta)``: consecutive days of
        the same kind are grouped, closed days are named as skipped."""
        due, trace = self._compute(start, delta)
        local_start = start.astimezone(self.tz)
        steps = [
            f"Start {local_start:%Y-%m-%d %H:%M (%a) %z}; "
            f"{_fmt_duration(delta)} of business time to count"
        ]
        for group in self._groups(trace):
            first, last = group[0][0], group[-1][0]
            when = (
                f"{first:%Y-%m-%d (%a)}"
                if first == last
                else f"{first:%Y-%m-%d (%a)} – {last:%Y-%m-%d (%a)}"
            )
            info = group[0][1]
            notes = list(dict.fromkeys(i.note for _, i, _ in group if i.note))
            what = _KIND_TEXT[info.kind] + (f" ({'; '.join(notes)})" if notes else "")
            if info.hours:
                counted = sum((c for _, _, c in group), timedelta(0))
                steps.append(f"{when}: {what}, counted {_fmt_duration(counted)}")
            else:
                steps.append(f"{when}: {what}, skipped")
        steps.append(f"Due {due:%Y-%m-%d %H:%M (%a) %z}")
        return steps

    def explain_days(self, start: datetime, delta: timedelta) -> list[dict]:
        """The days that ``explain`` lists, as data to show in any language: the first and last date of
        each group (ISO), its kind (see _KIND_TEXT), the service hours, the names of its public holidays in
        Chinese and English, and the seconds counted."""
        _due, trace = self._compute(start, delta)
        days = []
        for group in self._groups(trace):
            info = group[0][1]
            holidays_in = [day for day, i, _ in group if i.kind == "holiday"]
            days.append({
                "first": group[0][0].isoformat(), "last": group[-1][0].isoformat(), "kind": info.kind,
                "hours": _fmt_hours(info.hours),
                "holiday": self._holiday_names(holidays_in) if holidays_in else None,
                "counted": int(sum((c for _, _, c in group), timedelta(0)).total_seconds()),
            })
        return days

    def _holiday_names(self, days):
        names = {}
        with self._holidays_lock:
            for language, key in (("zh_CN", "zh"), ("en_US", "en")):
                if language not in self._named:
                    self._named[language] = holidays.China(language=language)
                found = [self._named[language].get(day) for day in days]
                names[key] = "; ".join(dict.fromkeys(name for name in found if name))
        return names
