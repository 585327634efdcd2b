"""Demo quality inspection: the checklist a hotline's quality officer uses, and last week's sample with half of
it scored by the demo's inspector."""
from datetime import timedelta

from sqlalchemy import select

from core.demo.data import demo_email
from core.models import QualityChecklistItem, User, utcnow
from core.quality.sampling import draw_sample, week_of
from core.quality.scoring import score_inspection

CHECKLIST = (
    ("服务用语规范", "开场白、礼貌用语和结束语完整，没有服务禁语。", 10, 1),
    ("信息登记完整", "客户姓名、联系方式、地址和问题描述登记齐全、准确。", 10, 1),
    ("响应及时", "在服务标准规定的时间内首次响应并告知客户处理进度。", 10, 2),
    ("问题解决", "处理方案正确，问题得到解决或已给出明确答复。", 10, 3),
    ("反馈与回访到位", "处理结果及时反馈给客户，按规定完成回访。", 10, 2),
)
NOTES = ("开场白不完整", "未主动告知处理时限", "", "处理结果反馈及时", "")


def add_quality_demo_data(session, rng):
    items = [QualityChecklistItem(title=title, description=description, max_points=points, weight=weight,
                                  position=(i + 1) * 10) for i, (title, description, points, weight) in enumerate(CHECKLIST)]
    session.add_all(items)
    session.flush()
    inspector = session.scalar(select(User).where(User.email == demo_email("quality")))
    now = utcnow()
    for monday in (week_of(now) - timedelta(days=7), week_of(now) - timedelta(days=14)):
        for inspection in draw_sample(monday, percent=10, now=now)[::2]:
            score_inspection(inspection, inspector=inspector,
                             points={item.id: rng.randint(6, item.max_points) for item in items},
                             comments={items[0].id: rng.choice(NOTES)}, comment=rng.choice(("整体规范", "注意跟进时效", "")),
                             now=now)
