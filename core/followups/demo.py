"""Demo closed loop: about half of the follow-ups the demo's resolutions created are done, by phone mostly,
with the customers' scores; some customers answered their survey link themselves; one low rating is under
investigation by the supervisor."""
from datetime import timedelta

from sqlalchemy import select

from core.followups.service import complete_follow_up
from core.followups.surveys import submit_survey
from core.models import FollowUp, Survey

OUTCOMES = ("客户表示问题已解决，对处理结果满意。", "客户反映维修后运行正常，感谢师傅及时上门。",
            "客户对处理速度有意见，希望下次能更快。", "客户电话未接通，已改发短信回访。", "客户确认账单已更正。")
COMMENTS = ("师傅很专业", "处理及时", "", "态度很好", "希望能更快一些", "")
METHODS = ("phone", "phone", "phone", "sms", "visit")


def _scores(rng):
    return {name: rng.choice((3, 4, 4, 5, 5, 5)) for name in ("quality", "attitude", "speed")}


def add_followup_demo_data(session, rng):
    pending = session.scalars(select(FollowUp).where(FollowUp.state == "pending").order_by(FollowUp.id)).all()
    for follow_up in pending[::2]:
        if follow_up.assignee is None:
            continue
        answered = rng.random() < 0.7
        complete_follow_up(follow_up, actor=follow_up.assignee, method=rng.choice(METHODS),
                           outcome=rng.choice(OUTCOMES), scores=_scores(rng) if answered else None,
                           comment=rng.choice(COMMENTS) if answered else "",
                           now=follow_up.created_at + timedelta(hours=rng.randint(2, 60)))
    waiting = session.scalars(select(Survey).where(Survey.state == "open").order_by(Survey.id)).all()
    for survey in waiting[::3]:
        submit_survey(survey, scores=_scores(rng), comment=rng.choice(COMMENTS), channel="link",
                      now=survey.created_at + timedelta(hours=rng.randint(1, 48)))
    unhappy = next((s for s in waiting if s.state == "open" and s.ticket.status_category == "resolved"), None)
    if unhappy is not None:
        submit_survey(unhappy, scores={"quality": 2, "attitude": 3, "speed": 2}, comment="修好第二天又坏了，很失望",
                      channel="link", now=unhappy.created_at + timedelta(hours=5))
