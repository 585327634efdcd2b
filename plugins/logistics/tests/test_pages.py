"""The plugin's pages and admin views render for those who may open them; the investigation report form
refuses an incomplete report and writes nothing."""
from sqlalchemy import func, select

from core.extensions import db
from core.tickets.service import create_ticket
from plugins.logistics.models import InvestigationReport
from plugins.logistics.tests.conftest import SHIPMENT, push
from tests.helpers import create_user, post_form


def test_admin_views_render(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    create_user(logistics_app, "root@shengjie.cn", "admin", name="管理员")
    admin = signed_in("root@shengjie.cn")
    for url, text in (("/admin/logistics_shipments/", "SJ20261201001"), ("/admin/logistics_key_accounts/", "华联超市"),
                      ("/admin/logistics_key_accounts/new/", "服务方案"), ("/admin/logistics_investigations/", "原因"),
                      ("/admin/logistics_shipment_import/", "运单号")):
        page = admin.get(url)
        assert page.status_code == 200 and text in page.get_data(as_text=True), url


def test_the_shipment_page_is_for_staff_who_may_see_shipments(world, logistics_app, signed_in):
    push(logistics_app, world.token, SHIPMENT)
    page = signed_in("agent@shengjie.cn").get("/logistics/shipments/SJ20261201001")
    assert page.status_code == 200 and "合肥中转场" in page.get_data(as_text=True)
    assert signed_in("agent@shengjie.cn").get("/logistics/shipments/NOPE").status_code == 404
    assert signed_in("buyer@hualian.cn").get("/logistics/shipments/SJ20261201001").status_code == 403


def test_an_incomplete_investigation_report_is_refused(world, logistics_app, signed_in):
    with logistics_app.app_context():
        ticket_id = create_ticket(type_key="logistics_complaint", title="态度差", fields={"cause": "attitude"}).id
        db.session.commit()
    officer = signed_in("officer@shengjie.cn")
    url = f"/logistics/tickets/{ticket_id}/investigation"
    refused = post_form(officer, url, {"cause": "送货员情绪问题", "responsibility": "", "corrective_action": "培训"},
                        form_url=f"/desk/tickets/{ticket_id}")
    assert refused.status_code == 303
    assert "请填写原因、责任认定和纠正措施" in officer.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    agent = signed_in("agent@shengjie.cn")  # the call centre may not file it
    assert post_form(agent, url, {"cause": "a", "responsibility": "b", "corrective_action": "c"},
                     form_url=f"/desk/tickets/{ticket_id}").status_code == 403
    with logistics_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InvestigationReport)) == 0
