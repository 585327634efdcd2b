"""The plugin as a site switches it on: its roles and types, its tables, and no trace when it is off."""
from sqlalchemy import inspect, select, text

from core.extensions import db
from core.models import Role, Ticket, TicketType
from core.tickets.service import create_ticket
from tests.helpers import create_user, schema_differences

WATER_TABLES = {"water_settings", "water_area", "water_account", "water_meter", "water_outage", "water_outage_area",
                "water_outage_notice", "water_outage_report"}


def test_roles_carry_their_chinese_titles_on_the_core_levels(water_app):
    with water_app.app_context():
        roles = {role.key: role for role in db.session.scalars(select(Role).where(Role.plugin == "water"))}
        titles = {key: (role.label_zh, role.level) for key, role in roles.items()}
        assert titles == {
            "water_hotline": ("热线坐席", "agent"), "water_counter": ("营业厅", "agent"),
            "water_crew": ("抢修班组", "agent"), "water_crew_leader": ("抢修班组长", "agent"),
            "water_engineering": ("客服工程管理部", "supervisor"), "water_quality": ("水质专员", "agent")}
        permissions = {key: {p.key for p in role.permissions} for key, role in roles.items()}
    assert "water.crew_accept" in permissions["water_crew_leader"] - permissions["water_crew"]
    assert {"water.approve", "water.outage_plan", "ticket.assign"} <= permissions["water_engineering"]
    assert "water.approve" not in permissions["water_counter"] and "ticket.reply" in permissions["water_counter"]


def test_ticket_types_are_registered_with_the_business_categories(water_app):
    with water_app.app_context():
        rows = {row.key: row for row in db.session.scalars(select(TicketType).where(TicketType.plugin == "water"))}
    assert {key: row.label_zh for key, row in rows.items()} == {
        "water_repair": "报修", "water_billing": "账单/抄表", "water_complaint": "投诉", "water_quality": "水质",
        "water_connection": "用水申请", "water_transfer": "过户", "water_closure": "销户", "water_reminder": "催缴水费"}
    assert not rows["water_reminder"].public and rows["water_repair"].public
    types = water_app.extensions["kefu"].registry.ticket_types
    assert types["water_transfer"].category == "service_request" and types["water_repair"].category == "repair"


def test_the_migrations_build_the_tables_the_models_describe(water_app):
    with water_app.app_context(), db.engine.connect() as connection:
        assert WATER_TABLES <= set(inspect(connection).get_table_names())
        assert schema_differences(water_app, connection) == []
        heads = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    assert "water_0001" in heads


def test_switching_it_on_for_a_site_with_data_adds_its_tables_and_changes_nothing_else(make_app):
    plain = make_app()
    create_user(plain, "agent@water.cn", "agent")
    with plain.app_context():
        ticket_id = create_ticket(type_key="fault", title="路灯不亮", body="小区门口的路灯坏了").id
        db.session.commit()
        before = {name: db.session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
                  for name in ("ticket", "ticket_event", "user", "customer", "team")}
        assert not WATER_TABLES & set(inspect(db.engine).get_table_names())
    on = make_app(PLUGINS=["water"])
    with on.app_context():
        assert WATER_TABLES <= set(inspect(db.engine).get_table_names())
        after = {name: db.session.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all() for name in before}
        assert after == before
        assert db.session.get(Ticket, ticket_id).title == "路灯不亮"
