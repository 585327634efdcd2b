"""The knowledge base in the customer portal: public articles only, in lists, pages, search and the
suggestions shown while a customer types (deflection); internal articles answer 404 as if absent."""
import re

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import KbArticle
from tests.helpers import create_user, csrf_token, login, post_form


@pytest.fixture
def articles(app):
    """Two public answers and one internal rule, written by a supervisor through the staff pages."""
    create_user(app, "editor@example.cn", "supervisor")
    editor = app.test_client()
    login(editor, "editor@example.cn")
    post_form(editor, "/kb/categories", {"name": "账单与发票", "position": "10"})
    ids = {}
    for key, title, body, public in (
        ("invoice", "如何开具发票？", "<p>缴费成功后，在门户“发票开具”中申请电子发票。</p>", True),
        ("hours", "服务时间", "<p>客服热线 7×24 小时受理报修。</p>", True),
        ("internal", "投诉升级路径", "<p>一线客服 → 客服主管 → 客服经理。发票争议按重大投诉处理，内部机密。</p>", False),
    ):
        data = {"title": title, "body": body, "category": "1", **({"public": "y"} if public else {})}
        response = post_form(editor, "/kb/new", data)
        ids[key] = int(re.search(r"/kb/(\d+)$", response.headers["Location"]).group(1))
    return editor, ids


@pytest.fixture
def customer(app, client):
    create_user(app, "customer@example.cn", "customer", kind="customer")
    login(client, "customer@example.cn")
    return client


def test_customers_see_only_public_articles(app, articles, customer):
    _editor, ids = articles
    page = customer.get("/portal/kb/").get_data(as_text=True)
    assert "如何开具发票" in page and "服务时间" in page and "账单与发票" in page
    assert "投诉升级路径" not in page and f"/portal/kb/{ids['internal']}" not in page
    article = customer.get(f"/portal/kb/{ids['invoice']}").get_data(as_text=True)
    assert "在门户“发票开具”中申请电子发票" in article


def test_internal_and_guessed_articles_answer_404(app, articles, customer):
    _editor, ids = articles
    with app.app_context():
        highest = db.session.scalar(select(func.max(KbArticle.id)))
    public = {ids["invoice"], ids["hours"]}
    for article_id in range(1, highest + 5):
        expected = 200 if article_id in public else 404
        assert customer.get(f"/portal/kb/{article_id}").status_code == expected, article_id
    assert "内部机密" not in customer.get(f"/portal/kb/{ids['internal']}").get_data(as_text=True)


def test_portal_search_and_suggestions_never_show_internal_articles(app, articles, customer):
    _editor, ids = articles
    assert "投诉升级路径" not in customer.get("/portal/kb/?q=客服经理").get_data(as_text=True)
    assert "如何开具发票" in customer.get("/portal/kb/?q=电子发票").get_data(as_text=True)
    # Deflection: what a customer types as a ticket title finds the public answer, never the internal one.
    data = customer.get("/portal/kb/suggest", query_string={"q": "我想开发票怎么弄"}).get_json()
    assert [a["id"] for a in data["articles"]] == [ids["invoice"]]
    assert data["articles"][0] == {"id": ids["invoice"], "title": "如何开具发票？",
                                   "excerpt": "缴费成功后，在门户“发票开具”中申请电子发票。",
                                   "url": f"/portal/kb/{ids['invoice']}"}
    assert customer.get("/portal/kb/suggest?q=升级路径 一线").get_json() == {"articles": []}


def test_an_article_made_internal_leaves_the_portal(app, articles, customer):
    editor, ids = articles
    token = csrf_token(editor, f"/kb/{ids['invoice']}")
    editor.post(f"/kb/{ids['invoice']}/visibility", data={"csrf_token": token, "version": "1", "public": "0"})
    assert customer.get(f"/portal/kb/{ids['invoice']}").status_code == 404
    assert "如何开具发票" not in customer.get("/portal/kb/").get_data(as_text=True)
    assert customer.get("/portal/kb/suggest?q=开发票").get_json() == {"articles": []}


def test_the_portal_knowledge_base_needs_the_portal_permission(app, articles):
    _editor, ids = articles
    urls = ("/portal/kb/", f"/portal/kb/{ids['invoice']}", "/portal/kb/suggest?q=发票")
    visitor = app.test_client()
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    create_user(app, "agent@example.cn", "agent")
    agent = app.test_client()
    login(agent, "agent@example.cn")
    for url in urls:
        assert agent.get(url).status_code == 403, url
