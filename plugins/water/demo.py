"""Demo data of a city water company: service areas with their repair crews, the hotline, the counter and the
service-engineering department, 280 accounts with meters (120 of them in 城东片区), a planned outage for
tomorrow in 城南片区, and tickets of every type moved along their workflows."""
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.demo.corpus import Corpus
from core.demo.data import add_demo_staff, demo_email
from core.followups.service import complete_follow_up, pending_follow_up
from core.models import Customer, User, utcnow
from core.tickets.service import create_ticket, update_ticket
from core.workflow.engine import transition
from plugins.water.areas import crew_for
from plugins.water.models import Account, Area, Meter, Outage, WaterSettings

HOTLINE = "96116"
BEIJING = ZoneInfo("Asia/Shanghai")

STAFF = (  # e-mail local part, name, role
    ("engineering", "钱卫东", "water_engineering"),
    ("hotline1", "孙丽", "water_hotline"),
    ("hotline2", "吴敏", "water_hotline"),
    ("counter1", "郑红", "water_counter"),
    ("waterquality", "冯建华", "water_quality"),
    ("crew-east", "何志刚", "water_crew_leader"),
    ("crew-east1", "朱建国", "water_crew"),
    ("crew-east2", "马强", "water_crew"),
    ("crew-west", "胡德明", "water_crew_leader"),
    ("crew-west1", "郭亮", "water_crew"),
    ("crew-west2", "林涛", "water_crew"),
    ("crew-south", "高永生", "water_crew_leader"),
    ("crew-south1", "罗军", "water_crew"),
)
TEAMS = (  # name, leader, members
    ("热线中心", "engineering", ("hotline1", "hotline2")),
    ("营业厅", "engineering", ("counter1",)),
    ("城东抢修班组", "crew-east", ("crew-east1", "crew-east2")),
    ("城西抢修班组", "crew-west", ("crew-west1", "crew-west2")),
    ("城南抢修班组", "crew-south", ("crew-south1",)),
)
# name, parent, crew, accounts directly in it, roads
AREAS = (
    ("城东片区", None, "城东抢修班组", 20, ("解放东路", "东风路")),
    ("东湖社区", "城东片区", None, 60, ("东湖路", "湖滨路")),
    ("朝阳社区", "城东片区", None, 40, ("朝阳路", "向阳街")),
    ("城西片区", None, "城西抢修班组", 40, ("建设西路", "西环路")),
    ("西苑社区", "城西片区", None, 40, ("西苑路", "杏林街")),
    ("城南片区", None, "城南抢修班组", 50, ("南环路", "迎宾大道")),
    ("城北片区", None, "城南抢修班组", 30, ("北苑路", "北环路")),
)
ESTATES = ("锦绣花园", "幸福小区", "翠湖苑", "阳光城", "金色家园", "和平里", "滨江苑", "书香门第")

REPAIRS = {
    "leak": (("厨房水管漏水", "厨房水槽下面的水管一直在漏水，地上都是水，请尽快派人来修。"),
             ("水表前阀门漏水", "水表前面的阀门在滴水，关不紧，麻烦来看一下。"),
             ("楼道水管爆裂", "楼道里的水管爆了，水流到楼梯上了，请马上派人！")),
    "no_supply": (("家里突然停水", "今天下午家里突然没水了，也没收到停水通知，请问是什么原因？"),
                  ("整栋楼没有水", "我们整栋楼从早上开始就没有水，什么时候能恢复？")),
    "low_supply": (("高层水压低", "我家住十八楼，水压一直很低，热水器打不着火。"),
                   ("早晚高峰水压不足", "每天早晚用水高峰时水压特别小，洗澡都困难。")),
    "meter_fault": (("水表不走字", "家里一直在用水，但水表好像不走了，怕月底估抄。"),
                    ("水表玻璃破裂", "水表的表盖玻璃裂了，看不清读数，请来更换。")),
}
OTHER = (  # type, title, body, fields
    ("water_billing", "本月水费异常偏高", "这个月水费比平时高了两倍多，麻烦核对一下抄表读数。", {"topic": "bill"}),
    ("water_billing", "查询上月用水量", "想查一下上个月的用水量和账单金额。", {"topic": "reading"}),
    ("water_billing", "水费缴纳方式", "水费除了营业厅还能在哪里交？微信可以吗？", {"topic": "payment"}),
    ("water_complaint", "停水没有提前通知", "今天早上突然停水，事先一点通知都没有，家里老人孩子都没法用水。",
     {"subject": "outage_notice"}),
    ("water_complaint", "营业厅工作人员态度差", "在营业厅办业务时工作人员态度冷淡，问两句就不耐烦。",
     {"subject": "attitude"}),
    ("water_quality", "自来水发黄", "这两天打开水龙头，水有点发黄，放一会儿才清，能喝吗？", {"symptom": "discoloured"}),
    ("water_quality", "自来水有异味", "自来水有一股消毒水的味道，比平时重很多。", {"symptom": "odour"}),
)


def _address(rng, roads):
    return (f"{rng.choice(roads)}{rng.randint(1, 300)}号{rng.choice(ESTATES)}{rng.randint(1, 20)}栋"
            f"{rng.randint(1, 4)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室")


def _accounts(session, rng, corpus, teams):
    areas, accounts, number = {}, [], 10010000
    today = utcnow().date()
    for name, parent, crew, count, roads in AREAS:
        area = areas[name] = Area(name=name, parent=areas.get(parent), crew_team=teams.get(crew))
        session.add(area)
        for _ in range(count):
            number += 1
            holder_name = corpus.person_name()
            holder = Customer(name=holder_name, kind="person", phone=corpus.phone(),
                              email=corpus.email(holder_name) if rng.random() < 0.35 else None)
            address = _address(rng, roads)
            holder.address = address
            opened = today - timedelta(days=rng.randint(200, 4000))
            account = Account(number=str(number), holder=holder, address=address, area=area, status="active",
                              opened_on=opened)
            account.meters = [Meter(number=f"{opened.year}{number % 1000000:06d}", installed_on=opened,
                                    last_reading=Decimal(rng.randint(80, 3200)),
                                    last_read_on=today.replace(day=1) - timedelta(days=rng.randint(0, 20)))]
            accounts.append(account)
    session.add_all(accounts)
    return areas, accounts


def _portal_account(session, areas, accounts):
    """The first demo portal customer lives in 城南片区, where the outage of tomorrow is planned."""
    user = session.scalar(select(User).where(User.email == demo_email("customer1")))
    if user is None or user.customer is None:
        return
    number = str(int(max(a.number for a in accounts)) + 1)
    accounts.append(Account(number=number, holder=user.customer, address=user.customer.address or "南环路8号阳光城3栋1单元502室",
                            area=areas["城南片区"], status="active", opened_on=date(2019, 4, 1),
                            meters=[Meter(number=f"2019{number[-6:]}", installed_on=date(2019, 4, 1),
                                          last_reading=Decimal("1268.00"), last_read_on=utcnow().date())]))
    session.add(accounts[-1])


def _outages(session, areas, engineering):
    """Tomorrow 9:00–15:00 in 城南片区 (the worker sends its notices); a finished one last month in 西苑社区."""
    tomorrow = utcnow().astimezone(BEIJING).date() + timedelta(days=1)
    nine = datetime.combine(tomorrow, time(9), tzinfo=BEIJING).astimezone(timezone.utc)
    session.add(Outage(reason="南环路主供水管道改造", starts_at=nine, ends_at=nine + timedelta(hours=6),
                       areas=[areas["城南片区"]], created_by=engineering))
    earlier = nine - timedelta(days=35)
    session.add(Outage(reason="西苑路阀门更换", starts_at=earlier, ends_at=earlier + timedelta(hours=4),
                       areas=[areas["西苑社区"]], created_by=engineering, created_at=earlier - timedelta(days=2)))


def _step(ticket, key, actor, when, comment="", assignee=None, fields=None):
    if fields:
        update_ticket(ticket, actor=actor, changes={"fields": fields}, now=when)
    transition(ticket, key, actor=actor, comment=comment, assignee=assignee, now=when)


def _repairs(rng, accounts, users, start):
    hotline = [users["hotline1"], users["hotline2"]]
    crews = {"城东抢修班组": "crew-east", "城西抢修班组": "crew-west", "城南抢修班组": "crew-south"}
    for i in range(24):
        fault = rng.choice(list(REPAIRS))
        title, body = rng.choice(REPAIRS[fault])
        account = rng.choice(accounts)
        created = start + timedelta(hours=rng.randint(0, 28 * 24))
        agent = rng.choice(hotline)
        ticket = create_ticket(type_key="water_repair", title=title, body=body, actor=agent, customer=account.holder,
                               channel=rng.choice(("phone", "phone", "phone", "wechat", "web")), now=created,
                               priority="high" if fault == "leak" else "normal",
                               fields={"fault": fault, "account": account.number})
        if ticket.status != "new" or i % 6 == 5:
            continue  # answered by an outage, or still waiting to be dispatched
        leader = users[crews[crew_for(account.area)[0].name]]
        when = created + timedelta(minutes=rng.randint(3, 20))
        _step(ticket, "dispatch", agent, when, assignee=leader)
        if i % 6 == 4:
            continue
        when += timedelta(minutes=rng.randint(2, 15))
        _step(ticket, "accept", leader, when)
        arrived = when + timedelta(minutes=rng.randint(20, 90))
        _step(ticket, "arrive", leader, arrived, fields={"arrived_at": _local(arrived)})
        if i % 6 == 3:
            continue
        restored = arrived + timedelta(minutes=rng.randint(30, 240))
        _step(ticket, "restore", leader, restored, comment="已更换损坏管件，现场恢复正常，请您试用。",
              fields={"restored_at": _local(restored)})
        follow_up = pending_follow_up(ticket)
        if i % 2 and follow_up is not None:
            complete_follow_up(follow_up, actor=follow_up.assignee or agent, method="phone",
                               outcome="客户表示维修及时，非常满意。", scores={"quality": 5, "attitude": 5, "speed": 4},
                               now=restored + timedelta(days=1))


def _local(instant):
    """A datetime field's value: Beijing wall-clock time, as the desk's input sends it."""
    return instant.astimezone(BEIJING).replace(tzinfo=None, second=0, microsecond=0).isoformat()


def _others(rng, accounts, users, start):
    hotline = [users["hotline1"], users["hotline2"]]
    for type_key, title, body, fields in OTHER:
        account = rng.choice(accounts)
        created = start + timedelta(hours=rng.randint(0, 28 * 24))
        create_ticket(type_key=type_key, title=title, body=body, actor=rng.choice(hotline), customer=account.holder,
                      channel="phone", now=created, fields={**fields, "account": account.number})
    transfer = rng.choice(accounts)
    create_ticket(type_key="water_transfer", title="购房后办理过户", body="刚买的二手房，需要把水费户名过户到我名下。",
                  actor=users["counter1"], customer=transfer.holder, channel="walk_in", now=start + timedelta(days=20),
                  fields={"account": transfer.number, "new_holder_name": "陈晓明", "new_holder_phone": "13912345678",
                          "doc_old_holder_id": True, "doc_new_holder_id": True, "doc_property": True})
    for account in rng.sample(accounts, 5):
        create_ticket(type_key="water_reminder", title=f"催缴水费 {account.number}", actor=rng.choice(hotline),
                      customer=account.holder, channel="phone", now=start + timedelta(days=rng.randint(1, 27)),
                      fields={"account": account.number, "amount": f"{rng.randint(40, 600)}.00", "method": "phone"})


def add_demo_data(session, rng):
    corpus = Corpus(rng.randrange(2**31))
    session.add(WaterSettings(utility_kind="water", hotline=HOTLINE))
    users, teams = add_demo_staff(session, STAFF, TEAMS)
    areas, accounts = _accounts(session, rng, corpus, teams)
    _portal_account(session, areas, accounts)
    _outages(session, areas, users["engineering"])
    session.flush()
    start = utcnow() - timedelta(days=30)
    _repairs(rng, accounts, users, start)
    _others(rng, accounts, users, start)
    session.flush()
