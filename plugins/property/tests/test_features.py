"""Emergencies with their plan, patrols whose findings become repairs, the location's checks, the search fields,
the CSV imports and the KPIs, through the HTTP routes."""
import io

from sqlalchemy import func, select

from core.extensions import db
from core.models import Customer, Notification, Ticket, TicketEvent
from core.reports.kpis import Period, Scope, site_timezone
from core.tickets.service import create_ticket
from plugins.property.models import Building, Finding, MonthlyFee, Occupant, Room
from plugins.property.tests.conftest import location
from tests.helpers import csrf_token, post_form


def new_ticket(client, type_key, title, values):
    response = post_form(client, "/desk/tickets/new", {"channel": "phone", "type": type_key, "title": title,
                                                      "body": title, **values}, form_url="/desk/tickets/new")
    return response


def test_an_emergency_alerts_the_director_and_the_butler_and_its_plan_steps_are_timestamped(world, property_app,
                                                                                           signed_in):
    desk = signed_in("desk@wuye.cn")
    response = new_ticket(desk, "property_emergency", "3栋2单元电梯困人", {
        "f_property_emergency_kind": "elevator", "f_property_emergency_estate": str(world.estate),
        "f_property_emergency_building": str(world.three)})
    assert response.status_code == 302, response.get_data(as_text=True)
    ticket_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with property_app.app_context():
        told = set(db.session.scalars(select(Notification.user_id).where(Notification.ticket_id == ticket_id)))
        assert {world.director, world.butler} <= told and world.butler2 not in told
    butler = signed_in("butler@wuye.cn")
    assert "报告突发事件：困梯，请立即处理" in butler.get("/desk/notifications").get_data(as_text=True)
    page = butler.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "通过对讲安抚被困人员" in page and "通知电梯维保单位到场" in page  # the plan of a trapped lift
    url = f"/property/tickets/{ticket_id}/plan/comfort"
    assert butler.post(url).status_code == 400  # no CSRF token: refused
    assert post_form(butler, url, {}, form_url=f"/desk/tickets/{ticket_id}").status_code == 302
    assert post_form(butler, url, {}, form_url=f"/desk/tickets/{ticket_id}").status_code == 302  # ticked once
    assert post_form(butler, f"/property/tickets/{ticket_id}/plan/nonsense", {},
                     form_url=f"/desk/tickets/{ticket_id}").status_code == 404
    with property_app.app_context():
        steps = db.session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id,
                                                             TicketEvent.kind == "property_plan_step")).all()
        assert [(event.data["step"], event.actor_id) for event in steps] == [("comfort", world.butler)]
        assert steps[0].created_at is not None
    page = butler.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "应急预案：已完成“通过对讲安抚被困人员”" in page  # on the timeline
    tech = signed_in("tech@wuye.cn")
    assert post_form(tech, "/property/tickets/%d/plan/locate" % ticket_id, {}, form_url="/property/jobs").status_code == 403


def test_a_patrol_finding_becomes_a_repair_in_one_click(world, property_app, signed_in):
    butler = signed_in("butler@wuye.cn")
    bad = post_form(butler, "/property/patrols", {"building": str(world.three), "shift": "noon"})
    assert bad.status_code == 400 and "上午或下午" in bad.get_data(as_text=True)
    created = post_form(butler, "/property/patrols", {"building": str(world.three), "shift": "morning",
                                                      "diary": "消防通道畅通，电梯运行正常"})
    assert created.status_code == 302
    patrol_url = created.headers["Location"]
    assert post_form(butler, f"{patrol_url}/findings", {"description": ""}, form_url=patrol_url).status_code == 400
    assert post_form(butler, f"{patrol_url}/findings", {"description": "3栋2单元6楼楼道灯不亮"},
                     form_url=patrol_url).status_code == 302
    with property_app.app_context():
        finding = db.session.scalar(select(Finding))
        finding_id = finding.id
    assert signed_in("tech@wuye.cn").get(patrol_url).status_code == 403  # patrols are the butlers'
    made = post_form(butler, f"/property/findings/{finding_id}/repair", {}, form_url=patrol_url)
    assert made.status_code == 302
    again = post_form(butler, f"/property/findings/{finding_id}/repair", {}, form_url=patrol_url)
    assert again.headers["Location"] == made.headers["Location"]  # one repair per finding
    with property_app.app_context():
        finding = db.session.get(Finding, finding_id)
        ticket = finding.ticket
        assert (ticket.type.key, ticket.title, ticket.status) == ("property_repair", "3栋2单元6楼楼道灯不亮", "reported")
        assert ticket.fields["building"] == str(world.three) and ticket.fields["place"] == "public"
        assert db.session.scalar(select(func.count(Ticket.id))) == 1
    assert "3栋2单元6楼楼道灯不亮" in butler.get(patrol_url).get_data(as_text=True)


def test_a_room_outside_the_chosen_unit_is_refused_and_nothing_is_written(world, property_app, signed_in):
    desk = signed_in("desk@wuye.cn")
    values = {**location(world), "f_property_repair_room": str(world.other_room)}
    response = new_ticket(desk, "property_repair", "漏水", values)
    assert response.status_code == 400
    with property_app.app_context():
        assert db.session.scalar(select(func.count(Ticket.id))) == 0


def test_the_technician_page_shows_only_their_own_jobs(world, property_app, signed_in):
    with property_app.app_context():
        from core.models import User
        mine = create_ticket(type_key="property_repair", title="厨房下水道堵塞",
                             fields={"estate": str(world.estate), "building": str(world.three), "place": "home"},
                             assignee=db.session.get(User, world.tech))
        theirs = create_ticket(type_key="property_repair", title="门锁损坏",
                               fields={"estate": str(world.estate), "building": str(world.five), "place": "home"},
                               assignee=db.session.get(User, world.busy_tech))
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
    tech = signed_in("tech@wuye.cn")
    page = tech.get("/property/jobs").get_data(as_text=True)
    assert "厨房下水道堵塞" in page and "门锁损坏" not in page
    assert "<strong data-status>待受理</strong>" in page  # the state's label, not its key
    assert post_form(tech, f"/property/jobs/{theirs_id}/accept", {}, form_url="/property/jobs").status_code == 404
    assert post_form(tech, f"/property/jobs/{mine_id}/accept", {}, form_url="/property/jobs").status_code == 409
    assert signed_in("zhang@example.cn").get("/property/jobs").status_code == 403


def test_search_fields_are_the_estate_building_and_room(world, property_app):
    with property_app.app_context():
        ticket = create_ticket(type_key="property_repair", title="漏水", fields={
            "estate": str(world.estate), "building": str(world.three), "unit": str(world.unit),
            "room": str(world.room), "place": "home"})
        fields = property_app.extensions["kefu"].registry.search_fields
        assert fields["estate"].extract(ticket) == "阳光花园"
        assert fields["building"].extract(ticket) == "3栋"
        assert fields["room"].extract(ticket) == ["1201", "2单元1201"]


def upload(client, url, text):
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(text.encode("gb18030")), "小区.csv")},
                       content_type="multipart/form-data")


ESTATE_CSV = ("小区,楼栋,单元,房号,面积,业主/住户姓名,联系电话,身份,物业管家邮箱\n"
              "碧水湾,1栋,1单元,0101,89.5,林晓,13700000001,业主,butler2@wuye.cn\n"
              "碧水湾,1栋,1单元,0102,96,林晓,13700000001,业主,\n"
              "碧水湾,1栋,1单元,0102,,林小雨,13700000002,住户,\n")


def test_the_estate_structure_imports_from_a_chinese_csv(world, property_app, signed_in, make_app):
    from tests.helpers import create_user
    create_user(property_app, "root@wuye.cn", "admin", name="管理员")
    admin = signed_in("root@wuye.cn")
    response = upload(admin, "/admin/property_estate_import/", ESTATE_CSV)
    assert response.status_code == 200 and "已导入 3 行" in response.get_data(as_text=True)
    with property_app.app_context():
        building = db.session.scalar(select(Building).where(Building.name == "1栋"))
        assert building.estate.name == "碧水湾" and building.butler_id == world.butler2
        owner = db.session.scalar(select(Customer).where(Customer.name == "林晓"))
        rooms = db.session.scalars(select(Room.number).join(Occupant).where(Occupant.customer_id == owner.id)
                                   .order_by(Room.number)).all()
        assert rooms == ["0101", "0102"]  # one owner, two rooms
        room = db.session.scalar(select(Room).where(Room.number == "0102"))
        assert sorted(o.relation for o in room.occupants) == ["owner", "resident"]  # a room, two people
    bad = upload(admin, "/admin/property_estate_import/", "小区,楼栋,单元,房号,身份,物业管家邮箱\n"
                 "海景园,1栋,1单元,0101,租客,\n海景园,2栋,1单元,0101,业主,nobody@wuye.cn\n")
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "业主 or 住户" in page or "业主或住户" in page
    with property_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Building).where(Building.name == "2栋")) == 0
    assert signed_in("desk@wuye.cn").get("/admin/property_estate_import/").status_code == 403


def test_the_fee_collection_rate_comes_from_the_imported_monthly_figures(world, property_app, signed_in):
    from tests.helpers import create_user
    create_user(property_app, "root@wuye.cn", "admin", name="管理员")
    admin = signed_in("root@wuye.cn")
    fees = ("小区,楼栋,单元,房号,月份,应收管理费,实收管理费\n"
            "阳光花园,3栋,2单元,1201,2026-05,300,300\n"
            "阳光花园,3栋,2单元,1202,2026-05,300,270\n"
            "阳光花园,5栋,1单元,0101,2026-5,400,400\n")
    response = upload(admin, "/admin/property_fee_import/", fees)
    assert response.status_code == 200, response.get_data(as_text=True)
    bad = upload(admin, "/admin/property_fee_import/", "小区,楼栋,单元,房号,月份,应收管理费,实收管理费\n"
                 "阳光花园,3栋,2单元,9999,2026-05,300,300\n")
    assert bad.status_code == 400
    with property_app.app_context():
        assert db.session.scalar(select(func.count(MonthlyFee.id))) == 3
        kpis = property_app.extensions["kefu"].registry.kpis
        may = Period.month(2026, 5)
        rate = kpis["property.fee_collection_rate"].compute(may, Scope())
        assert rate.value == 970 * 100 / 1000
        assert kpis["property.fee_collection_rate"].target.met(rate.value) is True
        assert kpis["property.fee_collection_rate"].compute(Period.month(2026, 4), Scope()).value is None
        assert kpis["property.fee_collection_rate"].compute(may, Scope(agent_id=world.butler)).value is None


def test_complaint_kpis_have_their_targets(world, property_app):
    with property_app.app_context():
        registry = property_app.extensions["kefu"].registry
        targets = {key: str(spec.target) for key, spec in registry.kpis.items() if key.startswith("property.")
                   and spec.target is not None}
        assert targets == {"property.complaint_handling_rate": ">= 100", "property.complaint_24h": ">= 100",
                           "property.complaint_follow_up_rate": ">= 50",
                           "property.paid_service_satisfaction": ">= 98",
                           "property.valid_complaints_per_household": "< 2", "property.fee_collection_rate": ">= 95"}
        complaint = create_ticket(type_key="property_complaint", title="噪音", fields={"subject": "noise",
                                                                                    "valid": True})
        create_ticket(type_key="property_complaint", title="卫生", fields={"subject": "cleaning"})
        db.session.commit()
        today = complaint.created_at.astimezone(site_timezone()).date()
        period = Period.days(today, today)
        handled = registry.kpis["property.complaint_handling_rate"].compute(period, Scope())
        assert (handled.numerator, handled.denominator) == (0, 2)
        per_household = registry.kpis["property.valid_complaints_per_household"].compute(period, Scope())
        assert (per_household.numerator, per_household.denominator) == (1, 3)  # three rooms


def test_a_merged_customer_brings_their_rooms_along(world, property_app, signed_in):
    from tests.helpers import create_user
    create_user(property_app, "boss@wuye.cn", "manager", name="经理")
    with property_app.app_context():
        twin = Customer(name="张伟", phone="13900001299")
        db.session.add(twin)
        db.session.flush()
        db.session.add_all([Occupant(room_id=world.neighbour, customer_id=twin.id, relation="owner"),
                            Occupant(room_id=world.room, customer_id=twin.id, relation="owner")])
        db.session.commit()
        twin_id = twin.id
    boss = signed_in("boss@wuye.cn")
    page = f"/desk/customers/{world.resident}"
    response = post_form(boss, f"{page}/merge", {"other": str(twin_id), "reason": "同一业主重复建档"}, form_url=page)
    assert response.status_code == 302, response.get_data(as_text=True)
    with property_app.app_context():
        links = db.session.execute(select(Occupant.room_id, Occupant.customer_id).order_by(Occupant.room_id)).all()
        assert [tuple(link) for link in links if link.room_id in (world.room, world.neighbour)] == [
            (world.room, world.resident), (world.neighbour, world.resident)]


def test_paid_service_satisfaction_and_complaint_follow_up_rates(world, property_app):
    from core.followups.service import complete_follow_up
    from core.followups.surveys import create_survey, submit_survey
    from core.models import FollowUp, User, utcnow
    from core.workflow.engine import transition

    with property_app.app_context():
        customer = db.session.get(Customer, world.resident)
        now = utcnow()
        for scores in ({"quality": 5, "attitude": 5, "speed": 5}, {"quality": 5, "attitude": 3, "speed": 4}):
            ticket = create_ticket(type_key="property_paid_service", title="清洗油烟机", customer=customer, fields={
                "estate": str(world.estate), "building": str(world.three), "place": "home", "price": "120"})
            submit_survey(create_survey(ticket, now), scores=scores, channel="portal", now=now)
        desk = db.session.get(User, world.desk)
        complaints = [create_ticket(type_key="property_complaint", title=title, customer=customer,
                                    fields={"subject": "cleaning"}) for title in ("垃圾未清运", "楼道脏乱")]
        for complaint in complaints:
            transition(complaint, "triage", actor=desk)
            transition(complaint, "assign", actor=desk, assignee=desk)
            transition(complaint, "start", actor=desk)
            transition(complaint, "resolve", actor=desk, comment="已安排保洁处理")
        follow_up = db.session.scalar(select(FollowUp).where(FollowUp.ticket_id == complaints[0].id))
        complete_follow_up(follow_up, actor=desk, method="phone", outcome="业主满意", now=now)
        db.session.commit()
        today = now.astimezone(site_timezone()).date()
        period, kpis = Period.days(today, today), property_app.extensions["kefu"].registry.kpis
        happy = kpis["property.paid_service_satisfaction"].compute(period, Scope())
        assert (happy.numerator, happy.denominator, happy.value) == (1, 2, 50)
        followed = kpis["property.complaint_follow_up_rate"].compute(period, Scope())
        assert (followed.numerator, followed.denominator) == (1, 2)
        assert kpis["property.complaint_handling_rate"].compute(period, Scope()).value == 100
        assert kpis["property.complaint_24h"].compute(period, Scope()).value == 100
