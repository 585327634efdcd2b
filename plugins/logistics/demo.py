"""Demo data of 胜捷物流's customer service department: its staff in the eight roles of seed 004, five key
accounts with their owners and visit schedules, 160 shipments on the company's main routes with their status
history, and inquiries, urgent orders, complaints (one investigated and handled), claims and returns."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core.demo.data import add_demo_staff
from core.models import Customer, utcnow
from core.tickets.service import create_ticket
from core.workflow.engine import transition
from plugins.logistics.models import InvestigationReport, KeyAccount, Shipment, ShipmentEvent

STAFF = (  # e-mail local part, name, role
    ("retention", "周振华", "logistics_manager"),
    ("callcentre", "林小芳", "logistics_call_centre_lead"),
    ("reception", "何静", "logistics_reception_lead"),
    ("afterservice", "罗建平", "logistics_after_service_lead"),
    ("keyaccount1", "陈思远", "logistics_key_account_agent"),
    ("keyaccount2", "杨柳", "logistics_key_account_agent"),
    ("complaints", "吴海燕", "logistics_complaint_officer"),
    ("quality1", "郭明", "logistics_quality_officer"),
    ("records", "黄丽娟", "logistics_records_officer"),
)
KEY_ACCOUNTS = (  # name, phone, contact e-mail, owner, plan, visit every (days)
    ("华联超市", "021-62881234", "wuliu@hualian.example.cn", "keyaccount1", "华东区门店专线配送，每周一、三、五发车", 30),
    ("天虹电器", "0755-83216688", "ops@tianhong.example.cn", "keyaccount1", "家电整车运输，送货上门并安装预约", 30),
    ("康源医药", "027-85556677", "scm@kangyuan.example.cn", "keyaccount2", "医药冷链，全程温控记录", 14),
    ("新华书店华中分公司", "027-87654321", "fx@xinhua.example.cn", "keyaccount2", "图书批量配送，开学季加班车", 60),
    ("美佳服饰", "0571-86001234", "logi@meijia.example.cn", "keyaccount1", "电商退换货逆向物流", 30),
)
ROUTES = (("上海", "武汉"), ("上海", "南京"), ("深圳", "长沙"), ("武汉", "郑州"), ("杭州", "合肥"), ("广州", "南昌"))
CONSIGNEES = ("李娜", "王强", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄敏", "周杰", "吴婷")
HUBS = {"上海": "上海浦东分拨中心", "武汉": "武汉东西湖转运中心", "南京": "南京江宁分拨中心", "深圳": "深圳龙华分拨中心",
        "长沙": "长沙雨花转运中心", "郑州": "郑州经开分拨中心", "杭州": "杭州萧山分拨中心", "合肥": "合肥中转场",
        "广州": "广州白云分拨中心", "南昌": "南昌昌北转运中心"}


def _accounts(session, users, today):
    accounts = []
    for n, (name, phone, email, owner, plan, every) in enumerate(KEY_ACCOUNTS):
        customer = Customer(name=name, phone=phone, email=email, kind="organisation", grade="key")
        account = KeyAccount(customer=customer, owner=users[owner], service_plan=plan, visit_every_days=every,
                             next_visit_on=today + timedelta(days=2 + 3 * n), contact_email=email)
        session.add_all([customer, account])
        accounts.append(account)
    return accounts


def _shipments(session, rng, accounts, start):
    shipments = []
    for n in range(160):
        account = rng.choice(accounts)
        origin, destination = rng.choice(ROUTES)
        shipped = start + timedelta(days=rng.randrange(28), hours=rng.randrange(8, 18))
        promised = (shipped + timedelta(days=2)).date()
        shipment = Shipment(waybill=f"SJ{shipped:%Y%m%d}{n:04d}", customer=account.customer,
                            shipper_name=account.customer.name, shipper_phone=account.customer.phone,
                            consignee_name=rng.choice(CONSIGNEES), consignee_phone=f"139{rng.randrange(10**8):08d}",
                            origin=origin, destination=destination,
                            weight_kg=Decimal(rng.randrange(5, 2000)) / 2, declared_value=Decimal(rng.randrange(2, 400) * 50),
                            shipped_on=shipped.date(), promised_on=promised, status="picked_up")
        events = [("picked_up", shipped, HUBS[origin]), ("in_transit", shipped + timedelta(hours=10), HUBS[origin])]
        arrival = shipped + timedelta(hours=rng.choice((30, 40, 46, 60, 70)))
        if arrival < utcnow():
            events += [("out_for_delivery", arrival - timedelta(hours=3), HUBS[destination]),
                       ("delivered", arrival, destination)]
        for status, at, place in events:
            shipment.events.append(ShipmentEvent(at=at, status=status, location=place))
        shipment.status = events[-1][0]
        shipment.delivered_at = arrival if events[-1][0] == "delivered" else None
        session.add(shipment)
        shipments.append(shipment)
    return shipments


def _tickets(session, rng, users, shipments, now):
    agent, officer = users["callcentre"], users["complaints"]
    for shipment in rng.sample(shipments, 12):
        create_ticket(type_key="logistics_inquiry", title=f"查询运单 {shipment.waybill} 到哪了",
                      body="客户来电询问货物在途位置。", actor=agent, customer=shipment.customer, channel="phone",
                      fields={"waybill": shipment.waybill, "topic": "where"})
    create_ticket(type_key="logistics_urgent", title="康源医药急需补货", body="医院急用药品，今晚必须发出。", actor=agent,
                  customer=shipments[0].customer, channel="phone", priority="urgent",
                  fields={"pickup_address": "武汉东湖高新区光谷大道77号", "destination": "郑州",
                          "goods": "冷藏药品 12 箱", "needed_by": (now + timedelta(hours=20)).replace(tzinfo=None)
                          .isoformat(timespec="minutes")})
    damaged = next(s for s in shipments if s.status == "delivered")
    complaint = create_ticket(type_key="logistics_complaint", title="包裹破损", body="外箱压扁，部分商品损坏。",
                              actor=agent, customer=damaged.customer, channel="phone",
                              fields={"waybill": damaged.waybill, "cause": "damage"})
    for cause, title in (("delay", "到货比承诺晚了两天"), ("attitude", "送货员态度恶劣"), ("loss", "少了一箱货")):
        create_ticket(type_key="logistics_complaint", title=title, body=title, actor=agent,
                      customer=rng.choice(shipments).customer, channel="phone",
                      fields={"waybill": rng.choice(shipments).waybill, "cause": cause})
    session.flush()
    transition(complaint, "investigate", actor=officer, now=now)
    session.add(InvestigationReport(ticket_id=complaint.id, cause="装车时重货压轻货", responsibility="始发分拨中心装卸班组",
                                    corrective_action="重货下置，易碎品加固包装并贴标", filed_by=officer, filed_at=now))
    session.flush()
    transition(complaint, "handle", actor=officer, comment="已向客户致歉并启动理赔。", now=now)
    create_ticket(type_key="logistics_claim", title="破损货物理赔", body="客户提供了破损照片。", actor=officer,
                  customer=damaged.customer, channel="phone",
                  fields={"waybill": damaged.waybill, "reason": "damage", "claimed_amount": "1800",
                          "complaint": complaint.id})
    create_ticket(type_key="logistics_return", title="服装退货", body="尺码不合适，申请退货。", actor=agent,
                  customer=shipments[-1].customer, channel="web",
                  fields={"waybill": shipments[-1].waybill, "kind": "return", "reason": "尺码不合适"})


def add_demo_data(session, rng):
    now = utcnow()
    today = now.astimezone(timezone(timedelta(hours=8))).date()
    users, _teams = add_demo_staff(session, STAFF)
    accounts = _accounts(session, users, today)
    session.flush()
    start = datetime.combine(today - timedelta(days=30), datetime.min.time(), tzinfo=timezone.utc)
    shipments = _shipments(session, rng, accounts, start)
    session.flush()
    _tickets(session, rng, users, shipments, now)
    session.flush()
