"""The core's demo data: teams, staff of every role, customers and a few hundred tickets in Chinese,
moved through the workflow as a real desk would."""
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Customer, Role, Team, User, utcnow
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
CHANNEL_WEIGHTS = {"phone": 45, "web": 12, "wechat": 18, "walk_in": 10, "email": 8, "sms": 7}  # staff-logged
PRIORITY_WEIGHTS = {"urgent": 5, "high": 15, "normal": 65, "low": 15}
# Most tickets move forward; a few are rejected, reopened or reconsidered, as on a real desk.
STEP_WEIGHTS = {"reject": 0.05, "reopen": 0.1, "reconsider": 0.2, "wait": 0.3}


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


def _staff(session):
    roles = {role.key: role for role in session.scalars(select(Role))}
    users = {}
    for local, name, role in STAFF:
        user = User(email=demo_email(local), name=name, kind="staff", roles=[roles[role]])
        user.set_password(DEMO_PASSWORD)
        users[local] = user
    session.add_all(users.values())
    for name, supervisor, members in TEAMS:
        session.add(Team(name=name, supervisor=users[supervisor], members=[users[supervisor]] + [users[m] for m in members]))
    return users, roles


def _customers(session, corpus, rng, roles):
    customers = []
    for _ in range(10):
        customers.append(Customer(kind="organisation", name=corpus.company(), phone=corpus.phone(),
                                  address=corpus.address(), grade=rng.choice(("strategic", "key"))))
    for _ in range(150):
        name = corpus.person_name()
        customers.append(Customer(kind="person", name=name, phone=corpus.phone(), email=corpus.email(name),
                                  address=corpus.address(), grade=rng.choice(GRADES)))
    session.add_all(customers)
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
    users, roles = _staff(session)
    customers, accounts = _customers(session, corpus, rng, roles)
    session.flush()
    staff = [users[local] for local, _name, role in STAFF if role in ("agent", "supervisor")]
    supervisors = [users[local] for local, _name, role in STAFF if role == "supervisor"]
    core_types = [key for key, owner in registry.ticket_type_owner.items() if owner is None]
    start = utcnow() - timedelta(days=60)
    for i in range(TICKETS):
        type_key = rng.choice(core_types)
        text = corpus.ticket_text(category=registry.ticket_types[type_key].category)
        created = start + timedelta(minutes=rng.randint(0, 60 * 24 * 59))
        account = accounts[i % len(accounts)] if i % 25 == 0 else None
        ticket = create_ticket(
            type_key=type_key, title=text.title, body=text.body, actor=account or rng.choice(staff),
            customer=account.customer if account else rng.choice(customers), requester=account,
            channel="portal" if account else _pick(rng, CHANNEL_WEIGHTS), priority=_pick(rng, PRIORITY_WEIGHTS),
            now=created,
        )
        _work_on(ticket, rng, staff, supervisors, corpus, created)
    session.flush()
