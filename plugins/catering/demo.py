"""Demo data of a Cantonese restaurant's floor: the service centre from the 总监 to the runners, three floor
areas (大厅, 二楼, 包间区) with 44 tables and rooms, 30 guest profiles (some VIP, some with allergies), two weeks
of dinner orders whose dishes were served on time or chased, returned dishes with their reasons, floor
complaints and service requests, and tonight's reservations."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.demo.data import add_demo_staff
from core.models import Customer, utcnow
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from plugins.catering.models import DiningTable, Dish, FloorArea, Guest, Order, Reservation

BEIJING = ZoneInfo("Asia/Shanghai")

STAFF = (  # e-mail local part, name, role
    ("cy-director", "周国华", "catering_director"),
    ("cy-marketing", "许文静", "catering_marketing"),
    ("cy-admin", "吴建平", "catering_administration"),
    ("cy-manager", "郑志强", "catering_manager"),
    ("cy-floor-lead", "林美玲", "catering_floor_lead"),
    ("cy-runner-lead", "陈永康", "catering_runner_lead"),
    ("cy-host-lead", "黄晓琳", "catering_host_lead"),
    ("cy-bar-lead", "梁伟", "catering_bar_lead"),
    ("cy-waiter1", "李婷", "catering_waiter"),
    ("cy-waiter2", "何丽娜", "catering_waiter"),
    ("cy-runner1", "张小军", "catering_runner"),
    ("cy-runner2", "刘海", "catering_runner"),
    ("cy-host", "王芳", "catering_host"),
    ("cy-bartender", "赵磊", "catering_bartender"),
)
ROOMS = ("牡丹厅", "芙蓉厅", "兰花厅", "荷花厅", "海棠厅", "桂花厅", "梅花厅", "菊花厅")
DISHES = ("白切鸡", "烧鹅", "清蒸鲈鱼", "蒜蓉粉丝蒸扇贝", "上汤菜心", "宫保虾球", "咕噜肉", "豉汁排骨", "干炒牛河",
          "扬州炒饭", "老火靓汤", "椒盐濑尿虾", "蜜汁叉烧", "脆皮乳鸽", "白灼菜心", "XO酱炒带子", "鲍汁扣花菇", "杨枝甘露")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
PREFERENCES = ("喜欢靠窗", "少辣", "少盐", "不要香菜", "爱喝普洱", "常点清蒸鱼", "需要儿童椅", "喜欢安静的包间")
ALLERGIES = ("花生", "海鲜", "芒果", "乳制品")
RETURNS = (("taste", "太咸了"), ("temperature", "菜凉了"), ("foreign_object", "吃到头发"), ("portion", "分量太少"),
           ("wrong_dish", "上错了菜"), ("taste", "太甜了"))
COMPLAINTS = (("waiting", "等位太久，客人不满"), ("service", "服务员态度冷淡"), ("environment", "桌面不干净"),
              ("bill", "账单多算了一道菜"))
NEEDS = (("cutlery", "加一套餐具"), ("bill", "买单"), ("taxi", "帮忙叫车"), ("other", "要一张儿童椅"))


def _tables(session):
    hall, upstairs, rooms = (FloorArea(name="大厅", sort_order=1), FloorArea(name="二楼", sort_order=2),
                             FloorArea(name="包间区", sort_order=3))
    tables = [DiningTable(area=hall, name=f"{n}号台", seats=4 if n % 3 else 8, sort_order=n) for n in range(1, 21)]
    tables += [DiningTable(area=upstairs, name=f"{n}号台", seats=6, sort_order=n) for n in range(21, 37)]
    tables += [DiningTable(area=rooms, name=name, kind="room", seats=12 if n < 4 else 16, sort_order=n)
               for n, name in enumerate(ROOMS)]
    session.add_all([hall, upstairs, rooms, *tables])
    return tables


def _guests(session, rng):
    guests = []
    for n in range(30):
        surname = SURNAMES[n % len(SURNAMES)]
        title = "先生" if n % 2 else "女士"
        customer = Customer(name=f"{surname}{title}", phone=f"139{rng.randrange(10**8):08d}", grade="key" if n < 6 else "ordinary")
        guest = Guest(customer=customer, surname=surname, vip=n < 6, visits=rng.randint(0, 12),
                      preferences="；".join(rng.sample(PREFERENCES, rng.randint(0, 2))) or None,
                      allergies=rng.choice(ALLERGIES) if n % 5 == 0 else None)
        guests.append(guest)
    session.add_all(guests)
    return guests


def _dinner(rng, day, minute):
    return datetime.combine(day, time(17, 30), BEIJING) + timedelta(minutes=minute)


def _orders(session, rng, tables, guests, users):
    today = utcnow().astimezone(BEIJING).date()
    runners = [users["cy-runner1"], users["cy-runner2"]]
    waiters = [users["cy-waiter1"], users["cy-waiter2"]]
    number = 0
    for back in range(14, 0, -1):
        day = today - timedelta(days=back)
        for table in rng.sample(tables, 12):
            number += 1
            ordered = _dinner(rng, day, rng.randint(0, 150))
            order = Order(number=f"D{day:%m%d}-{number:04d}", table=table, covers=rng.randint(2, table.seats),
                          ordered_at=ordered)
            session.add(order)
            for name in rng.sample(DISHES, rng.randint(3, 6)):
                dish = Dish(order=order, name=name, ordered_at=ordered)
                delay = rng.choice((6, 8, 10, 12, 13, 14, 17, 22))
                session.add(dish)
                session.flush()
                if delay > 15:  # late: the chase the job would have raised, finished when the dish came
                    chased_at = ordered + timedelta(minutes=15)
                    chase = create_ticket(type_key="catering_chase", title=f"{table.name} 催菜：{name}",
                                          channel="system", now=chased_at,
                                          fields={"table": str(table.id), "dish": name, "order_number": order.number})
                    dish.chased_at, dish.chase_ticket_id = chased_at, chase.id
                    transition(chase, "finish", actor=rng.choice(runners), comment="已上菜",
                               now=ordered + timedelta(minutes=delay))
                dish.served_at = ordered + timedelta(minutes=delay)
            if rng.random() < 0.2:
                reason, note = rng.choice(RETURNS)
                dish = order.dishes[0]
                when = dish.served_at + timedelta(minutes=5)
                ticket = create_ticket(type_key="catering_return", title=f"{table.name} 退菜：{dish.name}", body=note,
                                       actor=rng.choice(waiters), channel="walk_in", now=when,
                                       fields={"table": str(table.id), "dish": dish.name,
                                               "order_number": order.number, "reason": reason})
                transition(ticket, "remake", actor=rng.choice(runners), now=when + timedelta(minutes=1))
                transition(ticket, "reserve", actor=rng.choice(runners), now=when + timedelta(minutes=12))
            if rng.random() < 0.08:
                subject, title = rng.choice(COMPLAINTS)
                when = ordered + timedelta(minutes=40)
                ticket = create_ticket(type_key="catering_complaint", title=f"{table.name} {title}",
                                       actor=rng.choice(waiters), channel="walk_in", now=when,
                                       fields={"table": str(table.id), "subject": subject})
                transition(ticket, "finish", actor=users["cy-manager"], comment="襄理到场致歉，赠送果盘，客人表示满意。",
                           now=when + timedelta(minutes=8))
            if rng.random() < 0.3:
                need, title = rng.choice(NEEDS)
                when = ordered + timedelta(minutes=rng.randint(20, 80))
                ticket = create_ticket(type_key="catering_service", title=f"{table.name} {title}",
                                       actor=rng.choice(waiters), channel="walk_in", now=when,
                                       fields={"table": str(table.id), "need": need})
                transition(ticket, "finish", actor=rng.choice(waiters), now=when + timedelta(minutes=3))
    for n, guest in enumerate(rng.sample(guests, 6)):
        table = tables[n * 5]
        session.add(Reservation(guest=guest, name=guest.customer.name, phone=guest.customer.phone,
                                party_size=rng.randint(2, table.seats), table=table, created_by_id=users["cy-host"].id,
                                reserved_for=_dinner(rng, today, 30 + n * 15),
                                special_requests=f"不要{guest.allergies}" if guest.allergies else None))


def add_demo_data(session, rng):
    users, _teams = add_demo_staff(session, STAFF)
    tables = _tables(session)
    guests = _guests(session, rng)
    session.flush()
    _orders(session, rng, tables, guests, users)
    session.flush()
