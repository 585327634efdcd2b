"""Clocks on real tickets, at fixed instants: business hours, the Spring Festival, 调休, pauses, policy changes."""
from datetime import timedelta

from core.extensions import db
from core.models import Customer, ServiceCalendar, Team, User
from core.plugins import hookimpl
from core.sla import clocks
from core.tickets.assignment import set_assignee
from core.tickets.service import add_comment, create_ticket, update_ticket
from core.workflow.engine import transition
from tests.helpers import create_user
from tests.sla.conftest import add_policy, clock, sh, sla_events


def test_friday_evening_ticket_with_two_business_hours_is_due_monday_morning(app):
    with app.app_context():
        add_policy(first_response_minutes=120)
        ticket = create_ticket(type_key="inquiry", title="电费咨询", now=sh(2025, 3, 14, 17, 30))
        first = clock(ticket, "first_response")
        assert first.due_at == sh(2025, 3, 17, 10, 30)
        assert first.explanation["policy"] == "Standard" and first.explanation["business"] is True
        assert first.explanation["steps"][-1].startswith("Due 2025-03-17 10:30 (Mon)")
        assert sla_events(ticket) == [("started", "first_response")]


def test_ticket_created_the_day_before_the_spring_festival_break(app):
    with app.app_context():
        add_policy(first_response_minutes=120)
        ticket = create_ticket(type_key="inquiry", title="春节前报修", now=sh(2025, 1, 27, 17))
        first = clock(ticket, "first_response")
        assert first.due_at == sh(2025, 2, 5, 10)  # 1 h on Jan 27, the break Jan 28 – Feb 4, 1 h on Feb 5
        assert any("public holiday" in step and "skipped" in step for step in first.explanation["steps"])


def test_a_makeup_saturday_counts_as_a_working_day(app):
    with app.app_context():
        add_policy(first_response_minutes=120)
        ticket = create_ticket(type_key="inquiry", title="调休日", now=sh(2025, 2, 7, 17))
        assert clock(ticket, "first_response").due_at == sh(2025, 2, 8, 10)  # Sat Feb 8 is 调休


def test_admin_override_for_a_year_the_package_does_not_know(app):
    from core.models import CalendarOverride

    with app.app_context():
        add_policy(first_response_minutes=60)
        db.session.add(CalendarOverride(day=sh(2025, 3, 17).date(), working=False, note="停电放假"))
        db.session.commit()
        ticket = create_ticket(type_key="inquiry", title="周五来单", now=sh(2025, 3, 14, 17, 30))
        assert clock(ticket, "first_response").due_at == sh(2025, 3, 18, 9, 30)


def test_a_calendar_changed_after_use_counts_with_the_change(app):
    """Calendars are built once per setting; an override or new hours added later must still apply."""
    from core.models import CalendarOverride

    with app.app_context():
        add_policy(first_response_minutes=60)
        before = create_ticket(type_key="inquiry", title="周五来单", now=sh(2025, 3, 14, 17, 30))
        assert clock(before, "first_response").due_at == sh(2025, 3, 17, 9, 30)
        db.session.add(CalendarOverride(day=sh(2025, 3, 17).date(), working=False, note="停电放假"))
        db.session.commit()
        after = create_ticket(type_key="inquiry", title="周五再来单", now=sh(2025, 3, 14, 17, 30))
        assert clock(after, "first_response").due_at == sh(2025, 3, 18, 9, 30)
        db.session.add(ServiceCalendar(name="全天", hours="7x24"))
        db.session.commit()
        always = create_ticket(type_key="inquiry", title="周五晚来单", now=sh(2025, 3, 14, 17, 30))
        assert clock(always, "first_response").due_at == sh(2025, 3, 14, 18, 30)


def test_service_hours_of_the_team_with_a_lunch_break(app, staff):
    with app.app_context():
        db.session.add(ServiceCalendar(name="一组", team_id=staff["team"], hours="mon-fri 09:00-12:00 13:00-18:00"))
        add_policy(first_response_minutes=120)
        ticket = create_ticket(type_key="inquiry", title="午间来单", team=db.session.get(Team, staff["team"]),
                               now=sh(2025, 3, 17, 11))
        first = clock(ticket, "first_response")
        assert first.due_at == sh(2025, 3, 17, 14) and first.calendar_name == "一组"


def test_calendar_time_targets_count_every_hour(app):
    with app.app_context():
        add_policy(resolution_minutes=24 * 60, resolution_business=False)
        ticket = create_ticket(type_key="complaint", title="投诉", now=sh(2025, 3, 14, 17, 30))
        assert clock(ticket, "resolution").due_at == sh(2025, 3, 15, 17, 30)


def test_pause_while_waiting_for_the_customer_and_resume_on_their_reply(app, staff):
    customer_user = create_user(app, "c@example.cn", "customer", kind="customer")
    with app.app_context():
        add_policy(first_response_minutes=60, resolution_minutes=4 * 60)
        agent = db.session.get(User, staff["agent"])
        ticket = create_ticket(type_key="inquiry", title="水压低", now=sh(2025, 3, 17, 10))
        assert clock(ticket, "resolution").due_at == sh(2025, 3, 17, 14)
        transition(ticket, "assign", actor=db.session.get(User, staff["supervisor"]), assignee=agent,
                   now=sh(2025, 3, 17, 10, 10))
        transition(ticket, "start", actor=agent, now=sh(2025, 3, 17, 10, 20))
        transition(ticket, "wait", actor=agent, comment="请提供水表读数", now=sh(2025, 3, 17, 11))
        resolution = clock(ticket, "resolution")
        assert clock(ticket, "first_response").state == "met"  # the comment reached the customer
        assert resolution.state == "paused" and resolution.consumed_seconds == 3600

        add_comment(ticket, actor=db.session.get(User, customer_user), body="读数是 1234", public=True,
                    now=sh(2025, 3, 18, 10))
        resolution = clock(ticket, "resolution")
        assert resolution.state == "running"
        assert resolution.due_at == sh(2025, 3, 18, 13)  # 3 business hours left from Tuesday 10:00
        assert resolution.paused_total_seconds == 23 * 3600
        assert clock(ticket, "resolution").explanation["consumed_seconds"] == 3600

        transition(ticket, "resume", actor=agent, now=sh(2025, 3, 18, 10, 5))  # already running: no change
        transition(ticket, "resolve", actor=agent, comment="已调整水压", now=sh(2025, 3, 18, 12))
        assert clock(ticket, "resolution").state == "met"
        assert sla_events(ticket) == [
            ("started", "first_response"), ("started", "resolution"), ("met", "first_response"),
            ("paused", "resolution"), ("resumed", "resolution"), ("met", "resolution")]


def test_a_customer_reply_starts_the_next_response_clock(app, staff):
    customer_user = create_user(app, "c@example.cn", "customer", kind="customer")
    with app.app_context():
        add_policy(first_response_minutes=60, next_response_minutes=30)
        agent = db.session.get(User, staff["agent"])
        ticket = create_ticket(type_key="inquiry", title="账单疑问", now=sh(2025, 3, 17, 10))
        add_comment(ticket, actor=agent, body="您好，正在查询", public=True, now=sh(2025, 3, 17, 10, 30))
        add_comment(ticket, actor=db.session.get(User, customer_user), body="还没好吗？", public=True,
                    now=sh(2025, 3, 17, 11))
        assert clock(ticket, "next_response").due_at == sh(2025, 3, 17, 11, 30)
        add_comment(ticket, actor=agent, body="内部备注", public=False, now=sh(2025, 3, 17, 11, 10))
        assert clock(ticket, "next_response").state == "running"  # a note is not a reply
        add_comment(ticket, actor=agent, body="已处理", public=True, now=sh(2025, 3, 17, 11, 40))
        assert clock(ticket, "next_response").state == "breached"  # answered, but late
        assert ticket.first_response_at == sh(2025, 3, 17, 10, 30)


def test_a_policy_change_applies_to_new_tickets_only(app):
    with app.app_context():
        policy = add_policy(first_response_minutes=120)
        old = create_ticket(type_key="inquiry", title="旧单", now=sh(2025, 3, 17, 9))
        policy.first_response_minutes = 30
        db.session.commit()
        new = create_ticket(type_key="inquiry", title="新单", now=sh(2025, 3, 17, 9))
        assert clock(old, "first_response").due_at == sh(2025, 3, 17, 11)
        assert clock(new, "first_response").due_at == sh(2025, 3, 17, 9, 30)


def test_the_most_specific_policy_wins(app):
    with app.app_context():
        grade_key = Customer(name="华润置地", kind="organisation", grade="key")
        db.session.add(grade_key)
        add_policy("Everything", first_response_minutes=240)
        add_policy("Complaints", ticket_type="complaint", first_response_minutes=120)
        add_policy("Urgent complaints", ticket_type="complaint", priority="urgent", first_response_minutes=30)
        add_policy("Key customers", customer_grade="key", first_response_minutes=60)
        now = sh(2025, 3, 17, 9)

        def policy_of(**values):
            return clock(create_ticket(title="单", now=now, **values), "first_response").policy_name

        assert policy_of(type_key="inquiry") == "Everything"
        assert policy_of(type_key="complaint") == "Complaints"
        assert policy_of(type_key="complaint", priority="urgent") == "Urgent complaints"
        assert policy_of(type_key="inquiry", customer=grade_key) == "Key customers"
        # One match field each: the ticket type outweighs the customer grade.
        assert policy_of(type_key="complaint", customer=grade_key) == "Complaints"


def test_a_ticket_moved_to_another_type_is_re_evaluated(app):
    with app.app_context():
        add_policy("Inquiries", ticket_type="inquiry", first_response_minutes=240, resolution_minutes=480)
        add_policy("Complaints", ticket_type="complaint", first_response_minutes=60)
        ticket = create_ticket(type_key="inquiry", title="其实是投诉", now=sh(2025, 3, 17, 9))
        assert clock(ticket, "first_response").due_at == sh(2025, 3, 17, 13)

        update_ticket(ticket, actor=None, changes={"type": "complaint"}, now=sh(2025, 3, 17, 9, 20))
        assert (ticket.type.key, ticket.category) == ("complaint", "complaint")
        first = clock(ticket, "first_response")
        # 20 minutes already used of the new 60: due 40 minutes later.
        assert (first.policy_name, first.target_minutes) == ("Complaints", 60)
        assert first.due_at == sh(2025, 3, 17, 10)
        assert clock(ticket, "resolution").state == "cancelled"  # the complaint policy sets no resolution target
        assert ("recomputed", "first_response") in sla_events(ticket)


def test_moving_to_a_team_with_other_hours_re_evaluates(app, staff):
    with app.app_context():
        other = Team(name="夜班")
        db.session.add(other)
        db.session.flush()
        db.session.add(ServiceCalendar(name="夜班 7×24", team_id=other.id, hours="7x24", observe_holidays=False))
        add_policy(first_response_minutes=120)
        ticket = create_ticket(type_key="inquiry", title="周五夜间", now=sh(2025, 3, 14, 17, 30))
        set_assignee(ticket, None, None, other, now=sh(2025, 3, 14, 18))
        first = clock(ticket, "first_response")
        assert first.due_at == sh(2025, 3, 14, 19, 30) and first.calendar_name == "夜班 7×24"


def test_no_policy_no_clocks(app):
    with app.app_context():
        ticket = create_ticket(type_key="inquiry", title="无服务标准", now=sh(2025, 3, 17, 9))
        assert sla_events(ticket) == [] and clocks.clocks_of(ticket) == []


def test_closing_stops_every_clock(app, staff):
    with app.app_context():
        add_policy(first_response_minutes=60, resolution_minutes=120, follow_up_minutes=3 * 24 * 60,
                   follow_up_business=False)
        agent = db.session.get(User, staff["agent"])
        ticket = create_ticket(type_key="inquiry", title="回访", now=sh(2025, 3, 17, 9))
        transition(ticket, "assign", actor=db.session.get(User, staff["supervisor"]), assignee=agent,
                   now=sh(2025, 3, 17, 9, 5))
        transition(ticket, "start", actor=agent, now=sh(2025, 3, 17, 9, 10))
        transition(ticket, "resolve", actor=agent, comment="已解决", now=sh(2025, 3, 17, 10))
        follow_up = clock(ticket, "follow_up")
        assert follow_up.state == "running" and follow_up.due_at == sh(2025, 3, 20, 10)
        transition(ticket, "close", actor=agent, now=sh(2025, 3, 18, 10))
        assert {c.kind: c.state for c in clocks.clocks_of(ticket, states=("met", "breached"))} == {
            "first_response": "met", "resolution": "met", "follow_up": "met"}
        assert clock(ticket, "first_response").completed_at - sh(2025, 3, 17, 9) == timedelta(hours=1)


def test_the_ticket_page_shows_due_times_and_how_they_were_computed(app, staff):
    from tests.helpers import login

    create_user(app, "lead-en@example.cn", "supervisor", locale="en")
    with app.app_context():
        add_policy("标准服务", first_response_minutes=120)
        ticket_id = create_ticket(type_key="inquiry", title="春节前来单", now=sh(2025, 1, 27, 17)).id
        db.session.commit()
    pages = {}
    for email in ("supervisor@example.cn", "lead-en@example.cn"):
        client = app.test_client()
        login(client, email)
        pages[email] = client.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    chinese, english = pages["supervisor@example.cn"], pages["lead-en@example.cn"]
    for page in (chinese, english):
        assert 'data-sla="first_response"' in page and "标准服务" in page
    assert "从 2025-01-27 17:00 (周一) 起计：尚需服务时间 2 小时 00 分钟" in chinese
    assert "2025-01-27 (周一)：工作日（09:00–18:00），计入 1 小时 00 分钟" in chinese
    assert "2025-01-28 (周二) – 2025-01-31 (周五)：法定节假日：农历除夕; 春节，跳过" in chinese
    assert "截止 2025-02-05 10:00 (周三)" in chinese
    assert "Counted from 2025-01-27 17:00 (Mon): 2 h 00 min of service hours to go" in english
    assert "2025-01-28 (Tue) – 2025-01-31 (Fri): public holiday: Chinese New Year&#39;s Eve; " in english
    assert "2025-02-01 (Sat) – 2025-02-02 (Sun): weekend, skipped" in english
    assert "Due 2025-02-05 10:00 (Wed)" in english


def test_moving_a_ticket_to_another_type_at_the_desk_re_evaluates_its_clocks(app, staff):
    from tests.helpers import login, post_form

    with app.app_context():
        add_policy("Inquiries", ticket_type="inquiry", first_response_minutes=240)
        add_policy("Complaints", ticket_type="complaint", first_response_minutes=60)
        ticket = create_ticket(type_key="inquiry", title="其实是投诉", now=sh(2025, 3, 17, 9))
        db.session.commit()
        ticket_id, version = ticket.id, ticket.version
    client = app.test_client()
    login(client, "supervisor@example.cn")
    url = f"/desk/tickets/{ticket_id}"
    assert '<select name="type">' in client.get(url).get_data(as_text=True)
    post_form(client, f"{url}/fields", {"title": "其实是投诉", "priority": "normal", "type": "complaint",
                                        "version": str(version)}, form_url=url)
    with app.app_context():
        from core.models import Ticket

        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.type.key == "complaint"
        assert (clock(ticket, "first_response").policy_name, clock(ticket, "first_response").target_minutes) == (
            "Complaints", 60)
        assert ("recomputed", "first_response") in sla_events(ticket)


class _PerReasonPolicies:
    """Beside the example's 15 minutes for any dish chase, a quicker target when the wrong dish was served."""

    @hookimpl
    def kefu_sla_policies(self):
        from core.sla.policies import SlaPolicySpec, Target

        return [SlaPolicySpec("chase_wrong", "上错菜", ticket_type="example_chase", ticket_fields={"reason": "wrong"},
                              targets={"resolution": Target(10, business=False)})]


def test_a_policy_for_one_value_of_the_types_field_wins_and_follows_an_edit(make_app, example):
    app = make_app(EXTRA_PLUGINS=[("example", example), ("reasons", _PerReasonPolicies())],
                   PLUGINS=["example", "reasons"])
    with app.app_context():
        slow = create_ticket(type_key="example_chase", title="上菜慢", fields={"table": 3, "reason": "slow"},
                             now=sh(2025, 3, 17, 12))
        wrong = create_ticket(type_key="example_chase", title="上错菜", fields={"table": 4, "reason": "wrong", "hall": "1",
                                                                    "seat": "11"}, now=sh(2025, 3, 17, 12))
        assert clock(slow, "resolution").due_at == sh(2025, 3, 17, 12, 15)
        assert clock(wrong, "resolution").due_at == sh(2025, 3, 17, 12, 10)
        assert clock(wrong, "resolution").explanation["match"] == {"ticket_type": "example_chase",
                                                                   "fields.reason": "wrong"}
        update_ticket(slow, actor=None, changes={"fields": {"reason": "wrong", "hall": "1", "seat": "12"}},
                      now=sh(2025, 3, 17, 12, 5))
        assert clock(slow, "resolution").due_at == sh(2025, 3, 17, 12, 10)  # 5 minutes used, 5 left
        assert sla_events(slow)[-1] == ("recomputed", "resolution")
