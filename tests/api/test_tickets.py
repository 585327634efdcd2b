"""Tickets through the API: every endpoint's happy path, every error code, access and isolation rules."""
from sqlalchemy import text

from core.extensions import db
from core.models import Ticket
from tests.api.conftest import Api, make_ticket

TICKETS = "/api/v1/tickets"


def error_of(response):
    return response.get_json()["error"]


def test_an_agent_creates_reads_and_lists_a_ticket_with_its_own_fields(site):
    agent = site["agent"]
    created = agent.post(TICKETS, json={"type": "dish_chase", "title": "8号台催菜", "body": "点菜二十分钟了",
                                        "fields": {"table": "8", "reason": "slow"}, "priority": "high",
                                        "channel": "phone", "customer_id": site["customers"][0]})
    assert created.status_code == 201
    ticket = created.get_json()
    assert created.headers["Location"] == f"{TICKETS}/{ticket['id']}"
    assert ticket["fields"] == {"table": 8, "reason": "slow"}
    assert (ticket["status"], ticket["priority"], ticket["channel"], ticket["version"]) == ("new", "high", "phone", 1)
    assert ticket["customer_id"] == site["customers"][0] and ticket["created_by_id"] == site["users"]["agent"]

    detail = agent.get(f"{TICKETS}/{ticket['id']}").get_json()
    assert [event["kind"] for event in detail["events"]] == ["created"]
    assert {step["key"] for step in detail["transitions"]} == {"triage", "reject"}  # "assign" needs ticket.assign
    listed = agent.get(TICKETS).get_json()
    assert [item["id"] for item in listed["items"]] == [ticket["id"]]
    assert (listed["count"], listed["count_capped"], listed["next"]) == (1, False, None)


def test_ticket_types_list_the_fields_and_customers_see_public_types_only(site):
    staff_types = {t["key"]: t for t in site["agent"].get("/api/v1/ticket-types").get_json()}
    customer_types = {t["key"] for t in site["customer"].get("/api/v1/ticket-types").get_json()}
    assert "service_request" in staff_types and "service_request" not in customer_types
    assert "dish_chase" in customer_types
    table = staff_types["dish_chase"]["fields"][0]
    assert (table["key"], table["type"], table["required"], table["label"]) == \
        ("table", "integer", True, {"zh": "台号", "en": "Table"})


def test_wrong_fields_are_422_naming_each_field(site):
    agent = site["agent"]
    response = agent.post(TICKETS, json={"type": "dish_chase", "title": " ", "fields": {"table": 500, "reason": "x"}})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert {detail["field"] for detail in error["details"]} == {"title", "fields.table", "fields.reason"}
    assert error["field"] in {"title", "fields.table", "fields.reason"}

    missing = error_of(agent.post(TICKETS, json={"type": "dish_chase", "title": "催菜"}))
    assert missing["field"] == "fields.table"
    shape = error_of(agent.post(TICKETS, json={"type": "dish_chase", "title": 5, "colour": "red"}))
    assert {detail["field"] for detail in shape["details"]} == {"title", "colour"}
    assert error_of(agent.post(TICKETS, json={"type": "nope", "title": "x"}))["field"] == "type"
    unknown = agent.post(TICKETS, json={"type": "dish_chase", "title": "x", "fields": {"table": 1, "seat": 2}})
    assert error_of(unknown)["field"] == "fields.seat"
    with site["app"].app_context():
        assert db.session.query(Ticket).count() == 0


def test_a_body_that_is_not_a_json_object_is_400(site):
    for payload, content_type in (("{not json", "application/json"), ("[1, 2]", "application/json"),
                                  ("", "application/json"), ('{"title": "x"}', "text/plain")):
        response = site["agent"].post(TICKETS, data=payload, content_type=content_type)
        assert response.status_code == 400, payload
        assert error_of(response)["code"] == "bad_request"


def test_without_a_valid_token_every_endpoint_is_a_json_401(site):
    client = site["app"].test_client()
    revoked = site["agent"]
    from core.auth.service import revoke_token
    from core.models import ApiToken

    with site["app"].app_context():
        row = db.session.query(ApiToken).filter_by(user_id=site["users"]["agent"]).one()
        revoke_token(row.user, row.id)
    for headers in ({}, {"Authorization": "Bearer kefu_wrong"}, {"Authorization": f"Bearer {revoked.token}"}):
        for method, path in (("GET", TICKETS), ("POST", TICKETS), ("GET", f"{TICKETS}/1"),
                             ("POST", f"{TICKETS}/1/transitions"), ("PATCH", "/api/v1/customers/1")):
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert error_of(response)["code"] == "unauthorized"


def test_permissions_are_those_of_the_desk_and_the_portal(site, api_for):
    ticket_id = make_ticket(site["app"], team_id=site["teams"][0], requester_id=site["users"]["customer"])
    inspector = api_for("qa@kefu.cn", "quality")  # sees every ticket, may not work on them
    assert inspector.get(f"{TICKETS}/{ticket_id}").status_code == 200
    for response in (inspector.post(f"{TICKETS}/{ticket_id}/replies", json={"body": "您好"}),
                     inspector.post(f"{TICKETS}/{ticket_id}/notes", json={"body": "备注"}),
                     inspector.patch(f"{TICKETS}/{ticket_id}", json={"version": 1, "title": "改"}),
                     inspector.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "triage"})):
        assert response.status_code == 403
        assert error_of(response)["code"] == "forbidden"

    customer = site["customer"]
    assert customer.post(f"{TICKETS}/{ticket_id}/notes", json={"body": "x"}).status_code == 403
    assert customer.patch(f"{TICKETS}/{ticket_id}", json={"version": 1, "title": "x"}).status_code == 403
    assert customer.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "triage"}).status_code == 403
    assert customer.get("/api/v1/customers").status_code == 403
    assert customer.get("/api/v1/users").status_code == 403
    staff_only = customer.post(TICKETS, json={"type": "inquiry", "title": "急", "priority": "urgent"})
    assert (staff_only.status_code, error_of(staff_only)["field"]) == (403, "priority")
    internal_type = customer.post(TICKETS, json={"type": "service_request", "title": "过户"})
    assert (internal_type.status_code, error_of(internal_type)["field"]) == (422, "type")

    nobody = api_for("new@kefu.cn")  # a staff account without any role
    assert nobody.get(TICKETS).status_code == 403
    assert nobody.post(TICKETS, json={"type": "inquiry", "title": "x"}).status_code == 403


def test_a_ticket_of_another_team_is_404_exactly_like_a_missing_one(site):
    hidden = make_ticket(site["app"], team_id=site["teams"][1])
    agent = site["agent"]
    missing = agent.get(f"{TICKETS}/99999")
    assert missing.status_code == 404
    for response in (agent.get(f"{TICKETS}/{hidden}"),
                     agent.patch(f"{TICKETS}/{hidden}", json={"version": 1, "title": "x"}),
                     agent.post(f"{TICKETS}/{hidden}/replies", json={"body": "x"}),
                     agent.post(f"{TICKETS}/{hidden}/notes", json={"body": "x"}),
                     agent.post(f"{TICKETS}/{hidden}/transitions", json={"to": "closed"})):
        assert response.status_code == 404
        assert response.get_json() == missing.get_json()
    assert site["other_agent"].get(f"{TICKETS}/{hidden}").status_code == 200
    assert hidden not in [item["id"] for item in agent.get(TICKETS).get_json()["items"]]


def test_customer_accounts_reach_their_own_tickets_only_whatever_id_they_guess(site):
    customer, other = site["customer"], site["other_customer"]
    own = customer.post(TICKETS, json={"type": "dish_chase", "title": "菜还没上", "fields": {"table": 3}}).get_json()
    assert (own["requester_id"], own["customer_id"], own["channel"]) == \
        (site["users"]["customer"], site["customers"][0], "api")
    theirs = other.post(TICKETS, json={"type": "inquiry", "title": "发票"}).get_json()
    staff_only = make_ticket(site["app"], team_id=site["teams"][0])
    for guess in range(1, staff_only + 5):
        expected = 200 if guess == own["id"] else 404
        assert customer.get(f"{TICKETS}/{guess}").status_code == expected, guess
    assert customer.post(f"{TICKETS}/{theirs['id']}/replies", json={"body": "看看"}).status_code == 404
    assert [item["id"] for item in customer.get(TICKETS).get_json()["items"]] == [own["id"]]
    assert customer.get(TICKETS, query_string={"customer": site["customers"][1]}).get_json()["items"] == []
    reply = customer.post(f"{TICKETS}/{own['id']}/replies", json={"body": "请快一点"})
    assert reply.status_code == 201 and reply.get_json()["public"] is True


def test_customers_never_see_internal_notes(site):
    ticket_id = make_ticket(site["app"], team_id=site["teams"][0], requester_id=site["users"]["customer"])
    agent = site["agent"]
    note = agent.post(f"{TICKETS}/{ticket_id}/notes", json={"body": "客户情绪激动，注意措辞"})
    assert note.status_code == 201 and note.get_json()["public"] is False
    agent.post(f"{TICKETS}/{ticket_id}/replies", json={"body": "已安排维修"})
    staff_view = [event["kind"] for event in agent.get(f"{TICKETS}/{ticket_id}").get_json()["events"]]
    customer_view = site["customer"].get(f"{TICKETS}/{ticket_id}").get_json()["events"]
    assert staff_view == ["created", "note", "reply"]
    assert [event["kind"] for event in customer_view] == ["created", "reply"]
    assert all(event["public"] for event in customer_view)


def test_replies_notes_and_ticket_bodies_are_stored_sanitized(site):
    agent = site["agent"]
    attack = '<p onclick="steal()">修好了</p><script>alert(1)</script><img src=x onerror=alert(2)>' \
             '<a href="javascript:alert(3)">看</a>'
    ticket = agent.post(TICKETS, json={"type": "inquiry", "title": "咨询", "body": attack}).get_json()
    reply = agent.post(f"{TICKETS}/{ticket['id']}/replies", json={"body": attack}).get_json()
    note = agent.post(f"{TICKETS}/{ticket['id']}/notes", json={"body": attack}).get_json()
    agent.post(f"{TICKETS}/{ticket['id']}/transitions", json={"to": "reject", "comment": attack})
    with site["app"].app_context():
        stored = db.session.scalars(text("SELECT body FROM ticket_event WHERE ticket_id = :id"),
                                    {"id": ticket["id"]}).all()
    assert len(stored) == 4
    for html in [*stored, ticket["body"], reply["body"], note["body"]]:
        assert "修好了" in html
        for bad in ("<script", "onerror", "onclick", "javascript:", "<img"):
            assert bad not in html


def test_transitions_by_state_or_key_and_an_illegal_one_is_409_with_the_allowed_steps(site, api_for):
    ticket_id = make_ticket(site["app"], team_id=site["teams"][0])
    agent = site["agent"]
    illegal = agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "closed"})
    assert illegal.status_code == 409
    error = error_of(illegal)
    assert (error["code"], error["field"]) == ("conflict", "to")
    assert {(step["key"], step["to"]) for step in error["allowed"]} == \
        {("triage", "triaged"), ("reject", "rejected"), ("assign", "assigned")}

    triaged = agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "triaged"})
    assert triaged.status_code == 200 and triaged.get_json()["status"] == "triaged"
    assert error_of(agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "assign"}))["code"] == "forbidden"
    assert error_of(agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "reject"}))["field"] == "comment"

    supervisor = api_for("boss@kefu.cn", "manager")
    needs_assignee = supervisor.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "assign"})
    assert (needs_assignee.status_code, error_of(needs_assignee)["field"]) == (422, "assignee_id")
    customer_account = supervisor.post(f"{TICKETS}/{ticket_id}/transitions",
                                       json={"to": "assign", "assignee_id": site["users"]["customer"]})
    assert error_of(customer_account)["field"] == "assignee_id"
    assigned = supervisor.post(f"{TICKETS}/{ticket_id}/transitions",
                               json={"to": "assign", "assignee_id": site["users"]["agent"]}).get_json()
    assert (assigned["status"], assigned["assignee_id"]) == ("assigned", site["users"]["agent"])
    stale = agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "start", "version": 1})
    assert (stale.status_code, error_of(stale)["code"]) == (409, "conflict")
    started = agent.post(f"{TICKETS}/{ticket_id}/transitions", json={"to": "start", "version": assigned["version"]})
    assert started.get_json()["status"] == "in_progress"


def test_patch_changes_fields_tags_and_assignee(site, api_for):
    supervisor = api_for("boss@kefu.cn", "supervisor")
    ticket = supervisor.post(TICKETS, json={"type": "dish_chase", "title": "催菜", "fields": {"table": 8}}).get_json()
    path = f"{TICKETS}/{ticket['id']}"
    changed = supervisor.patch(path, json={"version": ticket["version"], "priority": "urgent", "tags": ["加急", "VIP"],
                                           "fields": {"reason": "wrong"}, "assignee_id": site["users"]["agent"]})
    assert changed.status_code == 200
    ticket = changed.get_json()
    assert ticket["fields"] == {"table": 8, "reason": "wrong"}
    assert [ticket[key] for key in ("priority", "tags", "assignee_id")] == \
        ["urgent", ["VIP", "加急"], site["users"]["agent"]]

    for payload, field in (({"fields": {"table": 0}}, "fields.table"), ({"tags": ["<b>"]}, "tags"),
                           ({"assignee_id": site["users"]["customer"]}, "assignee_id"), ({"title": ""}, "title"),
                           ({"tags": "VIP"}, "tags"), ({"fields": {"seat": 1}}, "fields.seat")):
        refused = supervisor.patch(path, json={"version": ticket["version"], **payload})
        assert (refused.status_code, error_of(refused)["field"]) == (422, field), payload
    assert error_of(supervisor.patch(path, json={"title": "x"}))["field"] == "version"
    unchanged = supervisor.get(path).get_json()
    assert (unchanged["version"], unchanged["title"], unchanged["tags"]) == (ticket["version"], "催菜", ["VIP", "加急"])

    agent = site["agent"]  # agents may take an unassigned ticket, not hand one to someone else
    other = agent.post(TICKETS, json={"type": "inquiry", "title": "咨询"}).get_json()
    handed = agent.patch(f"{TICKETS}/{other['id']}", json={"version": 1, "assignee_id": site["users"]["other_agent"]})
    assert (handed.status_code, error_of(handed)["field"]) == (403, "assignee_id")
    taken = agent.patch(f"{TICKETS}/{other['id']}", json={"version": 1, "assignee_id": site["users"]["agent"]})
    assert taken.get_json()["assignee_id"] == site["users"]["agent"]


def test_the_second_of_two_editors_gets_409_and_nothing_is_overwritten(site):
    ticket_id = make_ticket(site["app"], team_id=site["teams"][0], title="水管漏水")
    first, second = site["agent"], Api(site["app"], site["users"]["agent"])  # two sessions of one account
    version = first.get(f"{TICKETS}/{ticket_id}").get_json()["version"]
    assert second.get(f"{TICKETS}/{ticket_id}").get_json()["version"] == version
    saved = first.patch(f"{TICKETS}/{ticket_id}", json={"version": version, "title": "3栋水管漏水"})
    assert saved.status_code == 200 and saved.get_json()["version"] == version + 1
    refused = second.patch(f"{TICKETS}/{ticket_id}", json={"version": version, "title": "别的标题", "tags": ["重复"],
                                                           "priority": "low"})
    assert refused.status_code == 409
    error = error_of(refused)
    assert (error["code"], error["field"]) == ("conflict", "version")
    current = first.get(f"{TICKETS}/{ticket_id}").get_json()
    assert (current["title"], current["tags"], current["priority"], current["version"]) == \
        ("3栋水管漏水", [], "normal", version + 1)


def test_a_concurrent_save_between_the_check_and_the_write_is_409(site, monkeypatch):
    """Both requests passed the version check; the database's version column refuses the later write."""
    import core.api.tickets as api_tickets

    ticket_id = make_ticket(site["app"], team_id=site["teams"][0], title="原标题")
    real_update = api_tickets.update_ticket

    def update_after_a_concurrent_save(ticket, **kwargs):
        with db.engine.begin() as other_connection:
            other_connection.execute(text("UPDATE ticket SET title = '别人的', version = version + 1 WHERE id = :id"),
                                     {"id": ticket.id})
        return real_update(ticket, **kwargs)

    monkeypatch.setattr(api_tickets, "update_ticket", update_after_a_concurrent_save)
    refused = site["agent"].patch(f"{TICKETS}/{ticket_id}", json={"version": 1, "title": "我的"})
    assert (refused.status_code, error_of(refused)["code"]) == (409, "conflict")
    with site["app"].app_context():
        assert db.session.get(Ticket, ticket_id).title == "别人的"


def test_pages_follow_next_without_duplicates_or_gaps(site):
    agent = site["agent"]
    made = {agent.post(TICKETS, json={"type": "inquiry", "title": f"第{n}件"}).get_json()["id"] for n in range(7)}
    seen, url, pages = [], f"{TICKETS}?limit=3&sort=created", 0
    while url:
        page = agent.get(url).get_json()
        assert page["count"] == 7
        seen += [item["id"] for item in page["items"]]
        url, pages = page["next"], pages + 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7 and set(seen) == made
    assert seen == sorted(seen, reverse=True)
    oldest_first = agent.get(TICKETS, query_string={"sort": "oldest", "limit": 50}).get_json()["items"]
    assert [item["id"] for item in oldest_first] == sorted(made)


def test_queues_and_filters(site):
    agent = site["agent"]
    urgent = agent.post(TICKETS, json={"type": "inquiry", "title": "急", "priority": "urgent"}).get_json()
    chase = agent.post(TICKETS, json={"type": "dish_chase", "title": "催菜", "fields": {"table": 2}}).get_json()
    agent.patch(f"{TICKETS}/{chase['id']}", json={"version": 1, "tags": ["VIP"], "assignee_id": site["users"]["agent"]})

    def ids(**params):
        response = agent.get(TICKETS, query_string=params)
        assert response.status_code == 200, response.get_json()
        return {item["id"] for item in response.get_json()["items"]}

    assert ids(priority="urgent") == {urgent["id"]}
    assert ids(priority="urgent,normal") == {urgent["id"], chase["id"]}
    assert ids(type="dish_chase") == ids(tag="VIP") == ids(queue="mine") == ids(assignee="me") == {chase["id"]}
    assert ids(queue="unassigned") == ids(assignee="none") == {urgent["id"]}
    assert ids(status="new", category="open", created_from="2000-01-01") == {urgent["id"], chase["id"]}
    assert ids(created_to="2000-01-01") == set()
    for params, field in (({"priority": "whenever"}, "priority"), ({"queue": "nope"}, "queue"),
                          ({"created_from": "yesterday"}, "created_from"), ({"colour": "red"}, "colour"),
                          ({"limit": "many"}, "limit"), ({"cursor": "%%%"}, "cursor")):
        response = agent.get(TICKETS, query_string=params)
        assert (response.status_code, error_of(response)["field"]) == (400, field), params
