"""The utility kind is one setting: water, gas or power changes every word (the seed's own: 燃气服务“六不准”,
计划停电提醒, 催缴电费), and nothing else."""
import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditLog, Role, TicketType
from plugins.water.models import WaterSettings
from plugins.water.tests.conftest import tomorrow_at
from plugins.water.tests.test_outages import add_outage
from tests.helpers import post_form

SETTINGS = "/admin/water/settings/"


def choose(client, kind, hotline="96789"):
    return post_form(client, SETTINGS, {"utility_kind": kind, "hotline": hotline})


@pytest.mark.parametrize("kind, words", [
    ("gas", ("用气申请", "燃气表号", "燃气服务“六不准”", "不准以气谋私", "不准私接私装燃气设施", "漏气", "计划停气")),
    ("power", ("用电申请", "电表号", "供电服务“六不准”", "不准以电谋私", "漏电", "电压低", "计划停电")),
])
def test_choosing_the_kind_changes_the_words_everywhere(world, water_app, signed_in, kind, words):
    admin = signed_in("root@water.cn")
    assert choose(admin, kind).status_code == 302
    hotline = signed_in("hotline@water.cn")
    pages = "".join(hotline.get(url).get_data(as_text=True)
                    for url in ("/desk/tickets/new", "/water/commitment", "/water/outages"))
    for word in words:
        assert word in pages, word
    assert "用水申请" not in pages and "不准以水谋私" not in pages
    with water_app.app_context():
        assert db.session.scalar(select(TicketType.label_zh).where(TicketType.key == "water_connection")) == words[0]
        quality = db.session.scalar(select(Role.label_zh).where(Role.key == "water_quality"))
        assert quality == {"gas": "燃气质量专员", "power": "电能质量专员"}[kind]
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "water.settings")) is not None


def test_the_notice_and_the_report_speak_of_power_on_a_power_site(world, water_app, signed_in):
    choose(signed_in("root@water.cn"), "power")
    outage_id = add_outage(water_app, [world.east_area], tomorrow_at(9), tomorrow_at(15), reason="线路检修")
    engineering = signed_in("engineering@water.cn")
    page = engineering.get(f"/water/outages/{outage_id}").get_data(as_text=True)
    assert "计划停电通知" in page and "将于" in page and "停电，请提前做好停电准备。" in page and "服务热线：96789" in page
    report = engineering.get("/water/hotline-report").get_data(as_text=True)
    assert "计划停电提醒" in report and "催缴电费" in report


def test_a_wrong_kind_or_hotline_changes_nothing_and_only_the_admin_may_choose(world, water_app, signed_in):
    admin = signed_in("root@water.cn")
    assert "请选择供水、燃气或供电" in choose(admin, "oil").get_data(as_text=True)
    assert "服务热线不能超过 40 个字符" in choose(admin, "gas", hotline="9" * 41).get_data(as_text=True)
    assert post_form(signed_in("engineering@water.cn"), SETTINGS, {"utility_kind": "gas"},
                     form_url="/water/outages").status_code == 403
    assert admin.post(SETTINGS, data={"utility_kind": "gas"}).status_code == 400  # no CSRF token
    with water_app.app_context():
        assert WaterSettings.current().utility_kind == "water"
        assert db.session.scalar(select(TicketType.label_zh).where(TicketType.key == "water_connection")) == "用水申请"
