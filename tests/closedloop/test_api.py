"""Follow-ups and surveys over the API: the UI's permissions, JSON errors naming the field, guessed ids 404."""
from core.extensions import db
from core.models import Ticket
from tests.api.conftest import Api
from tests.closedloop.conftest import follow_up_of, resolved, survey_of


def test_an_agent_lists_and_records_a_follow_up(loop_app, people):
    ticket_id = resolved(loop_app, people)
    with loop_app.app_context():
        follow_up_id = follow_up_of(ticket_id).id
    agent, other, lead = (Api(loop_app, uid) for uid in (people.agent, people.agent2, people.lead))
    page = agent.get("/api/v1/follow-ups").get_json()
    assert [item["id"] for item in page["items"]] == [follow_up_id]
    assert page["items"][0]["customer"] == {"id": people.vip, "name": "许天佑", "phone": "13800138000",
                                            "grade": "strategic"}
    assert other.get("/api/v1/follow-ups").get_json()["items"] == []
    assert other.get(f"/api/v1/follow-ups/{follow_up_id}").status_code == 404
    assert [i["id"] for i in lead.get("/api/v1/follow-ups?scope=all").get_json()["items"]] == [follow_up_id]
    assert agent.get("/api/v1/follow-ups?view=later").status_code == 400

    # 回访 is taken by recording the follow-up, never by hand: the ticket stays resolved and the record pending.
    by_hand = agent.post(f"/api/v1/tickets/{ticket_id}/transitions", json={"to": "follow_up"})
    assert by_hand.status_code == 409 and by_hand.get_json()["error"]["code"] == "follow_up_required"
    assert "follow_up" not in [t["key"] for t in agent.get(f"/api/v1/tickets/{ticket_id}").get_json()["transitions"]]
    with loop_app.app_context():
        assert (db.session.get(Ticket, ticket_id).status, follow_up_of(ticket_id).state) == ("resolved", "pending")

    url = f"/api/v1/follow-ups/{follow_up_id}/completion"
    bad = agent.post(url, json={"method": "fax", "outcome": "ok", "scores": {"quality": 9, "attitude": 3, "speed": 3}})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.get_json()["error"]["details"]} == {"method", "scores.quality"}
    assert agent.post(url, json={"method": "phone"}).get_json()["error"]["field"] == "outcome"
    assert agent.post(url, json={"method": "phone", "outcome": "x", "scores": {"quality": "five"}}).status_code == 422
    assert other.post(url, json={"method": "phone", "outcome": "x"}).status_code == 404
    done = agent.post(url, json={"method": "visit", "outcome": "上门查看，已修好",
                                 "scores": {"quality": 5, "attitude": 5, "speed": 4}, "comment": "谢谢"})
    assert done.status_code == 200 and done.get_json()["state"] == "done" and done.get_json()["method"] == "visit"
    assert agent.post(url, json={"method": "phone", "outcome": "again"}).status_code == 409
    assert [i["id"] for i in agent.get("/api/v1/follow-ups?view=done").get_json()["items"]] == [follow_up_id]
    with loop_app.app_context():
        assert db.session.get(Ticket, ticket_id).status == "closed"


def test_a_customer_reads_and_answers_their_own_survey_once(loop_app, people):
    mine = resolved(loop_app, people, customer="plain")
    theirs = resolved(loop_app, people, customer="vip")
    with loop_app.app_context():
        survey_id, their_survey = survey_of(mine).id, survey_of(theirs).id
    customer, agent = Api(loop_app, people.portal_user), Api(loop_app, people.agent)
    assert [s["id"] for s in customer.get(f"/api/v1/tickets/{mine}/surveys").get_json()] == [survey_id]
    assert customer.get(f"/api/v1/tickets/{theirs}/surveys").status_code == 404
    assert customer.get(f"/api/v1/surveys/{their_survey}").status_code == 404
    assert customer.post(f"/api/v1/surveys/{their_survey}/answer",
                         json={"scores": {"quality": 5, "attitude": 5, "speed": 5}}).status_code == 404
    assert customer.get("/api/v1/surveys/99999").status_code == 404
    assert customer.get("/api/v1/follow-ups").status_code == 403

    url = f"/api/v1/surveys/{survey_id}/answer"
    for scores, field in (({"quality": 0, "attitude": 3, "speed": 3}, "scores.quality"),
                          ({"quality": 3, "attitude": 6, "speed": 3}, "scores.attitude"),
                          ({"quality": 3, "attitude": 3}, "scores.speed")):
        refused = customer.post(url, json={"scores": scores})
        assert refused.status_code == 422 and refused.get_json()["error"]["field"] == field
    assert customer.post(url, json={"scores": {"quality": 3, "attitude": 3, "speed": 3}, "extra": 1}).status_code == 422
    assert agent.post(url, json={"scores": {"quality": 5, "attitude": 5, "speed": 5}}).status_code == 403
    answered = customer.post(url, json={"scores": {"quality": 4, "attitude": 5, "speed": 3}, "comment": "不错"})
    assert answered.status_code == 200
    body = answered.get_json()
    assert (body["state"], body["channel"], body["scores"]) == ("answered", "api", {"quality": 4, "attitude": 5, "speed": 3})
    again = customer.post(url, json={"scores": {"quality": 1, "attitude": 1, "speed": 1}})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "conflict"
    assert agent.get(f"/api/v1/surveys/{survey_id}").get_json()["comment"] == "不错"
