import re
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import SavedFilter, Ticket, utcnow
from core.tickets import queues
from tests.desk.conftest import make_ticket
from tests.helpers import csrf_token, post_form

ROW = re.compile(r'name="ticket" value="(\d+)"')


def ids_on(response):
    return [int(v) for v in ROW.findall(response.get_data(as_text=True))]


def test_queues_show_what_each_user_may_see(app, desk, as_user):
    mine = make_ticket(app, "我的工单", team=desk.team_a, assignee=desk.agent1)
    team = make_ticket(app, "同组工单", team=desk.team_a, assignee=desk.agent2)
    other = make_ticket(app, "别组工单", team=desk.team_b, assignee=desk.agent3)
    loose = make_ticket(app, "未分派工单")
    agent = as_user("agent1@example.cn")
    assert ids_on(agent.get("/desk/?queue=mine")) == [mine]
    assert sorted(ids_on(agent.get("/desk/?queue=team"))) == sorted([mine, team])
    assert ids_on(agent.get("/desk/?queue=unassigned")) == [loose]
    assert other not in ids_on(agent.get("/desk/?queue=all"))  # another team's work is not theirs to see
    manager = as_user("boss@example.cn")
    assert sorted(ids_on(manager.get("/desk/?queue=all"))) == sorted([mine, team, other, loose])


def test_filters_narrow_the_queue_and_bad_filters_say_why(app, desk, as_user):
    urgent = make_ticket(app, "电梯困人", priority="urgent", channel="phone")
    make_ticket(app, "咨询电费", priority="low", channel="wechat")
    complaint = make_ticket(app, "态度差", type_key="complaint", channel="wechat")
    manager = as_user("boss@example.cn")
    assert ids_on(manager.get("/desk/?queue=all&priority=urgent")) == [urgent]
    assert ids_on(manager.get("/desk/?queue=all&type=complaint")) == [complaint]
    assert len(ids_on(manager.get("/desk/?queue=all&channel=wechat"))) == 2
    today = utcnow().date().isoformat()
    assert len(ids_on(manager.get(f"/desk/?queue=all&created_from={today}&created_to={today}"))) == 3
    bad = manager.get("/desk/?queue=all&created_from=31/12/2026")
    assert bad.status_code == 400 and "2026-01-31" in bad.get_data(as_text=True)
    assert manager.get("/desk/?queue=all&priority=whenever").status_code == 400


def test_keyset_pages_cover_every_ticket_once_in_order(app, desk, as_user):
    with app.app_context():
        from core.models import TicketType
        from core.tickets.service import create_ticket

        start = utcnow() - timedelta(days=1)
        for i in range(120):
            create_ticket(type_key="inquiry", title=f"工单{i}", now=start + timedelta(minutes=i // 3))  # ties on time
        db.session.commit()
        assert db.session.scalar(select(TicketType.id).where(TicketType.key == "inquiry"))
    manager = as_user("boss@example.cn")
    seen, url = [], "/desk/?queue=all&limit=50"
    while url:
        page = manager.get(url)
        seen += ids_on(page)
        match = re.search(r'class="pager"><a class="button" href="([^"]+)"', page.get_data(as_text=True))
        url = match.group(1).replace("&amp;", "&") if match else None
    assert len(seen) == len(set(seen)) == 120
    with app.app_context():
        expected = db.session.scalars(select(Ticket.id).order_by(Ticket.updated_at.desc(), Ticket.id.desc())).all()
    assert seen == expected
    assert manager.get("/desk/?queue=all&cursor=not-a-cursor").status_code == 400


def test_counts_stop_at_the_cap(app, desk, as_user, monkeypatch):
    for i in range(7):
        make_ticket(app, f"工单{i}")
    monkeypatch.setattr(queues, "COUNT_CAP", 5)
    page = as_user("boss@example.cn").get("/desk/?queue=all").get_data(as_text=True)
    assert re.search(r'全部工单 <span class="count">5\+</span>', page)
    assert re.search(r'未分派 <span class="count">5\+</span>', page)


def test_saved_filters_are_private_unless_a_supervisor_shares_them(app, desk, as_user):
    agent, lead, other = as_user("agent1@example.cn"), as_user("lead@example.cn"), as_user("agent2@example.cn")
    post_form(agent, "/desk/filters", {"name": "我的紧急", "queue": "all", "priority": "urgent", "shared": "1"},
              form_url="/desk/")
    post_form(lead, "/desk/filters", {"name": "全组投诉", "queue": "team", "type": "complaint", "shared": "1"},
              form_url="/desk/")
    with app.app_context():
        rows = {row.name: row for row in db.session.scalars(select(SavedFilter))}
        assert rows["我的紧急"].shared is False  # agents cannot share
        assert rows["全组投诉"].shared is True and rows["全组投诉"].query == {"queue": "team", "type": "complaint"}
        private_id = rows["我的紧急"].id
    page = other.get("/desk/").get_data(as_text=True)
    assert "全组投诉" in page and "我的紧急" not in page
    assert post_form(other, f"/desk/filters/{private_id}/delete", {}, form_url="/desk/").status_code == 404


def test_bulk_actions_report_what_could_not_be_done(app, desk, as_user):
    first = make_ticket(app, "一")
    second = make_ticket(app, "二")
    lead = as_user("lead@example.cn")
    token = csrf_token(lead, "/desk/?queue=all")
    lead.post("/desk/bulk", data={"csrf_token": token, "action": "assign", "assignee": str(desk.agent1),
                                   "ticket": [str(first), str(second)]})
    lead.post("/desk/bulk", data={"csrf_token": token, "action": "tag", "tags": "停水，回访",
                                   "ticket": [str(first), str(second)]})
    response = lead.post("/desk/bulk", data={"csrf_token": token, "action": "transition", "transition": "close",
                                             "ticket": [str(first)]}, follow_redirects=True)
    assert "#%d" % first in response.get_data(as_text=True)  # closing a new ticket is not a step it has
    with app.app_context():
        tickets = [db.session.get(Ticket, i) for i in (first, second)]
        assert [t.assignee_id for t in tickets] == [desk.agent1, desk.agent1]
        assert [sorted(tag.name for tag in t.tags) for t in tickets] == [["停水", "回访"], ["停水", "回访"]]
        assert tickets[0].status == "new"


def test_bulk_never_touches_tickets_the_user_cannot_see(app, desk, as_user):
    hidden = make_ticket(app, "别组", team=desk.team_b, assignee=desk.agent3)
    agent = as_user("agent1@example.cn")
    agent.post("/desk/bulk", data={"csrf_token": csrf_token(agent, "/desk/"), "action": "tag", "tags": "x",
                                   "ticket": [str(hidden)]})
    with app.app_context():
        assert db.session.get(Ticket, hidden).tags == []
