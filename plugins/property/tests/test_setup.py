"""The plugin as a site switches it on: its roles and types, its tables, its demo data; switched off, no trace in
the navigation, the admin panel or the API, and its data is kept."""
import random

from sqlalchemy import func, inspect, select, text

from core.auth.service import issue_token
from core.extensions import db
from core.models import Role, Ticket, TicketType, User
from core.tickets.service import create_ticket
from plugins.property.demo import add_demo_data
from plugins.property.models import Building, Estate, MonthlyFee, Room
from tests.helpers import create_user, login, schema_differences

TABLES = {"property_estate", "property_building", "property_unit", "property_room", "property_occupant",
          "property_patrol", "property_finding", "property_monthly_fee"}


def test_roles_carry_their_chinese_titles_on_the_core_levels(property_app):
    with property_app.app_context():
        roles = {role.key: role for role in db.session.scalars(select(Role).where(Role.plugin == "property"))}
        assert {key: (role.label_zh, role.level) for key, role in roles.items()} == {
            "property_director": ("管理处主任", "manager"), "property_butler": ("物业管家", "agent"),
            "property_front_desk": ("客服前台", "agent"), "property_technician": ("维修工", "agent"),
            "property_clerk": ("客服助理/文员", "agent")}
        permissions = {key: {p.key for p in role.permissions} for key, role in roles.items()}
    assert "property.repair_work" in permissions["property_technician"] - permissions["property_front_desk"]
    assert "property.dispatch" in permissions["property_butler"] - permissions["property_technician"]


def test_ticket_types_are_registered(property_app):
    with property_app.app_context():
        rows = {row.key: row for row in db.session.scalars(select(TicketType).where(TicketType.plugin == "property"))}
    assert {key: row.label_zh for key, row in rows.items()} == {
        "property_repair": "报修", "property_complaint": "投诉", "property_move_in": "入伙预约",
        "property_renovation": "装修申请", "property_paid_service": "有偿服务", "property_emergency": "突发事件",
        "property_patrol": "巡查记录"}
    assert rows["property_repair"].public and not rows["property_emergency"].public


def test_the_migration_builds_the_tables_the_models_describe(property_app):
    with property_app.app_context(), db.engine.connect() as connection:
        assert TABLES <= set(inspect(connection).get_table_names())
        assert schema_differences(property_app, connection) == []
        heads = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    assert "property_0001_tables" in heads


def test_the_demo_data_is_a_working_estate_office(property_app):
    with property_app.app_context():
        add_demo_data(db.session, random.Random(8))
        db.session.commit()
        assert db.session.scalar(select(Estate.name)) == "阳光花园"
        assert db.session.scalar(select(func.count(Room.id))) == 192
        assert db.session.scalar(select(func.count(Building.id)).where(Building.butler_id.is_(None))) == 0
        assert db.session.scalar(select(func.count(MonthlyFee.id))) == 3 * 192
        assert db.session.scalar(select(func.count(Ticket.id))) == 14
    client = property_app.test_client()
    login(client, "property-director@demo.kefu.local", "kefu-demo")
    assert "阳光花园" in client.get("/property/estates").get_data(as_text=True)
    assert "1栋2单元6楼楼道灯不亮" in client.get("/property/patrols/1").get_data(as_text=True)


def test_switched_off_there_is_no_trace_and_the_data_is_kept(world, property_app, make_app):
    admin_id = create_user(property_app, "root@wuye.cn", "admin", name="管理员")
    with property_app.app_context():
        ticket_id = create_ticket(type_key="property_repair", title="卫生间漏水", fields={
            "estate": str(world.estate), "building": str(world.three), "place": "home"}).id
        _row, token = issue_token(db.session.get(User, admin_id), "tests")
        db.session.commit()

    off = make_app(PLUGINS=[])
    admin = off.test_client()
    login(admin, "root@wuye.cn")
    desk = admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "卫生间漏水" not in desk and "巡查" not in desk and "我的维修单" not in desk
    assert admin.get(f"/desk/tickets/{ticket_id}").status_code == 404
    for url in ("/property/estates", "/property/patrols", "/property/jobs", "/admin/property_estates/",
                "/admin/property_estate_import/"):
        assert admin.get(url).status_code == 404, url
    assert "property_" not in admin.get("/admin/").get_data(as_text=True)
    types = off.test_client().get("/api/v1/ticket-types", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert not [item for item in types if item["key"].startswith("property_")]
    registry = off.extensions["kefu"].registry
    assert "estate" not in registry.search_fields and not [k for k in registry.kpis if k.startswith("property.")]
    with off.app_context():
        assert db.session.scalar(select(func.count(Room.id))) == 3

    back = make_app(PLUGINS=["property"], FOLLOW_UP_SAMPLE_PERCENT=100)
    admin = back.test_client()
    login(admin, "root@wuye.cn")
    assert "卫生间漏水" in admin.get("/desk/?queue=all").get_data(as_text=True)
    assert "阳光花园 3栋" in admin.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)


def test_switching_it_on_for_a_site_with_data_adds_its_tables_and_changes_nothing_else(make_app):
    plain = make_app()
    create_user(plain, "agent@wuye.cn", "agent")
    with plain.app_context():
        ticket_id = create_ticket(type_key="fault", title="路灯不亮", body="小区门口的路灯坏了").id
        db.session.commit()
        before = {name: db.session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
                  for name in ("ticket", "ticket_event", "user", "customer", "team")}
        assert not TABLES & set(inspect(db.engine).get_table_names())
    on = make_app(PLUGINS=["property"])
    with on.app_context():
        assert TABLES <= set(inspect(db.engine).get_table_names())
        after = {name: db.session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all() for name in before}
        assert after == before
        assert db.session.get(Ticket, ticket_id).title == "路灯不亮"


def test_beside_the_water_plugin_both_work(world, make_app):
    app = make_app(PLUGINS=["property", "water"])
    registry = app.extensions["kefu"].registry
    assert {"property_butler", "water_hotline"} <= set(registry.roles)
    with app.app_context():
        repair = create_ticket(type_key="property_repair", title="漏水", fields={
            "estate": str(world.estate), "building": str(world.three), "place": "home"})
        water = create_ticket(type_key="water_repair", title="爆管", fields={"fault": "leak"})
        db.session.commit()
        assert (repair.status, water.status) == ("reported", "new")
        assert registry.search_field_owner["estate"] == "property" and registry.search_field_owner["area"] == "water"
