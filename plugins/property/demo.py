"""Demo data of a residential estate office: 阳光花园 with four buildings, each looked after by a butler, 192
rooms with their owners, three months of management fees, the director, the front desk, technicians and a
clerk, a morning patrol with a finding, and repairs and complaints moved along their workflows."""
from datetime import date, timedelta
from decimal import Decimal

from core.demo.data import add_demo_staff
from core.models import Customer
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from plugins.property.location import location_fields
from plugins.property.models import Building, Estate, Finding, MonthlyFee, Occupant, Patrol, Room, Unit

STAFF = (  # e-mail local part, name, role
    ("director", "陈国强", "property_director"),
    ("butler1", "刘芳", "property_butler"),
    ("butler2", "黄志明", "property_butler"),
    ("frontdesk", "周婷", "property_front_desk"),
    ("tech1", "王师傅", "property_technician"),
    ("tech2", "李师傅", "property_technician"),
    ("clerk", "赵静", "property_clerk"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平")
REPAIRS = ("卫生间漏水", "厨房下水道堵塞", "客厅灯不亮", "门锁损坏", "阳台推拉门卡住", "热水器漏水", "插座没电")


def _estate(session, rng, users):
    estate = Estate(name="阳光花园", address="深圳市南山区阳光路88号")
    session.add(estate)
    rooms = []
    for number in range(1, 5):
        building = Building(estate=estate, name=f"{number}栋", butler=users["butler1" if number <= 2 else "butler2"])
        for unit_number in (1, 2):
            unit = Unit(building=building, name=f"{unit_number}单元")
            for floor in range(1, 13):
                for door in (1, 2):
                    room = Room(unit=unit, number=f"{floor}{door:02d}", area_m2=Decimal(rng.choice((89, 96, 118, 136))))
                    owner = Customer(name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                                     phone=f"139{rng.randrange(10**8):08d}", kind="person")
                    room.occupants.append(Occupant(customer=owner, relation="owner"))
                    rooms.append(room)
        session.add(building)
    session.flush()
    return estate, rooms


def _fees(session, rng, rooms):
    first = date.today().replace(day=1)
    for _back in range(3):  # the last three whole months
        first = (first - timedelta(days=1)).replace(day=1)
        month = first.strftime("%Y-%m")
        for room in rooms:
            due = (room.area_m2 * Decimal("2.80")).quantize(Decimal("0.01"))
            session.add(MonthlyFee(room=room, month=month, amount_due=due,
                                   amount_paid=due if rng.random() < 0.96 else Decimal("0")))


def _tickets(session, rng, users, rooms):
    for _n in range(12):
        room = rng.choice(rooms)
        owner = room.occupants[0].customer
        ticket = create_ticket(type_key="property_repair", title=rng.choice(REPAIRS), body="业主来电报修", customer=owner,
                               actor=users["frontdesk"], channel=rng.choice(("phone", "portal", "walk_in")),
                               fields={**location_fields(room=room), "place": "home"})
        steps = rng.randrange(6)
        if steps >= 1:
            transition(ticket, "triage", actor=users["frontdesk"])
        if steps >= 2:
            transition(ticket, "dispatch", actor=room.building.butler, assignee=users[rng.choice(("tech1", "tech2"))])
        if steps >= 3:
            transition(ticket, "accept", actor=ticket.assignee)
        if steps >= 4:
            transition(ticket, "arrive", actor=ticket.assignee)
        if steps >= 5:
            transition(ticket, "complete", actor=ticket.assignee, fields={"work_done": "已更换配件，测试正常"})
            ticket.fields = {**ticket.fields, "materials": "角阀1个"}
    for title in ("夜间装修噪音扰民", "小区垃圾清运不及时"):
        room = rng.choice(rooms)
        create_ticket(type_key="property_complaint", title=title, body="业主投诉", customer=room.occupants[0].customer,
                      actor=users["frontdesk"], channel="phone",
                      fields={**location_fields(room=room), "subject": "noise" if "噪音" in title else "cleaning"})


def add_demo_data(session, rng):
    users, _teams = add_demo_staff(session, STAFF, email_prefix="property-")
    _estate_row, rooms = _estate(session, rng, users)
    _fees(session, rng, rooms)
    building = rooms[0].building
    patrol = Patrol(butler=building.butler, building=building, shift="morning",
                    diary="巡查1栋、2栋公共区域，消防通道畅通，电梯运行正常。")
    patrol.findings.append(Finding(description="1栋2单元6楼楼道灯不亮"))
    session.add(patrol)
    session.flush()
    _tickets(session, rng, users, rooms)
