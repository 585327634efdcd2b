"""Quality inspection (质检): a weekly sample of each agent's closed tickets, random but the same on every draw;
scoring on the admin's checklist with weights; agents see their own scores; bad input refused."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import QualityChecklistItem, QualityInspection, User
from core.quality import sampling
from core.quality.scoring import InspectionInputError, score_inspection
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from tests.closedloop.conftest import signed_in
from tests.helpers import create_user, post_form

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2025, 3, 17, 9, tzinfo=SH).date()


def _closed_tickets(app, agent_id, count, when):
    """``count`` tickets handled by the agent and closed at ``when``."""
    with app.app_context():
        agent = db.session.get(User, agent_id)
        ids = []
        for i in range(count):
            ticket = create_ticket(type_key="inquiry", title=f"咨询水费 {i}", assignee=agent, now=when)
            for step in ("assign", "start", "resolve", "close"):
                transition(ticket, step, actor=None, comment="已答复", now=when)
            ids.append(ticket.id)
        db.session.commit()
        return ids


@pytest.fixture
def week(loop_app, people):
    """A week in which 张晓燕 closed 30 tickets and 陈伟 3; one more closed the week after."""
    when = datetime(2025, 3, 19, 15, tzinfo=SH)
    first = _closed_tickets(loop_app, people.agent, 30, when)
    second = _closed_tickets(loop_app, people.agent2, 3, when)
    later = _closed_tickets(loop_app, people.agent, 1, when + timedelta(days=7))
    return {"agent": first, "agent2": second, "later": later}


@pytest.fixture
def checklist(loop_app):
    with loop_app.app_context():
        items = [QualityChecklistItem(title="服务用语规范", max_points=10, weight=1, position=1),
                 QualityChecklistItem(title="问题解决", max_points=10, weight=3, position=2),
                 QualityChecklistItem(title="已停用的项", max_points=5, weight=1, position=3, active=False)]
        db.session.add_all(items)
        db.session.commit()
        return [item.id for item in items]


def test_each_agent_gets_the_share_of_their_week_and_drawing_again_changes_nothing(loop_app, people, week):
    with loop_app.app_context():
        assert sampling.week_of(datetime(2025, 3, 23, 23, 59, tzinfo=SH)) == MONDAY
        drawn = sampling.draw_sample(MONDAY, percent=10)
        db.session.commit()
        by_agent = {}
        for row in drawn:
            by_agent.setdefault(row.agent_id, []).append(row.ticket_id)
        assert len(by_agent[people.agent]) == 3 and len(by_agent[people.agent2]) == 1  # 10 %, at least one
        assert set(by_agent[people.agent]) <= set(week["agent"]) and week["later"][0] not in by_agent[people.agent]
        assert sampling.draw_sample(MONDAY, percent=10) == []  # reproducible: nothing new, nothing replaced
        first_pick = sorted(by_agent[people.agent])
        db.session.query(QualityInspection).delete()
        db.session.commit()
        again = sampling.draw_sample(MONDAY, percent=10)
        assert sorted(r.ticket_id for r in again if r.agent_id == people.agent) == first_pick
        assert len(sampling.draw_sample(MONDAY, percent=20)) == 3  # a larger share adds to the same draw
        summary = sampling.week_summary(MONDAY)
        assert summary[people.agent] == {"closed": 30, "drawn": 6, "scored": 0, "average": None}


def test_the_scheduled_draw_takes_the_week_that_ended(loop_app, people, week):
    with loop_app.app_context():
        next_monday = datetime(2025, 3, 24, 8, tzinfo=SH)
        assert sampling.draw_last_week(next_monday) == 3  # 5 % of 30 rounds up to 2, and 1 of 3
        assert sampling.draw_last_week(next_monday + timedelta(hours=1)) == 0


def test_scores_are_weighted_and_bad_points_are_refused(loop_app, people, week, checklist):
    inspector_id = create_user(loop_app, "qc@example.cn", "quality", name="吴质检")
    with loop_app.app_context():
        inspection = sampling.draw_sample(MONDAY, percent=10)[0]
        inspector = db.session.get(User, inspector_id)
        active = checklist[:2]
        with pytest.raises(InspectionInputError) as refused:
            score_inspection(inspection, inspector=inspector, points={active[0]: "11", active[1]: "-1"})
        assert set(refused.value.errors) == {f"points_{active[0]}", f"points_{active[1]}"}
        with pytest.raises(InspectionInputError) as forbidden:
            score_inspection(inspection, inspector=db.session.get(User, people.agent), points={active[0]: 5, active[1]: 5})
        assert "inspector" in forbidden.value.errors
        score_inspection(inspection, inspector=inspector, points={active[0]: "10", active[1]: "6"},
                         comments={active[1]: "未确认客户是否满意"}, comment="整体良好")
        db.session.commit()
        assert inspection.score == 70.0  # (10·1 + 6·3) / (10·1 + 10·3)
        assert [(s.title, s.points, s.weight) for s in inspection.scores] == [("服务用语规范", 10, 1), ("问题解决", 6, 3)]
        db.session.get(QualityChecklistItem, active[1]).weight = 1  # a later change of the checklist…
        db.session.commit()
        assert db.session.get(QualityInspection, inspection.id).score == 70.0  # …leaves given scores alone


def test_inspectors_draw_and_score_through_the_pages_and_agents_see_their_own(loop_app, people, checklist):
    now = datetime.now(SH)
    _closed_tickets(loop_app, people.agent, 4, now)
    create_user(loop_app, "qc@example.cn", "quality", name="吴质检")
    inspector = signed_in(loop_app, "qc@example.cn")
    page = inspector.get("/desk/quality/").get_data(as_text=True)
    assert "抽取本周样本" in page
    assert post_form(inspector, "/desk/quality/draw", {"percent": "0"}, form_url="/desk/quality/").status_code == 302
    assert "须为 1 到 100 的整数" in inspector.get("/desk/quality/").get_data(as_text=True)
    drawn = post_form(inspector, "/desk/quality/draw", {"percent": "50"}, form_url="/desk/quality/")
    assert drawn.status_code == 302
    with loop_app.app_context():
        rows = db.session.scalars(select(QualityInspection)).all()
        assert len(rows) == 2 and {r.agent_id for r in rows} == {people.agent}
        target = rows[0]
        url = f"/desk/quality/{target.id}"
    form = inspector.get(url).get_data(as_text=True)
    assert "服务用语规范" in form and "已停用的项" not in form and "咨询水费" in form
    bad = post_form(inspector, url, {f"points_{checklist[0]}": "12", f"points_{checklist[1]}": "5"})
    assert bad.status_code == 400 and "请给 0 到 10 分" in bad.get_data(as_text=True)
    good = post_form(inspector, url, {f"points_{checklist[0]}": "8", f"points_{checklist[1]}": "9",
                                      f"comment_{checklist[0]}": "开场白不完整", "comment": "继续保持"})
    assert good.status_code == 302

    agent = signed_in(loop_app, "agent@example.cn")
    mine = agent.get("/desk/quality/mine").get_data(as_text=True)
    assert "87.5" in mine and "开场白不完整" in mine and "继续保持" in mine
    assert agent.get("/desk/quality/").status_code == 403
    assert agent.get(url).status_code == 403
    other = signed_in(loop_app, "agent2@example.cn")
    assert "87.5" not in other.get("/desk/quality/mine").get_data(as_text=True)
    assert inspector.get("/desk/quality/99999").status_code == 404
    assert signed_in(loop_app, "wang@example.cn").get("/desk/quality/mine").status_code == 403
