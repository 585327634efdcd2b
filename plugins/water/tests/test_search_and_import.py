"""Search fields (C4) and the CSV imports of accounts and meters (C5) through the admin's upload page."""
import io

import pytest
from sqlalchemy import delete, select

from core.extensions import db
from core.models import AuditLog, Customer, SearchOutbox
from core.tickets.service import create_ticket
from plugins.water.models import Account, Area, Meter
from tests.helpers import csrf_token, post_form


@pytest.fixture
def water_app(make_app):
    """The outbox rows stay for the tests to read: `kefu worker` applies them, not the committing process."""
    return make_app(PLUGINS=["water"], SEARCH_APPLY="worker")


def search_values(app, ticket):
    registry = app.extensions["kefu"].registry
    return {key: registry.search_fields[key].extract(ticket) for key in ("account", "meter", "address", "area")}


def queued(app):
    with app.app_context():
        return set(db.session.scalars(select(SearchOutbox.object_id).where(SearchOutbox.kind == "ticket")))


def clear_outbox(app):
    with app.app_context():
        db.session.execute(delete(SearchOutbox))
        db.session.commit()


def test_a_ticket_is_found_by_its_account_meter_address_and_every_area_it_lies_in(world, water_app):
    with water_app.app_context():
        owner = water_app.extensions["kefu"].registry.search_field_owner
        assert {owner[key] for key in ("account", "meter", "address", "area")} == {"water"}
        report = create_ticket(type_key="water_repair", title="漏水", fields={"fault": "leak", "account": "10010001"})
        street = create_ticket(type_key="water_repair", title="路面冒水", fields={
            "fault": "leak", "area": str(world.west_area), "address": "建设西路与西环路路口"})
        assert search_values(water_app, report) == {"account": "10010001", "meter": ["2019010001"],
                                                    "address": ["东湖路12号3栋501室"], "area": ["东湖社区", "城东片区"]}
        assert search_values(water_app, street) == {"account": None, "meter": None,
                                                    "address": ["建设西路与西环路路口"], "area": ["城西片区"]}


def admin_edit(client, url, data):
    return post_form(client, url, data, form_url=url)


def test_editing_an_account_or_renaming_an_area_queues_its_tickets_for_the_index(world, water_app, signed_in):
    with water_app.app_context():
        lake_report = create_ticket(type_key="water_billing", title="水费查询",
                                    fields={"account": "10010001", "topic": "bill"}).id
        west_report = create_ticket(type_key="water_repair", title="漏水",
                                    fields={"fault": "leak", "area": str(world.west_area)}).id
        db.session.commit()
        account = db.session.scalar(select(Account).where(Account.number == "10010001"))
        account_id, holder_id = account.id, account.customer_id
    clear_outbox(water_app)
    admin = signed_in("root@water.cn")
    response = admin_edit(admin, f"/admin/water_accounts/edit/?id={account_id}", {
        "number": "10010001", "holder": str(holder_id), "address": "东湖路12号3栋502室", "area": str(world.lake),
        "status": "active", "opened_on": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert queued(water_app) == {lake_report}
    clear_outbox(water_app)
    response = admin_edit(admin, f"/admin/water_areas/edit/?id={world.east_area}",
                          {"name": "城东新区", "parent": "", "crew_team": str(world.east_team)})
    assert response.status_code == 302
    assert queued(water_app) == {lake_report}  # its account lies in 东湖社区, inside the renamed area
    clear_outbox(water_app)
    refused = admin_edit(admin, f"/admin/water_areas/edit/?id={world.west_area}",
                         {"name": "城西片区", "parent": str(world.west_area), "crew_team": str(world.west_team)})
    assert "片区不能归属于它自己或它的下级片区" in refused.get_data(as_text=True)
    with water_app.app_context():
        assert db.session.get(Area, world.west_area).parent_id is None
    assert queued(water_app) == set()
    admin_edit(admin, f"/admin/water_areas/edit/?id={world.west_area}",
               {"name": "城西新区", "parent": "", "crew_team": str(world.west_team)})
    assert queued(water_app) == {west_report}  # it names the area itself


def upload(client, url, text, encoding="utf-8-sig", **fields):
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(text.encode(encoding)), "用户.csv"), **fields},
                       content_type="multipart/form-data")


ACCOUNTS = ("用户编号,户主,联系电话,地址,片区,状态,开户日期\n"
            "10030001,周建军,13900001111,东湖路99号,东湖社区,正常,2019-03-01\n"
            "10010002,李秀英,13800000002,解放东路8号2单元,城东片区,,\n")


def test_accounts_import_from_excels_chinese_file_creating_and_updating(world, water_app, signed_in):
    admin = signed_in("root@water.cn")
    response = upload(admin, "/admin/water_account_import/", ACCOUNTS, encoding="gb18030")
    assert response.status_code == 200 and "已导入 2 行" in response.get_data(as_text=True)
    with water_app.app_context():
        new = db.session.scalar(select(Account).where(Account.number == "10030001"))
        assert (new.holder.name, new.holder.phone, new.area.name, str(new.opened_on)) == \
            ("周建军", "13900001111", "东湖社区", "2019-03-01")
        updated = db.session.scalar(select(Account).where(Account.number == "10010002"))
        assert updated.address == "解放东路8号2单元" and updated.customer_id == world.holders[1]  # the same holder
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "csv.import")) == "csv.import"


def test_every_bad_account_row_is_listed_and_nothing_is_imported(world, water_app, signed_in):
    bad = ("用户编号,户主,联系电话,地址,片区,状态,开户日期\n"
           "10030001,周建军,13900001111,东湖路99号,东湖社区,正常,2019-03-01\n"
           "10030002,吴芳,12345,西苑路1号,城西片区,,\n"
           "10030003,郑强,,北环路2号,火星片区,,\n"
           "10030004,陈明,,南环路3号,城西片区,停用,2019/13/40\n")
    response = upload(signed_in("root@water.cn"), "/admin/water_account_import/", bad)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for words in ("联系电话", "没有名为 火星片区 的片区", "正常, 暂停供应, 已销户", "2026-05-31"):
        assert words in page, words
    with water_app.app_context():
        assert db.session.scalar(select(Account).where(Account.number.like("1003%"))) is None
        assert db.session.scalar(select(Customer).where(Customer.name == "周建军")) is None


def test_meters_import_with_their_readings(world, water_app, signed_in):
    meters = ("水表号,用户编号,最近读数,抄表日期\n"
              "2019010001,10010001,\"1,301.5\",2026-05-31\n"
              "2026030009,10010002,0,2026-06-01\n"
              "2026030010,99999999,5,2026-06-01\n")
    admin = signed_in("root@water.cn")
    response = upload(admin, "/admin/water_meter_import/", meters)
    assert response.status_code == 400, response.get_data(as_text=True)[-3000:]
    assert "没有用户编号为 99999999 的用户" in response.get_data(as_text=True), response.get_data(as_text=True)[-4000:]
    response = upload(admin, "/admin/water_meter_import/", meters, good_rows_only="y")
    assert response.status_code == 200
    with water_app.app_context():
        kept = db.session.scalar(select(Meter).where(Meter.number == "2019010001"))
        assert str(kept.last_reading) == "1301.50" and str(kept.last_read_on) == "2026-05-31"
        assert db.session.scalar(select(Meter).where(Meter.number == "2026030009")).account.number == "10010002"
        assert db.session.scalar(select(Meter).where(Meter.number == "2026030010")) is None


def test_the_imports_are_the_admins_only(world, signed_in):
    for email in ("engineering@water.cn", "counter@water.cn"):
        client = signed_in(email)
        assert client.get("/admin/water_account_import/").status_code == 403
        assert client.get("/admin/water_meter_import/").status_code == 403
