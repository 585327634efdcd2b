import io
import re

from sqlalchemy import select

from core.extensions import db
from core.models import CannedResponse, Notification, Ticket, TicketEvent
from tests.desk.conftest import make_ticket
from tests.helpers import post_form

XSS = ('<script>alert("x")</script><img src=x onerror="alert(1)"><a href="javascript:alert(2)">点我</a>'
       '<b onmouseover="alert(3)">粗体</b>')


def test_a_reply_reaches_the_timeline_and_counts_as_first_response(app, desk, as_user):
    ticket_id = make_ticket(app, "停水了", customer=desk.customer, team=desk.team_a)
    agent = as_user("agent1@example.cn")
    post_form(agent, f"/desk/tickets/{ticket_id}/reply", {"kind": "reply", "body": "您好，已为您登记。"},
              form_url=f"/desk/tickets/{ticket_id}")
    page = agent.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "您好，已为您登记。" in page
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert ticket.first_response_at is not None
        assert db.session.scalar(select(TicketEvent.public).where(TicketEvent.kind == "reply")) is True


def test_internal_notes_mention_colleagues_and_stay_internal(app, desk, as_user):
    ticket_id = make_ticket(app, "停水了", customer=desk.customer, team=desk.team_a)
    agent = as_user("agent1@example.cn")
    post_form(agent, f"/desk/tickets/{ticket_id}/reply", {"kind": "note", "body": "@陈伟 请帮忙核实 @lead"},
              form_url=f"/desk/tickets/{ticket_id}")
    with app.app_context():
        note = db.session.scalar(select(TicketEvent).where(TicketEvent.kind == "note"))
        assert note.public is False
        notified = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "mentioned")))
        assert notified == {desk.agent2, desk.lead}
        assert db.session.get(Ticket, ticket_id).first_response_at is None  # a note is not a response


def test_html_in_replies_is_sanitized_before_it_is_stored_and_shown(app, desk, as_user):
    ticket_id = make_ticket(app, "XSS", team=desk.team_a)
    agent = as_user("agent1@example.cn")
    post_form(agent, f"/desk/tickets/{ticket_id}/reply", {"kind": "reply", "body": XSS},
              form_url=f"/desk/tickets/{ticket_id}")
    with app.app_context():
        stored = db.session.scalar(select(TicketEvent.body).where(TicketEvent.kind == "reply"))
    for bad in ("<script", "onerror", "javascript:", "onmouseover"):
        assert bad not in stored
    assert "<b>粗体</b>" in stored and "点我" in stored
    page = agent.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert 'alert("x")' not in page and "onerror" not in page


def test_canned_responses_fill_their_placeholders(app, desk, as_user):
    ticket_id = make_ticket(app, "账单金额不对", customer=desk.customer, team=desk.team_a)
    with app.app_context():
        db.session.add(CannedResponse(title="致歉", body="{customer_name}您好，工单#{ticket_id}已由{agent_name}跟进。"))
        db.session.commit()
    page = as_user("agent1@example.cn").get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert f"许天佑您好，工单#{ticket_id}已由张晓燕跟进。" in page


def test_next_steps_are_buttons_and_an_illegal_step_is_refused(app, desk, as_user):
    ticket_id = make_ticket(app, "停水了", team=desk.team_a)
    lead = as_user("lead@example.cn")
    page = lead.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    offered = set(re.findall(r'name="transition" value="(\w+)"', page))
    assert offered == {"triage", "reject", "assign"}
    refused = post_form(lead, f"/desk/tickets/{ticket_id}/transition", {"transition": "close"},
                        form_url=f"/desk/tickets/{ticket_id}")
    assert refused.status_code == 409
    needs_comment = post_form(lead, f"/desk/tickets/{ticket_id}/transition", {"transition": "reject"},
                              form_url=f"/desk/tickets/{ticket_id}")
    assert needs_comment.status_code == 409 and "需要填写说明" in needs_comment.get_data(as_text=True)
    done = post_form(lead, f"/desk/tickets/{ticket_id}/transition",
                     {"transition": "assign", "assignee": str(desk.agent1)}, form_url=f"/desk/tickets/{ticket_id}")
    assert done.status_code == 302
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.status, ticket.assignee_id) == ("assigned", desk.agent1)


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(app, desk, as_user):
    ticket_id = make_ticket(app, "原标题", team=desk.team_a)
    with app.app_context():
        version = db.session.get(Ticket, ticket_id).version
    first, second = as_user("agent1@example.cn"), as_user("agent2@example.cn")
    ok = post_form(first, f"/desk/tickets/{ticket_id}/fields", {"title": "甲改的标题", "priority": "high",
                                                                 "version": str(version)},
                   form_url=f"/desk/tickets/{ticket_id}")
    assert ok.status_code == 302
    stale = post_form(second, f"/desk/tickets/{ticket_id}/fields", {"title": "乙改的标题", "priority": "low",
                                                                     "version": str(version)},
                      form_url=f"/desk/tickets/{ticket_id}")
    assert stale.status_code == 409
    assert "其他人" in stale.get_data(as_text=True)
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        assert (ticket.title, ticket.priority) == ("甲改的标题", "high")




def test_uploads(app, desk, as_user):
    ticket_id = make_ticket(app, "漏水照片", team=desk.team_a)
    agent = as_user("agent1@example.cn")
    url = f"/desk/tickets/{ticket_id}/reply"
    from tests.helpers import csrf_token

    token = csrf_token(agent, f"/desk/tickets/{ticket_id}")
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    ok = agent.post(url, data={"csrf_token": token, "kind": "reply", "body": "见附件",
                               "files": (io.BytesIO(png), "卫生间.png")}, content_type="multipart/form-data")
    assert ok.status_code == 302
    with app.app_context():
        from core.models import Attachment

        file_id = db.session.scalar(select(Attachment.id))
    download = agent.get(f"/desk/tickets/{ticket_id}/files/{file_id}")
    assert download.status_code == 200 and download.data == png
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    outsider = as_user("agent3@example.cn")
    assert outsider.get(f"/desk/tickets/{ticket_id}/files/{file_id}").status_code == 404

    app.config["UPLOAD_MAX_BYTES"] = 50
    too_big = agent.post(url, data={"csrf_token": token, "kind": "reply", "body": "我打的这段话不能丢",
                                    "files": (io.BytesIO(png), "big.png")}, content_type="multipart/form-data")
    assert too_big.status_code == 400
    html = too_big.get_data(as_text=True)
    assert "我打的这段话不能丢" in html and "big.png" in html
    forbidden = agent.post(url, data={"csrf_token": token, "kind": "reply", "body": "脚本",
                                      "files": (io.BytesIO(b"echo"), "run.sh")}, content_type="multipart/form-data")
    assert forbidden.status_code == 400 and "run.sh" in forbidden.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(TicketEvent.id).where(TicketEvent.body.contains("脚本"))) is None


def test_a_ticket_the_user_may_not_see_is_404(app, desk, as_user):
    hidden = make_ticket(app, "别组工单", team=desk.team_b, assignee=desk.agent3)
    agent = as_user("agent1@example.cn")
    assert agent.get(f"/desk/tickets/{hidden}").status_code == 404
    assert agent.get("/desk/tickets/999999").status_code == 404
    assert post_form(agent, f"/desk/tickets/{hidden}/reply", {"body": "x"}, form_url="/desk/").status_code == 404


def test_merge_redirects_and_keeps_the_history(app, desk, as_user):
    keep = make_ticket(app, "停水（一）", team=desk.team_a)
    duplicate = make_ticket(app, "停水（二）", team=desk.team_a, body="重复来电")
    lead = as_user("lead@example.cn")
    merged = post_form(lead, f"/desk/tickets/{duplicate}/link", {"other": f"#{keep}", "merge": "1"},
                       form_url=f"/desk/tickets/{duplicate}")
    assert merged.headers["Location"] == f"/desk/tickets/{keep}"
    old = lead.get(f"/desk/tickets/{duplicate}")
    assert old.status_code == 302 and old.headers["Location"] == f"/desk/tickets/{keep}"
    page = lead.get(f"/desk/tickets/{keep}").get_data(as_text=True)
    assert "重复来电" in page  # the duplicate's events are shown on the ticket that stays
    with app.app_context():
        gone = db.session.get(Ticket, duplicate)
        assert gone.merged_into_id == keep and gone.active is False
        assert db.session.scalar(select(TicketEvent.ticket_id).where(TicketEvent.body == "重复来电")) == duplicate


def test_tags_watchers_and_links(app, desk, as_user):
    first = make_ticket(app, "一", team=desk.team_a)
    second = make_ticket(app, "二", team=desk.team_a)
    agent = as_user("agent1@example.cn")
    post_form(agent, f"/desk/tickets/{first}/tags", {"tags": "停水, 城东片区"}, form_url=f"/desk/tickets/{first}")
    post_form(agent, f"/desk/tickets/{first}/watch", {"watch": "1"}, form_url=f"/desk/tickets/{first}")
    post_form(agent, f"/desk/tickets/{first}/link", {"other": str(second)}, form_url=f"/desk/tickets/{first}")
    page = agent.get(f"/desk/tickets/{second}").get_data(as_text=True)
    assert f'href="/desk/tickets/{first}"' in page
    with app.app_context():
        ticket = db.session.get(Ticket, first)
        assert sorted(t.name for t in ticket.tags) == ["停水", "城东片区"]
        assert [w.id for w in ticket.watchers] == [desk.agent1]
    bad = post_form(agent, f"/desk/tickets/{first}/tags", {"tags": "<script>"}, form_url=f"/desk/tickets/{first}",
                    follow_redirects=True)
    assert "无效的标签" in bad.get_data(as_text=True)


def test_the_bell_counts_unread_notifications_and_lists_them(app, desk, as_user):
    ticket_id = make_ticket(app, "停水了", team=desk.team_a)
    post_form(as_user("agent1@example.cn"), f"/desk/tickets/{ticket_id}/reply", {"kind": "note", "body": "@陈伟 看一下"},
              form_url=f"/desk/tickets/{ticket_id}")
    colleague = as_user("agent2@example.cn")
    assert '<span class="bell-count">1</span>' in colleague.get("/desk/").get_data(as_text=True)
    listing = colleague.get("/desk/notifications").get_data(as_text=True)
    assert "张晓燕 提到了您" in listing and f'href="/desk/tickets/{ticket_id}"' in listing
    post_form(colleague, "/desk/notifications/read", {}, form_url="/desk/notifications")
    assert "bell-count" not in colleague.get("/desk/").get_data(as_text=True)


def test_a_step_that_names_an_assignee_offers_the_suited_people_first(app, desk, as_user):
    for busy in (desk.lead, desk.agent1):
        make_ticket(app, "已在处理", team=desk.team_a, assignee=busy)
    ticket_id = make_ticket(app, "水压低", team=desk.team_a)
    page = as_user("lead@example.cn").get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    step = re.search(r'name="transition" value="assign">.*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)" ?( selected)?>([^<]*)</option>', step)
    # The least busy member of the ticket's team comes first, chosen already, with the reason shown.
    assert options[0] == (str(desk.agent2), " selected", "陈伟 · 进行中工单 0 件")
    assert [value for value, selected, _label in options if selected] == [str(desk.agent2)]
