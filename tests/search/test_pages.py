"""Search as people use it: the header box, the desk's and the portal's results pages, the API; bad queries
answer with a message (JSON for the API), never a 500."""
import pytest

from core.extensions import db
from core.kb.service import create_article
from core.models import Customer, User
from core.tickets.service import add_comment, create_ticket
from tests.helpers import create_user, login


@pytest.fixture
def site(app):
    """A manager, an agent of no team, a customer with a request, another customer's request, an article."""
    create_user(app, "boss@example.cn", "manager", name="李经理")
    create_user(app, "agent@example.cn", "agent", name="张晓燕")
    with app.app_context():
        xu = Customer(name="许天佑", phone="13800138000")
        li = Customer(name="李秀英", phone="13912345678")
        db.session.add_all([xu, li])
        db.session.flush()
        manager = db.session.scalar(db.select(User).where(User.email == "boss@example.cn"))
        own = create_ticket(type_key="fault", title="卫生间漏水", body="楼上漏水到我家，积水 <5厘米",
                            customer=xu, assignee=manager)
        add_comment(own, actor=manager, body="内部：业主情绪激动", public=False)
        create_ticket(type_key="fault", title="楼道漏水", body="楼道天花板漏水", customer=li, assignee=manager)
        create_article(title="漏水了怎么办", body="先关闭总阀门，再报修", actor=manager, public=True)
        db.session.commit()
        xu_id, own_id = xu.id, own.id
    create_user(app, "xu@example.cn", "customer", kind="customer", customer=None)
    with app.app_context():
        db.session.scalar(db.select(User).where(User.email == "xu@example.cn")).customer_id = xu_id
        db.session.commit()
    return {"own": own_id}


def signed_in(app, email):
    client = app.test_client()
    login(client, email)
    return client


def test_the_header_has_a_search_box_for_staff_and_for_customers(app, site):
    desk = signed_in(app, "boss@example.cn").get("/desk/").get_data(as_text=True)
    assert 'class="topsearch"' in desk and 'action="/desk/search"' in desk
    portal = signed_in(app, "xu@example.cn").get("/portal/").get_data(as_text=True)
    assert 'action="/portal/search"' in portal
    assert 'class="topsearch"' not in app.test_client().get("/login").get_data(as_text=True)


def test_the_desk_results_page(app, site):
    manager = signed_in(app, "boss@example.cn")
    page = manager.get("/desk/search?q=漏水").get_data(as_text=True)
    assert "<mark>漏水</mark>" in page and "共 2 条结果" in page
    assert f'href="/desk/tickets/{site["own"]}"' in page
    assert "<mark>漏水</mark>了怎么办" in page and 'href="/kb/' in page  # the knowledge base beside the tickets
    assert "积水 &lt;5厘米" in page  # excerpts are escaped text
    note = manager.get("/desk/search?q=情绪激动").get_data(as_text=True)
    assert "<mark>情绪激动</mark>" in note  # staff find notes
    english = manager.get("/desk/search?q=漏水&sort=date", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    assert signed_in(app, "agent@example.cn").get("/desk/search?q=情绪激动").get_data(as_text=True).count("hit-title") == 0


def test_the_portal_results_page_shows_only_the_customers_own(app, site):
    customer = signed_in(app, "xu@example.cn")
    page = customer.get("/portal/search?q=漏水").get_data(as_text=True)
    assert f'href="/portal/tickets/{site["own"]}"' in page and "楼道" not in page
    assert "<mark>漏水</mark>了怎么办" in page  # a public article
    note = customer.get("/portal/search?q=情绪激动").get_data(as_text=True)  # an internal note
    assert "hit-title" not in note and "没有找到结果" in note
    assert customer.get("/desk/search?q=漏水").status_code == 403


@pytest.mark.parametrize("query, message", [('"漏水', "引号没有闭合"), ("foo:bar", "未知的筛选条件 foo:"),
                                            ("status:nope", "未知的状态 nope"), ("漏" * 600, "最多 500 个字符"),
                                            ("！！", "请输入要搜索的内容")])
def test_bad_queries_on_the_page(app, site, query, message):
    response = signed_in(app, "boss@example.cn").get("/desk/search", query_string={"q": query})
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_empty_query_shows_the_form_and_the_help(app, site):
    response = signed_in(app, "boss@example.cn").get("/desk/search?q=")
    assert response.status_code == 200 and "搜索方法" in response.get_data(as_text=True)


@pytest.fixture
def token(app, site):
    with app.app_context():
        from core.auth.service import issue_token

        _row, value = issue_token(db.session.scalar(db.select(User).where(User.email == "boss@example.cn")), "t")
        db.session.commit()
        return value


def test_the_api(app, site, token):
    client, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/search?q=漏水&limit=1", headers=auth).get_json()
    assert body["total"] == 2 and body["total_exact"] and len(body["items"]) == 1 and body["next"]
    assert body["items"][0]["kind"] == "ticket" and "<mark>漏水</mark>" in body["items"][0]["title_html"]
    second = client.get(body["next"], headers=auth).get_json()
    assert len(second["items"]) == 1 and second["items"][0]["id"] != body["items"][0]["id"] and not second["next"]
    articles = client.get("/api/v1/search?q=总阀门&scope=kb", headers=auth).get_json()
    assert [item["title"] for item in articles["items"]] == ["漏水了怎么办"]


@pytest.mark.parametrize("query, code", [({"q": '"漏水'}, "unbalanced_quote"), ({"q": "foo:bar"}, "unknown_field"),
                                         ({"q": ""}, "empty"), ({"q": "漏" * 600}, "too_long"),
                                         ({"q": "漏水", "page": "x"}, "bad_request"), ({}, "bad_request"),
                                         ({"q": "漏水", "scope": "users"}, "bad_request")])
def test_bad_queries_through_the_api(app, site, token, query, code):
    response = app.test_client().get("/api/v1/search", query_string=query, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"] and error["field"] in ("q", "page", "scope")


def test_the_api_is_in_the_openapi_document(app, site, token):
    document = app.test_client().get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}).get_json()
    operation = document["paths"]["/api/v1/search"]["get"]
    assert set(operation["responses"]) >= {"200", "400", "503"}


def test_while_the_index_is_missing_a_search_says_so(app, site, token):
    import shutil

    backend = app.extensions["kefu_search"].backend
    shutil.rmtree(backend.root)
    page = signed_in(app, "boss@example.cn").get("/desk/search?q=漏水")
    assert page.status_code == 503 and "搜索索引正在建立" in page.get_data(as_text=True)
    api = app.test_client().get("/api/v1/search?q=漏水", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "search_unavailable"
    assert signed_in(app, "boss@example.cn").get("/desk/?queue=all").status_code == 200  # the rest works
