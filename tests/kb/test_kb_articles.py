"""The staff knowledge base through its HTTP routes: versions, stale edits, restore, visibility, categories,
permissions, sanitizing, search and the JSON the reply box uses."""
import re

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.kb import service
from core.models import KbArticle, KbArticleVersion, KbCategory
from tests.helpers import create_user, csrf_token, login, post_form

EDITOR = "editor@example.cn"
AGENT = "agent@example.cn"
CUSTOMER = "customer@example.cn"


@pytest.fixture
def editor(app, client):
    create_user(app, EDITOR, "supervisor", name="王主管", locale="en")  # messages checked in English
    login(client, EDITOR)
    return client


def signed_in(app, email, *roles, kind="staff"):
    create_user(app, email, *roles, kind=kind)
    other = app.test_client()
    login(other, email)
    return other


def create_article(client, title="如何开具发票？", body="<p>缴费成功后可在门户申请电子发票。</p>", public=False, category=0):
    data = {"title": title, "body": body, "category": str(category)}
    if public:
        data["public"] = "y"
    response = post_form(client, "/kb/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/kb/(\d+)$", response.headers["Location"]).group(1))


def edit_form(client, article_id):
    """The edit page's token and the version it carries, as a browser holds them while someone types."""
    page = client.get(f"/kb/{article_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    return csrf_token(client, f"/kb/{article_id}/edit"), next(v for v in version.groups() if v)


def save(client, article_id, form, **fields):
    token, version = form
    data = {"csrf_token": token, "version": version, "title": "如何开具发票？", "body": "正文", "category": "0",
            **fields}
    return client.post(f"/kb/{article_id}/edit", data={k: v for k, v in data.items() if v is not None})


def stored(app, article_id):
    with app.app_context():
        article = db.session.get(KbArticle, article_id)
        versions = db.session.scalars(select(KbArticleVersion).where(KbArticleVersion.article_id == article_id)
                                      .order_by(KbArticleVersion.version)).all()
        return ({"title": article.title, "body": article.body, "public": article.public, "version": article.version,
                 "category_id": article.category_id},
                [(v.version, v.title, v.body, v.public) for v in versions])


def test_a_supervisor_creates_an_article_which_is_version_1(app, editor):
    article_id = create_article(editor, public=True)
    article, versions = stored(app, article_id)
    assert article["version"] == 1 and article["public"] is True
    assert versions == [(1, "如何开具发票？", "<p>缴费成功后可在门户申请电子发票。</p>", True)]
    page = editor.get(f"/kb/{article_id}").get_data(as_text=True)
    assert "缴费成功后可在门户申请电子发票" in page and "王主管" in page


def test_each_save_is_a_new_version_and_old_versions_stay_readable(app, editor):
    article_id = create_article(editor)
    response = save(editor, article_id, edit_form(editor, article_id), body="第二版：发票一般在1个工作日内发送。")
    assert response.status_code == 302
    article, versions = stored(app, article_id)
    assert article["version"] == 2 and article["body"] == "第二版：发票一般在1个工作日内发送。"
    assert [v[0] for v in versions] == [1, 2]
    old = editor.get(f"/kb/{article_id}/versions/1").get_data(as_text=True)
    assert "缴费成功后可在门户申请电子发票" in old and "第二版" not in old
    assert "/restore" in old  # an editor may restore it
    assert editor.get(f"/kb/{article_id}/versions/9").status_code == 404


def test_saving_the_same_text_makes_no_new_version(app, editor):
    article_id = create_article(editor, body="<p>一行</p>\n<p>两行</p>")
    form = edit_form(editor, article_id)
    # The browser sends the textarea back with CRLF line breaks.
    response = save(editor, article_id, form, body="<p>一行</p>\r\n<p>两行</p>")
    assert response.status_code == 302
    assert stored(app, article_id)[0]["version"] == 1


def test_a_stale_edit_is_refused_and_overwrites_nothing(app, editor):
    article_id = create_article(editor)
    other = signed_in(app, "manager@example.cn", "manager")
    mine, theirs = edit_form(editor, article_id), edit_form(other, article_id)
    assert save(other, article_id, theirs, body="经理的修改").status_code == 302

    response = save(editor, article_id, mine, body="主管的修改")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nothing was saved" in page
    assert "主管的修改" in page and "经理的修改" in page  # the editor's text, next to the current version
    assert re.search(r'name="version"[^>]*value="2"|value="2"[^>]*name="version"', page)
    article, versions = stored(app, article_id)
    assert article["body"] == "经理的修改" and article["version"] == 2 and len(versions) == 2


def test_restore_copies_an_old_version_into_a_new_one_and_keeps_visibility(app, editor):
    article_id = create_article(editor, body="原文")
    save(editor, article_id, edit_form(editor, article_id), body="改错了", public="y")
    token = csrf_token(editor, f"/kb/{article_id}/versions/1")
    response = editor.post(f"/kb/{article_id}/versions/1/restore", data={"csrf_token": token, "version": "2"})
    assert response.status_code == 302
    article, versions = stored(app, article_id)
    assert article["body"] == "原文" and article["version"] == 3 and article["public"] is True
    assert versions[-1] == (3, "如何开具发票？", "原文", True)

    stale = editor.post(f"/kb/{article_id}/versions/2/restore", data={"csrf_token": token, "version": "2"})
    assert stale.status_code == 302
    assert stored(app, article_id)[0]["version"] == 3
    assert editor.post(f"/kb/{article_id}/versions/7/restore",
                       data={"csrf_token": token, "version": "3"}).status_code == 404


def test_publishing_and_withdrawing_are_versions_and_refuse_a_stale_page(app, editor):
    article_id = create_article(editor)
    token = csrf_token(editor, f"/kb/{article_id}")
    assert editor.post(f"/kb/{article_id}/visibility",
                       data={"csrf_token": token, "version": "1", "public": "1"}).status_code == 302
    assert stored(app, article_id)[0]["public"] is True
    # A second click on the page loaded before (version 1) changes nothing.
    editor.post(f"/kb/{article_id}/visibility", data={"csrf_token": token, "version": "1", "public": "0"})
    article, versions = stored(app, article_id)
    assert article["public"] is True and [v[3] for v in versions] == [False, True]
    assert editor.post(f"/kb/{article_id}/visibility",
                       data={"csrf_token": token, "version": "2", "public": "maybe"}).status_code == 400


def test_forms_without_a_csrf_token_change_nothing(app, editor):
    article_id = create_article(editor)
    assert editor.post("/kb/new", data={"title": "无令牌", "body": "x", "category": "0"}).status_code == 400
    assert editor.post(f"/kb/{article_id}/edit", data={"title": "无令牌", "body": "x", "category": "0",
                                                       "version": "1"}).status_code == 400
    assert editor.post(f"/kb/{article_id}/visibility", data={"version": "1", "public": "1"}).status_code == 400
    assert editor.post("/kb/categories", data={"name": "无令牌"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(KbArticle)) == 1
        assert db.session.scalar(select(func.count()).select_from(KbCategory)) == 0
    assert stored(app, article_id)[0]["version"] == 1


def test_agents_read_and_insert_but_cannot_edit(app, editor):
    article_id = create_article(editor)
    agent = signed_in(app, AGENT, "agent")
    assert agent.get("/kb/").status_code == 200
    page = agent.get(f"/kb/{article_id}").get_data(as_text=True)
    assert "如何开具发票" in page and f"/kb/{article_id}/edit" not in page
    assert agent.get(f"/kb/{article_id}/versions/1").status_code == 200
    assert agent.get(f"/kb/insert/{article_id}").status_code == 200
    assert agent.get("/kb/suggest?q=发票").status_code == 200
    for url in ("/kb/new", f"/kb/{article_id}/edit", "/kb/categories"):
        assert agent.get(url).status_code == 403, url
    token = csrf_token(agent, "/kb/")
    for url, data in ((f"/kb/{article_id}/edit", {"title": "篡改", "body": "篡改", "category": "0", "version": "1"}),
                      (f"/kb/{article_id}/visibility", {"version": "1", "public": "1"}),
                      (f"/kb/{article_id}/versions/1/restore", {"version": "1"}),
                      ("/kb/categories", {"name": "篡改"})):
        assert agent.post(url, data={"csrf_token": token, **data}).status_code == 403, url
    assert stored(app, article_id)[0] == {"title": "如何开具发票？", "body": "<p>缴费成功后可在门户申请电子发票。</p>",
                                          "public": False, "version": 1, "category_id": None}


def test_customers_and_visitors_cannot_open_the_staff_knowledge_base(app, editor):
    article_id = create_article(editor, public=True)
    customer = signed_in(app, CUSTOMER, "customer", kind="customer")
    urls = ("/kb/", f"/kb/{article_id}", f"/kb/{article_id}/versions/1", f"/kb/insert/{article_id}",
            "/kb/suggest?q=发票", "/kb/new", "/kb/categories")
    for url in urls:
        assert customer.get(url).status_code == 403, url
    visitor = app.test_client()
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url


XSS_BODY = ('<p onclick="alert(1)">报修请拨打热线</p><script>alert(1)</script><img src=x onerror="alert(2)">'
            '<a href="javascript:alert(3)">点我</a><a href="https://example.cn/help">帮助</a>'
            '<iframe src="https://evil.example"></iframe><p style="background:url(javascript:alert(4))">样式</p>')


def test_script_in_an_article_body_is_stripped_before_it_is_stored(app, editor):
    article_id = create_article(editor, title="<b>标题</b>", body=XSS_BODY)
    body = stored(app, article_id)[0]["body"]
    for bad in ("<script", "alert(", "onerror", "onclick", "javascript:", "<img", "<iframe", "style="):
        assert bad not in body.lower(), bad
    assert "报修请拨打热线" in body and 'href="https://example.cn/help"' in body and "点我" in body
    for url in (f"/kb/{article_id}", f"/kb/{article_id}/versions/1", f"/kb/insert/{article_id}"):
        page = editor.get(url).get_data(as_text=True)
        assert "alert(" not in page and "javascript:" not in page, url
    assert "&lt;b&gt;标题&lt;/b&gt;" in editor.get(f"/kb/{article_id}").get_data(as_text=True)

    response = save(editor, article_id, edit_form(editor, article_id), body=XSS_BODY + '<svg onload="alert(5)"></svg>')
    assert response.status_code == 302
    assert "alert(" not in stored(app, article_id)[0]["body"]


def test_a_body_that_is_only_script_is_refused(app, editor):
    response = post_form(editor, "/kb/new", {"title": "空文章", "body": "<script>alert(1)</script>", "category": "0"})
    assert response.status_code == 400
    assert "once unsafe content (such as scripts) is removed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(KbArticle)) == 0


def _search(client, query, **args):
    return client.get("/kb/", query_string={"q": query, **args}).get_data(as_text=True)


def test_search_finds_chinese_substrings_of_titles_and_text(app, editor):
    create_article(editor, title="如何开具增值税专用发票", body="<p>电子发票一般在1个工作日内发送到邮箱。</p>")
    create_article(editor, title="燃气表不走字怎么办", body="请检查阀门是否打开，然后拨打 WiFi 热线报修。")
    create_article(editor, title="服务时间", body="热线 7×24 小时受理，营业厅工作日 9:00–18:00。")
    assert "增值税专用发票" in _search(editor, "增值税")  # inside the title
    assert "增值税专用发票" in _search(editor, "工作日内发送")  # inside the text
    page = _search(editor, "工作日")
    assert "增值税专用发票" in page and "服务时间" in page and "燃气表" not in page
    assert "燃气表不走字" in _search(editor, "wifi")  # case-insensitive
    assert "燃气表不走字" in _search(editor, "阀门 报修")  # every word, anywhere
    assert "燃气表不走字" not in _search(editor, "阀门 发票")
    page = _search(editor, "%")
    assert "No articles match your search." in page  # LIKE wildcards are taken literally
    assert "服务时间" in _search(editor, "")


def test_search_within_a_category_and_category_management(app, editor):
    post_form(editor, "/kb/categories", {"name": "账单与发票", "position": "20"})
    post_form(editor, "/kb/categories", {"name": "报修与服务", "position": "10"})
    duplicate = post_form(editor, "/kb/categories", {"name": "账单与发票", "position": "5"})
    assert duplicate.status_code == 400
    with app.app_context():
        ids = {c.name: c.id for c in db.session.scalars(select(KbCategory).order_by(KbCategory.id))}
    assert list(ids) == ["账单与发票", "报修与服务"]
    billing = create_article(editor, title="如何查询账单", body="门户首页的账单查询。", category=ids["账单与发票"])
    create_article(editor, title="如何报修", body="拨打热线报修，也可查询进度。", category=ids["报修与服务"])
    page = editor.get("/kb/").get_data(as_text=True)
    assert page.index("报修与服务") < page.index("账单与发票")  # by position
    page = _search(editor, "查询", category=ids["账单与发票"])
    assert "如何查询账单" in page and "如何报修" not in page

    renamed = post_form(editor, f"/kb/categories/{ids['账单与发票']}", {"name": "账单、缴费与发票", "position": "30"},
                        form_url="/kb/categories")
    assert renamed.status_code == 302
    clash = post_form(editor, f"/kb/categories/{ids['账单与发票']}", {"name": "报修与服务", "position": "30"},
                      form_url="/kb/categories")
    assert clash.status_code == 400
    deleted = post_form(editor, f"/kb/categories/{ids['账单与发票']}/delete", {}, form_url="/kb/categories")
    assert deleted.status_code == 302
    article, _versions = stored(app, billing)
    assert article["category_id"] is None and article["version"] == 1
    assert "如何查询账单" in editor.get("/kb/").get_data(as_text=True)


def test_insert_gives_the_reply_box_title_text_and_html(app, editor):
    article_id = create_article(editor, title="服务时间", body="<p>热线 7×24 小时受理。</p><p>营业厅 9:00–18:00 &amp; 周末值班</p>")
    data = editor.get(f"/kb/insert/{article_id}").get_json()
    assert data == {"title": "服务时间", "text": "热线 7×24 小时受理。\n营业厅 9:00–18:00 & 周末值班",
                    "html": "<p>热线 7×24 小时受理。</p><p>营业厅 9:00–18:00 &amp; 周末值班</p>", "public": False}
    assert editor.get("/kb/insert/999").status_code == 404


def test_staff_suggestions_rank_title_matches_first_and_include_internal_articles(app, editor):
    in_text = create_article(editor, title="缴费方式", body="缴费后可以申请发票。", public=True)
    in_title = create_article(editor, title="发票开具", body="在门户申请电子发票。")
    for title in ("账单查询", "服务时间", "投诉流程"):
        create_article(editor, title=title, body="其他内容")
    data = editor.get("/kb/suggest", query_string={"q": "我想开发票怎么弄"}).get_json()
    assert [a["id"] for a in data["articles"]] == [in_title, in_text]
    first = data["articles"][0]
    assert first == {"id": in_title, "title": "发票开具", "excerpt": "在门户申请电子发票。", "public": False,
                     "url": f"/kb/{in_title}", "insert_url": f"/kb/insert/{in_title}"}
    for n in range(5):
        create_article(editor, title=f"发票问题{n}", body="发票")
    assert len(editor.get("/kb/suggest?q=发票").get_json()["articles"]) == 5
    assert editor.get("/kb/suggest?q=怎么办").get_json() == {"articles": []}
    assert editor.get("/kb/suggest").get_json() == {"articles": []}


def test_a_save_that_races_another_is_refused_at_the_update(app, editor):
    """Two saves can both pass the version check; the UPDATE of the later one then matches no row."""
    article_id = create_article(editor, body="原文")
    with app.app_context():
        article = db.session.get(KbArticle, article_id)
        with db.engine.begin() as other:  # another request saves first
            other.execute(KbArticle.__table__.update().where(KbArticle.id == article_id)
                          .values(body="别人的修改", version=2))
        with pytest.raises(service.StaleArticle):
            service.update_article(article, actor=None, expected_version=1, body="我的修改")
        db.session.rollback()
    assert stored(app, article_id)[0]["body"] == "别人的修改"
