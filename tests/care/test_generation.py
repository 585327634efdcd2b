"""Customer care: festival dates from the lunar calendar, the occasions of a period, and the daily generation
of greeting and reminder tasks (idempotent, per the site's rules and grades, with the plugins' reminders)."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from core.care.festivals import festival_dates, festivals_between
from core.care.service import generate_care_tasks, occasions
from core.extensions import db
from core.i18n import Label
from core.models import CareRule, CareTask, Customer
from core.plugins.specs import CareReminder


@pytest.mark.parametrize("year, expected", [
    (2025, {"spring_festival": date(2025, 1, 29), "lantern_festival": date(2025, 2, 12),
            "qingming": date(2025, 4, 4), "dragon_boat": date(2025, 5, 31), "mid_autumn": date(2025, 10, 6)}),
    (2026, {"spring_festival": date(2026, 2, 17), "lantern_festival": date(2026, 3, 3),
            "qingming": date(2026, 4, 5), "dragon_boat": date(2026, 6, 19), "mid_autumn": date(2026, 9, 25)}),
    (2027, {"spring_festival": date(2027, 2, 6), "lantern_festival": date(2027, 2, 20),
            "qingming": date(2027, 4, 5), "dragon_boat": date(2027, 6, 9), "mid_autumn": date(2027, 9, 15)}),
])
def test_festival_dates_match_the_published_calendar(year, expected):
    assert festival_dates(year) == expected


def test_festivals_between_spans_a_year_end():
    assert festivals_between(date(2026, 12, 20), date(2027, 2, 10)) == [(date(2027, 2, 6), "spring_festival")]


def _moment(day, hour=1):
    """01:00 UTC is 09:00 in Shanghai, the same day."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


@pytest.fixture
def customers(app):
    with app.app_context():
        rows = {
            "strategic": Customer(name="华润集团", kind="organisation", grade="strategic", birthday=date(1990, 3, 10)),
            "key": Customer(name="王芳", grade="key", birthday=date(1985, 3, 12)),
            "ordinary": Customer(name="李强", grade="ordinary", birthday=date(1979, 3, 11)),
            "leap": Customer(name="赵敏", grade="key", birthday=date(1992, 2, 29)),
            "merged": Customer(name="王芳（重复）", grade="key", birthday=date(1985, 3, 12)),
        }
        db.session.add_all(rows.values())
        db.session.flush()
        rows["merged"].merged_into_id = rows["key"].id
        db.session.commit()
        return {key: row.id for key, row in rows.items()}


def _tasks(app):
    with app.app_context():
        return sorted((t.customer_id, t.kind, t.on.isoformat()) for t in db.session.scalars(select(CareTask)))


def test_birthdays_within_the_rule_s_days_ahead_become_tasks_once(app, customers):
    with app.app_context():
        assert generate_care_tasks(_moment(date(2026, 3, 8))) == 1  # 3 days ahead: up to 11 March
        assert generate_care_tasks(_moment(date(2026, 3, 8))) == 0  # a second run adds nothing
        assert generate_care_tasks(_moment(date(2026, 3, 9))) == 1
    # The ordinary customer (11 March) is not among the default grades; the merged record is never greeted.
    assert _tasks(app) == [(customers["strategic"], "birthday", "2026-03-10"),
                           (customers["key"], "birthday", "2026-03-12")]


def test_the_site_chooses_the_days_and_the_grades(app, customers):
    with app.app_context():
        rule = db.session.scalar(select(CareRule).where(CareRule.key == "birthday"))
        rule.days_ahead, rule.grades = 7, []  # every grade
        db.session.commit()
        generate_care_tasks(_moment(date(2026, 3, 5)))
    assert [(c, day) for c, _kind, day in _tasks(app)] == [
        (customers["strategic"], "2026-03-10"), (customers["key"], "2026-03-12"),
        (customers["ordinary"], "2026-03-11")]


def test_a_29_february_birthday_is_greeted_on_the_28th_in_other_years(app, customers):
    with app.app_context():
        generate_care_tasks(_moment(date(2027, 2, 26)))
        generate_care_tasks(_moment(date(2028, 2, 26)))
    assert [(c, day) for c, _kind, day in _tasks(app) if c == customers["leap"]] == \
        [(customers["leap"], "2027-02-28"), (customers["leap"], "2028-02-29")]


def test_the_day_is_the_site_s_day_not_utc_s(app, customers):
    with app.app_context():  # 17:00 UTC on 7 March is already 8 March in Shanghai
        generate_care_tasks(datetime(2026, 3, 7, 17, tzinfo=timezone.utc))
    assert (customers["strategic"], "birthday", "2026-03-10") in _tasks(app)


def test_a_festival_greets_every_customer_of_the_chosen_grades_one_to_three_days_ahead(app, customers):
    with app.app_context():
        assert generate_care_tasks(_moment(date(2026, 2, 14))) == 0  # 春节 is on 17 February, 3 days away
        assert generate_care_tasks(_moment(date(2026, 2, 15))) == 3  # 2 days ahead (the default)
        rule = db.session.scalar(select(CareRule).where(CareRule.key == "spring_festival"))
        rule.active = False
        db.session.commit()
    festival = [(c, day) for c, kind, day in _tasks(app) if kind == "spring_festival"]
    assert sorted(festival) == sorted((customers[k], "2026-02-17") for k in ("strategic", "key", "leap"))
    with app.app_context():
        assert generate_care_tasks(_moment(date(2027, 2, 5))) == 0  # switched off


def test_plugins_reminders_become_tasks_and_stale_ids_are_ignored(plugin_app, example):
    with plugin_app.app_context():
        customer = Customer(name="物业业主", grade="ordinary")
        db.session.add(customer)
        db.session.commit()
        label = Label(zh="电梯年检", en="Lift inspection")
        example.reminders = [CareReminder(customer.id, date(2026, 5, 6), "example.lift", label, note="3号梯"),
                             CareReminder(customer.id + 999, date(2026, 5, 6), "example.lift", label),
                             CareReminder(customer.id, date(2026, 6, 30), "example.lift", label)]
        assert generate_care_tasks(_moment(date(2026, 5, 1))) == 1  # 7 days ahead by default
        task = db.session.scalar(select(CareTask))
        assert (task.kind, task.on, task.label_zh, task.note) == ("example.lift", date(2026, 5, 6), "电梯年检", "3号梯")
        found = occasions(date(2026, 5, 1), date(2026, 7, 1))
        assert [(o.on, o.kind, o.customer_ids) for o in found if o.kind == "example.lift"] == [
            (date(2026, 5, 6), "example.lift", (customer.id, customer.id + 999)),
            (date(2026, 6, 30), "example.lift", (customer.id,))]


def test_occasions_list_birthdays_and_festivals_by_day(app, customers):
    with app.app_context():
        found = occasions(date(2026, 2, 16), date(2026, 3, 12), name_limit=1)
    assert [(o.on.isoformat(), o.kind, o.count) for o in found] == [
        ("2026-02-17", "spring_festival", 0), ("2026-02-28", "birthday", 1), ("2026-03-03", "lantern_festival", 0),
        ("2026-03-10", "birthday", 1), ("2026-03-12", "birthday", 1)]


def test_two_generations_at_once_add_each_task_once(app, customers):
    """Two workers running at the same moment: the unique task key lets each task in once."""
    import threading

    results = []

    def run():
        with app.app_context():
            results.append(generate_care_tasks(_moment(date(2026, 2, 15))))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 3
    with app.app_context():
        assert db.session.scalar(select(func.count(CareTask.id))) == 3
