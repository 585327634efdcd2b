"""The closed loop's pages through HTTP: the desk's follow-up list and form, the investigation on the ticket
page, the survey behind its link (once, until it expires) and in the portal; nobody reaches what is not theirs."""
import re
from datetime import timedelta

from sqlalchemy import update

from core.extensions import db
from core.followups.links import link_token
from core.models import Customer, FollowUp, Survey, Ticket, utcnow
from tests.closedloop.conftest import follow_up_of, resolved, signed_in, survey_of
from tests.helpers import create_user, csrf_token, post_form


def _answers(quality="5", attitude="4", speed="5", **extra):
    return {"score_quality": quality, "score_attitude": attitude, "score_speed": speed, **extra}


def test_the_agent_records_a_phone_follow_up_from_the_list(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        follow_up_id = follow_up_of(ticket_id).id
    agent = signed_in(loop_app, "agent@example.cn")
    page = agent.get("/desk/follow-ups/").get_data(as_text=True)
    assert "厨房水龙头漏水" in page and "13800138000" in page and f"/desk/follow-ups/{follow_up_id}" in page
    url = f"/desk/follow-ups/{follow_up_id}"
    form = agent.get(url).get_data(as_text=True)
    assert "师傅已上门更换水龙头" in form  # what the customer was told
    assert all(f'name="score_{name}"' in form for name in ("quality", "attitude", "speed"))

    # The ticket page offers no plain 回访 step: it links the follow-up record, which takes the step.
    ticket_page = agent.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert 'value="follow_up"' not in ticket_page and url in ticket_page
    by_hand = post_form(agent, f"/desk/tickets/{ticket_id}/transition", {"transition": "follow_up"},
                        form_url=f"/desk/tickets/{ticket_id}")
    assert by_hand.status_code == 409 and "须通过填写回访记录完成" in by_hand.get_data(as_text=True)
    with loop_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "resolved"

    refused = post_form(agent, url, {"method": "fax", "outcome": "", **_answers(quality="9")})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "请选择回访方式" in text and "请记录客户的反馈" in text and "评分须为 1 到 5 的整数" in text
    with loop_app.app_context():
        assert db.session.get(FollowUp, follow_up_id).state == "pending"

    done = post_form(agent, url, {"method": "phone", "outcome": "客户说已修好", **_answers(), "comment": "满意"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/desk/follow-ups/")
    with loop_app.app_context():
        assert db.session.get(FollowUp, follow_up_id).state == "done"
        assert survey_of(ticket_id).scores == {"quality": 5, "attitude": 4, "speed": 5}
        assert db.session.get(Ticket, ticket_id).status == "closed"
    assert "客户说已修好" in agent.get("/desk/follow-ups/?view=done").get_data(as_text=True)
    again = post_form(agent, url, {"method": "phone", "outcome": "再来一次"}, form_url="/desk/follow-ups/")
    assert again.status_code == 409


def test_overdue_follow_ups_are_marked_and_the_supervisor_sees_and_hands_them_over(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        db.session.execute(update(FollowUp).values(due_at=utcnow() - timedelta(hours=2)))
        db.session.commit()
        follow_up_id = follow_up_of(ticket_id).id
    agent = signed_in(loop_app, "agent@example.cn")
    overdue = agent.get("/desk/follow-ups/?view=overdue").get_data(as_text=True)
    assert "厨房水龙头漏水" in overdue and "已逾期" in overdue

    other = signed_in(loop_app, "agent2@example.cn")
    assert "厨房水龙头漏水" not in other.get("/desk/follow-ups/").get_data(as_text=True)
    assert other.get(f"/desk/follow-ups/{follow_up_id}").status_code == 404
    assert other.get("/desk/follow-ups/?scope=all").get_data(as_text=True).count("厨房水龙头漏水") == 0

    lead = signed_in(loop_app, "lead@example.cn")
    assert "厨房水龙头漏水" in lead.get("/desk/follow-ups/?scope=all").get_data(as_text=True)
    handed = post_form(lead, f"/desk/follow-ups/{follow_up_id}/assign", {"assignee": str(people.agent2)},
                       form_url=f"/desk/follow-ups/{follow_up_id}")
    assert handed.status_code == 302
    assert "厨房水龙头漏水" in other.get("/desk/follow-ups/").get_data(as_text=True)
    assert post_form(agent, f"/desk/follow-ups/{follow_up_id}/assign", {"assignee": str(people.agent)},
                     form_url="/desk/follow-ups/").status_code == 403


def test_customers_are_kept_out_of_the_desk_pages(loop_app, people):
    customer = signed_in(loop_app, "wang@example.cn")
    assert customer.get("/desk/follow-ups/").status_code == 403


def test_the_survey_link_page_works_once_and_then_says_why_not(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        url = f"/survey/{link_token(survey_of(ticket_id))}"
    visitor = loop_app.test_client()
    page = visitor.get(url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "服务质量" in text and "服务态度" in text and "响应速度" in text and "厨房水龙头漏水" in text

    bad = post_form(visitor, url, _answers(quality="7", speed=""))
    assert bad.status_code == 400
    assert "评分须为 1 到 5 的整数" in bad.get_data(as_text=True) and "请选择 1 到 5 分" in bad.get_data(as_text=True)
    token = csrf_token(visitor, url)
    thanks = visitor.post(url, data={"csrf_token": token, **_answers(comment="<script>alert(1)</script>很好")})
    assert thanks.status_code == 200 and "谢谢" in thanks.get_data(as_text=True)
    with loop_app.app_context():
        survey = survey_of(ticket_id)
        assert survey.channel == "link" and survey.answered_by_id is None and "<script>" not in survey.comment
    # On the ticket page the answers are the customer's, not the system's.
    desk = signed_in(loop_app, "agent@example.cn").get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    survey_event = re.search(r'<li class="event event-survey[^"]*".*?</li>', desk, re.S).group(0)
    assert "<strong>许天佑</strong>" in survey_event and "系统" not in survey_event
    used = visitor.get(url)
    assert used.status_code == 410 and "已经提交过" in used.get_data(as_text=True)
    assert visitor.post(url, data={"csrf_token": token, **_answers(quality="1")}).status_code == 410
    assert visitor.get(url[:-3] + "abc").status_code == 404
    assert visitor.get("/survey/1").status_code == 404


def test_an_expired_survey_link_is_refused(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        db.session.execute(update(Survey).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        url = f"/survey/{link_token(survey_of(ticket_id))}"
    page = loop_app.test_client().get(url)
    assert page.status_code == 410 and "已过期" in page.get_data(as_text=True)


def test_the_customer_rates_their_own_request_in_the_portal_and_cannot_reach_anothers(loop_app, people):
    mine = resolved(loop_app, people, customer="plain")
    theirs = resolved(loop_app, people, customer="vip", title="电梯异响")
    customer = signed_in(loop_app, "wang@example.cn")  # reads English
    page = customer.get(f"/portal/tickets/{mine}").get_data(as_text=True)
    assert "Rate our service" in page and "Quality of service" in page
    assert "told the customer by" in page  # the result on the timeline
    refused = post_form(customer, f"/portal/tickets/{mine}/survey", _answers(attitude="0"), form_url=f"/portal/tickets/{mine}")
    assert refused.status_code == 302
    assert "from 1 to 5" in customer.get(f"/portal/tickets/{mine}").get_data(as_text=True)
    rated = post_form(customer, f"/portal/tickets/{mine}/survey", _answers(), form_url=f"/portal/tickets/{mine}")
    assert rated.status_code == 302
    assert "You rated this request" in customer.get(f"/portal/tickets/{mine}").get_data(as_text=True)
    with loop_app.app_context():
        assert (survey_of(mine).channel, survey_of(mine).answered_by_id) == ("portal", people.portal_user)
    assert customer.get(f"/portal/tickets/{theirs}").status_code == 404
    assert post_form(customer, f"/portal/tickets/{theirs}/survey", _answers(), form_url=f"/portal/tickets/{mine}").status_code == 404
    assert post_form(customer, f"/portal/tickets/{mine}/survey", _answers(), form_url=f"/portal/tickets/{mine}").status_code == 404
    with loop_app.app_context():
        assert survey_of(theirs).state == "open"


def test_the_supervisor_records_the_investigation_outcome_on_the_ticket_page(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        url = f"/survey/{link_token(survey_of(ticket_id))}"
    post_form(loop_app.test_client(), url, _answers(quality="1", comment="师傅态度很差"))
    lead = signed_in(loop_app, "lead@example.cn")
    listed = lead.get("/desk/follow-ups/?view=investigations").get_data(as_text=True)
    assert "厨房水龙头漏水" in listed
    page = lead.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    assert "记录调查结果并告知客户" in page
    investigation_id = int(re.search(r'/desk/investigations/(\d+)"', page).group(1))
    agent = signed_in(loop_app, "agent@example.cn")
    assert "记录调查结果并告知客户" not in agent.get(f"/desk/tickets/{ticket_id}").get_data(as_text=True)
    empty = post_form(lead, f"/desk/investigations/{investigation_id}", {"outcome": ""}, form_url=f"/desk/tickets/{ticket_id}")
    assert empty.status_code == 302
    with loop_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "in_progress"
    done = post_form(lead, f"/desk/investigations/{investigation_id}", {"outcome": "已批评教育师傅，并上门致歉"},
                     form_url=f"/desk/tickets/{ticket_id}")
    assert done.status_code == 302
    with loop_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "resolved"
    assert post_form(lead, "/desk/investigations/999", {"outcome": "x"}, form_url="/desk/follow-ups/").status_code == 404


def test_another_customers_record_cannot_be_reached_by_a_new_customer_account(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        stranger = Customer(name="路人")
        db.session.add(stranger)
        db.session.commit()
        stranger_id = stranger.id
    create_user(loop_app, "stranger@example.cn", "customer", kind="customer", customer=None)
    client = signed_in(loop_app, "stranger@example.cn")
    assert stranger_id and client.get(f"/portal/tickets/{ticket_id}").status_code == 404
    assert post_form(client, f"/portal/tickets/{ticket_id}/survey", _answers(), form_url="/portal/").status_code == 404
