"""The core's demo data: teams, staff of every role, customers and a few hundred tickets in Chinese,
moved through the workflow as a real desk would."""
from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import SLA_TARGETS, Customer, CustomerContact, Role, ServiceCalendar, SlaPolicy, Team, User, utcnow
from core.tickets.relations import tag_rows
from core.tickets.service import add_comment, create_ticket
from core.workflow.engine import available_transitions, transition

DEMO_PASSWORD = "kefu-demo"
DEMO_DOMAIN = "demo.kefu.local"

STAFF = (
    ("admin", "系统管理员", "admin"),
    ("manager", "李经理", "manager"),
    ("supervisor1", "王主管", "supervisor"),
    ("supervisor2", "赵主管", "supervisor"),
    ("agent1", "张晓燕", "agent"),
    ("agent2", "陈伟", "agent"),
    ("agent3", "刘婷", "agent"),
    ("agent4", "杨帆", "agent"),
    ("agent5", "黄丽", "agent"),
    ("agent6", "周强", "agent"),
    ("quality", "吴质检", "quality"),
)
TEAMS = (("客服一组", "supervisor1", ("agent1", "agent2", "agent3")),
         ("客服二组", "supervisor2", ("agent4", "agent5", "agent6")))
CUSTOMER_ACCOUNTS = 3
TICKETS = 300
GRADES = ("strategic", "key", "ordinary", "ordinary", "ordinary", "ordinary")
CREDIT_GRADES = ("A", "A", "B", "B", "B", "C", "D")
DEMO_TAGS = ("老客户", "VIP", "业主", "投诉敏感", "企业客户", "需回访")
CHANNEL_WEIGHTS = {"phone": 40, "web": 12, "chat": 10, "wechat": 15, "walk_in": 10, "email": 7, "sms": 6}  # staff-logged
PRIORITY_WEIGHTS = {"urgent": 5, "high": 15, "normal": 65, "low": 15}
# Most tickets move forward; a few are rejected, reopened or reconsidered, as on a real desk.
STEP_WEIGHTS = {"reject": 0.05, "reopen": 0.1, "reconsider": 0.2, "wait": 0.3}
FRESH_TICKETS = 30  # created in the last hours and not yet worked on: their SLA clocks are running

# Service hours (DOMAIN.md §4: "7×24, or working days 9:00–18:00"): the site's default, and the second team's.
CALENDARS = (("工作日 9:00–18:00（午休 12:00–13:00）", None, "mon-fri 09:00-12:00 13:00-18:00"),
             ("7×24 在线服务", "客服二组", "7x24"))
# SLA policies from the documents' service standards (DOMAIN.md §4); minutes, business time unless False.
# A working day of the default calendar has 8 service hours (480 minutes).
POLICIES = (
    dict(name="标准服务：1个工作日内首次响应，3个工作日内处理完毕", first_response_minutes=240,
         resolution_minutes=3 * 480, feedback_minutes=480, follow_up_minutes=3 * 24 * 60, follow_up_business=False,
         manager_after_minutes=240),
    dict(name="在线咨询：5分钟内响应", channel="chat", first_response_minutes=5, first_response_business=False,
         next_response_minutes=5, next_response_business=False, resolution_minutes=480,
         follow_up_minutes=3 * 24 * 60, follow_up_business=False, manager_after_minutes=30),
    dict(name="投诉：24小时内处理完毕，3天内回访", ticket_type="complaint", first_response_minutes=120,
         resolution_minutes=24 * 60, resolution_business=False, feedback_minutes=480,
         follow_up_minutes=3 * 24 * 60, follow_up_business=False, manager_after_minutes=120),
    dict(name="紧急：15分钟内响应，4小时内处理", priority="urgent", first_response_minutes=15,
         first_response_business=False, resolution_minutes=240, resolution_business=False, feedback_minutes=60,
         feedback_business=False, follow_up_minutes=24 * 60, follow_up_business=False, manager_after_minutes=60),
    dict(name="战略客户：1小时内响应，1个工作日内处理", customer_grade="strategic", first_response_minutes=60,
         resolution_minutes=480, feedback_minutes=240, follow_up_minutes=3 * 24 * 60, follow_up_business=False,
         manager_after_minutes=120),
)


def demo_email(local):
    return f"{local}@{DEMO_DOMAIN}"


def demo_loaded():
    return db.session.scalar(select(User.id).where(User.email == demo_email("manager"))) is not None


def demo_accounts():
    rows = [(demo_email(local), role) for local, _name, role in STAFF]
    rows += [(demo_email(f"customer{i}"), "customer") for i in range(1, CUSTOMER_ACCOUNTS + 1)]
    return rows


def _pick(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def add_demo_staff(session, staff, teams=(), email_prefix=""):
    """Demo staff accounts from (e-mail local part, name, role key) rows, all with the demo password, and teams
    from (name, supervisor, members) rows; the core's demo data and the plugins' use it. Returns
    ({local part: User}, {team name: Team})."""
    roles = {role.key: role for role in session.scalars(select(Role))}
    users = {}
    for local, name, role in staff:
        user = User(email=demo_email(email_prefix + local), name=name, kind="staff", roles=[roles[role]])
        user.set_password(DEMO_PASSWORD)
        users[local] = user
    session.add_all(users.values())
    made = {name: Team(name=name, supervisor=users[supervisor], members=[users[supervisor]] + [users[m] for m in members])
            for name, supervisor, members in teams}
    session.add_all(made.values())
    return users, made


def _staff(session):
    users, teams = add_demo_staff(session, STAFF, TEAMS)
    return users, {role.key: role for role in session.scalars(select(Role))}, teams


def _service_levels(session, teams):
    """Service hours and SLA policies, so that the demo's tickets have clocks (the core ships no policy)."""
    from core.sla.policies import spec_of, validate

    for name, team, hours in CALENDARS:
        session.add(ServiceCalendar(name=name, team=teams.get(team), hours=hours, timezone="Asia/Shanghai",
                                    observe_holidays=hours != "7x24"))
    for values in POLICIES:
        policy = SlaPolicy(active=True, at_risk_percent=80,
                           **{**{f"{kind}_business": True for kind in SLA_TARGETS}, **values})
        session.add(policy)
        session.flush()
        validate(spec_of(policy))


def _customers(session, corpus, rng, roles):
    customers = []
    today = date.today()
    for _ in range(10):
        customers.append(Customer(kind="organisation", name=corpus.company(), phone=corpus.phone(),
                                  address=corpus.address(), grade=rng.choice(("strategic", "key")),
                                  credit_grade=rng.choice(CREDIT_GRADES)))
    for _ in range(150):
        name = corpus.person_name()
        # Birthdays spread over the year, a few in the coming week, so the care calendar has work at once.
        birthday = date(rng.randint(1950, 2002), 1, 1) + timedelta(days=rng.randint(0, 364))
        if rng.random() < 0.06:
            soon = today + timedelta(days=rng.randint(1, 7))
            birthday = birthday.replace(month=soon.month, day=min(soon.day, 28))
        customers.append(Customer(kind="person", name=name, phone=corpus.phone(), email=corpus.email(name),
                                  address=corpus.address(), grade=rng.choice(GRADES), birthday=birthday,
                                  credit_grade=rng.choice(CREDIT_GRADES + (None, None))))
    session.add_all(customers)
    tags = tag_rows(DEMO_TAGS)
    for customer in customers[10:60]:
        customer.tags = rng.sample(tags, rng.randint(1, 2))
        customer.organisation = rng.choice(customers[:10]) if rng.random() < 0.3 else None
    for customer in customers[:10]:
        customer.contacts = [CustomerContact(kind="phone", value=corpus.phone(), name=corpus.person_name(),
                                             note="联系人"),
                             CustomerContact(kind="wechat", value=f"kefu_{rng.randint(100000, 999999)}")]
    customers[0].confidentiality = "secret"
    customers[1].confidentiality = "confidential"
    customers[20].confidentiality = "secret"
    accounts = []
    for i in range(1, CUSTOMER_ACCOUNTS + 1):
        customer = customers[10 + i]
        user = User(email=demo_email(f"customer{i}"), name=customer.name, kind="customer", customer=customer,
                    roles=[roles["customer"]])
        user.set_password(DEMO_PASSWORD)
        accounts.append(user)
    session.add_all(accounts)
    return customers, accounts


def _work_on(ticket, rng, staff, supervisors, corpus, now):
    """Walk the ticket a random number of steps along the workflow, with replies and notes."""
    for _ in range(rng.randint(0, 6)):
        actor = ticket.assignee or rng.choice(supervisors)  # a supervisor triages and dispatches
        steps = available_transitions(ticket, actor)
        if not steps:
            return
        step = rng.choices(steps, weights=[STEP_WEIGHTS.get(t.key, 1.0) for t in steps])[0]
        now += timedelta(minutes=rng.randint(5, 600))
        if step.target == "in_progress" and rng.random() < 0.7:
            add_comment(ticket, actor=actor, body=corpus.reply_text(ticket.category), public=True, now=now)
        elif rng.random() < 0.2:
            add_comment(ticket, actor=actor, body=corpus.note_text(), public=False, now=now)
        assignee = rng.choice(staff) if "assignee" in step.requires else None
        comment = corpus.reply_text(ticket.category) if "comment" in step.requires else ""
        transition(ticket, step.key, actor=actor, comment=comment, assignee=assignee, now=now)


def add_core_demo_data(session, rng, registry):
    from core.demo.corpus import Corpus

    corpus = Corpus(rng.randrange(2**31))
    users, roles, teams = _staff(session)
    customers, accounts = _customers(session, corpus, rng, roles)
    session.flush()
    _service_levels(session, teams)
    staff = [users[local] for local, _name, role in STAFF if role in ("agent", "supervisor")]
    supervisors = [users[local] for local, _name, role in STAFF if role == "supervisor"]
    core_types = [key for key, owner in registry.ticket_type_owner.items() if owner is None]
    now = utcnow()
    start = now - timedelta(days=60)
    for i in range(TICKETS):
        type_key = rng.choice(core_types)
        text = corpus.ticket_text(category=registry.ticket_types[type_key].category)
        fresh = i >= TICKETS - FRESH_TICKETS
        created = (now - timedelta(minutes=rng.randint(1, 8 * 60)) if fresh
                   else start + timedelta(minutes=rng.randint(0, 60 * 24 * 57)))
        account = accounts[i % len(accounts)] if i % 25 == 0 else None
        ticket = create_ticket(
            type_key=type_key, title=text.title, body=text.body, actor=account or rng.choice(staff),
            customer=account.customer if account else rng.choice(customers), requester=account,
            channel="portal" if account else _pick(rng, CHANNEL_WEIGHTS), priority=_pick(rng, PRIORITY_WEIGHTS),
            now=created,
        )
        if not fresh:
            _work_on(ticket, rng, staff, supervisors, corpus, created)
    session.flush()
    _problem_customer(session, customers, users)


def _problem_customer(session, customers, users):
    """One problem-customer proposal waiting for a supervisor, as an agent files it."""
    from core.customers.flags import propose

    propose(customers[42], actor=users["agent1"], reason="一个月内三次无理投诉，并在电话中辱骂客服")
