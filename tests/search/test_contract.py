"""The search contract, run against both backends (Whoosh and PostgreSQL): what is found, by whom, in
which order, and that every change reaches the index."""
import os
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from core.customers.service import update_customer
from core.extensions import db
from core.kb.service import create_article, update_article
from core.models import Customer, KbArticle, Team, Ticket, User
from core.search.analysis import contains
from core.search.query import QueryError
from core.search.service import search
from core.tickets.assignment import assign
from core.tickets.relations import merge, set_tags
from core.tickets.service import add_comment, create_ticket, update_ticket
from tests.search.test_analysis import SEED_SENTENCES, TICKETS

CORPUS = [line for line in (TICKETS + SEED_SENTENCES).splitlines() if line.strip()]


def user(user_id):
    return db.session.get(User, user_id)


def ids(app, user_id, text, **options):
    with app.app_context():
        results = search(user(user_id), text, per_page=50, **options)
        return [hit.object.id for hit in results.hits]


def titles(app, user_id, text, **options):
    with app.app_context():
        return [hit.object.title for hit in search(user(user_id), text, per_page=50, **options).hits]


def new_ticket(title, body="", **kwargs):
    ticket = create_ticket(type_key=kwargs.pop("type_key", "inquiry"), title=title, body=body, **kwargs)
    db.session.commit()
    return ticket


@pytest.fixture
def corpus(search_app, people):
    """One ticket per sentence of the Chinese corpus (the seed documents and tickets written for them)."""
    with search_app.app_context():
        tickets = {create_ticket(type_key="inquiry", title=sentence[:60], body=sentence): sentence for sentence in CORPUS}
        db.session.commit()  # one transaction: indexed in one go
        return {ticket.id: sentence for ticket, sentence in tickets.items()}


@pytest.mark.parametrize("text", ["漏水", "账单金额", "包裹破损", "大客户", "报修", "传菜", "保密", "客户投诉",
                                  "服务质量", "WiFi密码", "router-x200", "SF1234567890", "水"])
def test_recall_on_the_chinese_corpus(search_app, people, corpus, text):
    expected = {ticket_id for ticket_id, sentence in corpus.items() if contains(sentence, text)}
    assert expected
    found = ids(search_app, people.manager, text)
    assert set(found) == expected or (len(found) == 50 and set(found) <= expected)


def test_every_substring_of_the_corpus_is_found(search_app, people, corpus):
    import re

    runs = [run for sentence in CORPUS for run in re.findall(r"[\u4e00-\u9fff]{4,}", sentence)]
    for n in (2, 3, 4):
        for run in runs[::23]:
            text = run[:n]
            expected = {i for i, sentence in corpus.items() if text in sentence}
            found = set(ids(search_app, people.manager, f'"{text}"'))
            assert found == expected or len(found) == 50, text


def test_phrases_keep_the_order_and_words_do_not(search_app, people):
    with search_app.app_context():
        adjacent = new_ticket("快递问题", "收到快递时包裹破损，里面的杯子碎了").id
        apart = new_ticket("包裹签收", "包裹已签收，但外箱有些破损").id
    assert ids(search_app, people.manager, '"包裹破损"') == [adjacent]
    assert set(ids(search_app, people.manager, "包裹 破损")) == {adjacent, apart}
    assert ids(search_app, people.manager, "“包裹 破损”") == [adjacent]  # Chinese quotes, a space inside


def test_english_is_case_folded_and_full_width_is_normalised(search_app, people):
    with search_app.app_context():
        ticket = new_ticket("无法连接网络", "路由器型号 Router-X200，WiFi密码错误").id
    for text in ("router", "ROUTER-x200", "Ｒｏｕｔｅｒ", "wifi密码", '"WiFi 密码"'):
        assert ids(search_app, people.manager, text) == [ticket], text
    assert ids(search_app, people.manager, "rout") == []  # Latin words match whole


def test_a_title_match_ranks_first_and_date_order_is_newest_first(search_app, people):
    old = datetime(2026, 1, 5, 2, tzinfo=UTC)
    with search_app.app_context():
        in_body = new_ticket("楼上的问题", "卫生间漏水，天花板发霉", now=old).id
        in_title = new_ticket("厨房漏水", "请尽快上门", now=old - timedelta(days=3)).id
        newest = new_ticket("阳台积水", "空调外机漏水", now=old + timedelta(days=2)).id
    assert ids(search_app, people.manager, "漏水")[0] == in_title
    assert ids(search_app, people.manager, "漏水", sort="date") == [newest, in_body, in_title]


def test_pages(search_app, people):
    with search_app.app_context():
        made = [new_ticket(f"停水通知 {i}", "片区计划停水", now=datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=i)).id
                for i in range(7)]
        first = search(user(people.manager), "停水", sort="date", per_page=3)
        third = search(user(people.manager), "停水", sort="date", per_page=3, page=3)
    assert [hit.object.id for hit in first.hits] == made[::-1][:3] and first.total == 7 and first.has_next
    assert [hit.object.id for hit in third.hits] == [made[0]] and not third.has_next


def test_totals_count_every_hit_past_the_first_page_and_across_index_commits(search_app, people):
    """Hundreds of hits written in several commits, scored differently: the total is exact, for a user who sees
    everything and for one who sees only their team's (the index may skip what cannot reach the first page, but
    must still count it)."""
    with search_app.app_context():
        team_a, team_b = db.session.get(Team, people.team_a), db.session.get(Team, people.team_b)
        for batch in range(3):
            for i in range(100):
                create_ticket(type_key="inquiry", title=f"停电报修 {batch}-{i}", body="停电" * (1 + i % 7) + "，请尽快处理",
                              team=team_a if i % 4 == 0 else team_b)
            create_ticket(type_key="inquiry", title="咨询水费", body="水费账单")
            db.session.commit()
        everyone = search(user(people.manager), "停电")
        team = search(user(people.agent1), "停电")
        phrase = search(user(people.manager), "停电报修")
    assert (everyone.total, everyone.exact) == (300, True)
    assert (team.total, team.exact) == (75, True)
    assert phrase.total == 300


def test_field_filters(search_app, people):
    with search_app.app_context():
        agent1 = user(people.agent1)
        complaint = new_ticket("投诉快递员", "快递员态度差", type_key="complaint", customer=db.session.get(Customer, people.xu),
                               assignee=agent1, now=datetime(2026, 3, 2, 3, tzinfo=UTC))
        inquiry = new_ticket("咨询快递费用", "快递到上海多少钱", customer=db.session.get(Customer, people.li),
                             now=datetime(2026, 4, 10, 3, tzinfo=UTC))
        set_tags(complaint, ["加急", "VIP"], actor=agent1, now=datetime(2026, 3, 2, 4, tzinfo=UTC))
        db.session.commit()
        complaint, inquiry = complaint.id, inquiry.id
    manager = people.manager
    assert ids(search_app, manager, "快递 type:complaint") == [complaint]
    assert ids(search_app, manager, "快递 类型:投诉") == [complaint]
    assert set(ids(search_app, manager, "type:complaint,inquiry 快递")) == {complaint, inquiry}
    assert ids(search_app, manager, "status:new 快递", sort="date") == [inquiry, complaint]
    assert ids(search_app, manager, "快递 status:closed") == []
    assert ids(search_app, manager, "快递 状态：受理 tag:vip") == [complaint]
    assert ids(search_app, manager, "tag:加急") == [complaint]
    assert ids(search_app, manager, "assignee:agent1 快递") == [complaint]
    assert ids(search_app, manager, "assignee:张晓燕") == [complaint]
    assert ids(search_app, manager, "assignee:none 快递") == [inquiry]
    assert ids(search_app, people.agent1, "assignee:me") == [complaint]
    assert ids(search_app, manager, "customer:许天佑") == [complaint]
    assert ids(search_app, manager, "customer:13912345678") == [inquiry]
    assert ids(search_app, manager, "customer:顺丰") == [complaint]  # the customer's organisation
    assert ids(search_app, manager, "许天佑") == [complaint]  # customers' names are text too
    assert ids(search_app, manager, "快递 created:2026-03") == [complaint]
    assert ids(search_app, manager, "快递 created:>=2026-04-01") == [inquiry]
    assert ids(search_app, manager, "快递 created:2026-03-01..2026-03-31") == [complaint]
    # 2026-03-02 03:00 UTC is 11:00 in Shanghai; 2026-04-10 03:00 UTC on the 10th.
    assert ids(search_app, manager, "created:2026-04-10") == [inquiry]
    assert ids(search_app, manager, "快递 updated:<2026-03-01") == []


def test_plugin_search_fields(make_app, example, backend_name, request):
    from core.search import queue_reindex
    from tests.plugins import example_plugin

    url = request.getfixturevalue("postgres_url") if backend_name == "postgresql" else None
    app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"], SEARCH_BACKEND=backend_name,
                   **({"SQLALCHEMY_DATABASE_URI": url} if url else {}))
    from tests.helpers import create_user

    manager = create_user(app, "boss@example.cn", "manager")
    with app.app_context():
        chase = new_ticket("催菜", "等了半小时", type_key="example_chase", fields={"table": 8}).id
        new_ticket("催菜", "还没上菜", type_key="example_chase", fields={"table": 12})
    assert ids(app, manager, "table:8号台") == [chase]
    assert ids(app, manager, "台号:８号台") == [chase]  # by its label, full-width digits
    assert ids(app, manager, "8号台") == [chase]  # and as text
    with app.app_context():  # the excerpt shows the value that matched
        assert "<mark>8号台</mark>" in str(search(user(manager), "8号台").hits[0].excerpt)
    # The plugin's own data changes what extract returns: queue_reindex brings the index up to date.
    example_plugin.TABLE_NAMES[8] = "八号包间"
    try:
        assert ids(app, manager, "table:八号包间") == []
        with app.app_context():
            queue_reindex([chase])
            db.session.commit()
        assert ids(app, manager, "table:八号包间") == [chase]
    finally:
        example_plugin.TABLE_NAMES.clear()


def test_staff_see_what_they_may_open(search_app, people):
    with search_app.app_context():
        mine = new_ticket("漏水 一号", assignee=user(people.agent1)).id
        team_b = new_ticket("漏水 二号", team=db.session.get(Team, people.team_b)).id
        waiting = new_ticket("漏水 三号").id  # no team, no assignee: every agent's to dispatch
        for_agent2 = new_ticket("漏水 四号", assignee=user(people.agent2)).id
    assert set(ids(search_app, people.manager, "漏水")) == {mine, team_b, waiting, for_agent2}
    assert set(ids(search_app, people.agent1, "漏水")) == {mine, waiting}
    assert set(ids(search_app, people.agent2, "漏水")) == {team_b, waiting, for_agent2}
    with search_app.app_context():
        results = search(user(people.agent1), "漏水")
        assert results.total == 2  # counts never include hidden tickets


def test_what_a_reader_may_see_follows_each_change_to_the_index(search_app, people):
    """The index keeps a reader's visibility between searches: a ticket that becomes theirs is found and
    counted at once, one that leaves them is neither shown nor counted."""
    def total(text):
        with search_app.app_context():
            return search(user(people.agent1), text).total

    with search_app.app_context():
        mine = new_ticket("停气 一号", assignee=user(people.agent1)).id
        new_ticket("停气 二号", assignee=user(people.agent2))
    assert total("停气") == 1
    with search_app.app_context():
        later = new_ticket("停气 三号", assignee=user(people.agent1)).id
    assert set(ids(search_app, people.agent1, "停气")) == {mine, later} and total("停气") == 2
    with search_app.app_context():
        assign(db.session.get(Ticket, mine), actor=user(people.manager), assignee=user(people.agent2))
        db.session.commit()
    assert ids(search_app, people.agent1, "停气") == [later] and total("停气") == 1


def test_customers_find_only_their_own_and_never_notes(search_app, people):
    with search_app.app_context():
        xu, li = db.session.get(Customer, people.xu), db.session.get(Customer, people.li)
        own = new_ticket("家里漏水", "卫生间漏水", customer=xu)
        new_ticket("楼道漏水", "楼道天花板漏水", customer=li)
        add_comment(own, actor=user(people.agent1), body="内部：业主情绪激动，注意沟通", public=False)
        add_comment(own, actor=user(people.agent1), body="师傅明天上午上门维修", public=True)
        db.session.commit()
        own = own.id
    assert ids(search_app, people.xu_user, "漏水") == [own]
    assert ids(search_app, people.xu_user, "师傅") == [own]
    assert ids(search_app, people.xu_user, "情绪激动") == []  # an internal note
    assert ids(search_app, people.xu_user, "情绪") == []
    assert ids(search_app, people.agent1, "情绪激动") == [own]  # staff search notes
    assert ids(search_app, people.li_user, "卫生间") == []


def test_changes_reach_the_index(search_app, people):
    with search_app.app_context():
        ticket = new_ticket("燃气表不走字", "表不转了", customer=db.session.get(Customer, people.li))
        agent = user(people.agent1)
        add_comment(ticket, actor=agent, body="已联系抄表员核实", public=True)
        add_comment(ticket, actor=agent, body="可能是电池没电", public=False)
        update_ticket(ticket, actor=agent, changes={"title": "燃气表停止计数"})
        db.session.commit()
        update_customer(db.session.get(Customer, people.li), {"name": "李秀兰", "phone": "13700001111"})
        db.session.commit()
        ticket_id = ticket.id
    manager = people.manager
    assert ids(search_app, manager, "抄表员") == [ticket_id]
    assert ids(search_app, manager, "电池") == [ticket_id]
    assert ids(search_app, manager, "停止计数") == [ticket_id]
    assert ids(search_app, manager, "不走字") == []  # the old title is gone
    assert ids(search_app, manager, "李秀兰") == [ticket_id]
    assert ids(search_app, manager, "customer:13700001111") == [ticket_id]
    assert ids(search_app, manager, "customer:13912345678") == []
    with search_app.app_context():  # a ticket deleted with SQL: queue_reindex takes it out of the index
        from core.search import queue_reindex

        db.session.execute(delete(Ticket).where(Ticket.id == ticket_id))
        queue_reindex([ticket_id])
        db.session.commit()
    assert ids(search_app, manager, "抄表员") == []


def test_a_protected_customer_is_found_by_name_only(search_app, people):
    """The index is shared by every user: of a protected (保密) record only the name is in it."""
    with search_app.app_context():
        li = db.session.get(Customer, people.li)
        update_customer(li, {"phone": "13700002222"})
        ticket_id, customer_name = new_ticket("燃气表漏气", customer=li).id, li.name
    manager = people.manager
    assert ids(search_app, manager, "customer:13700002222") == [ticket_id]
    with search_app.app_context():
        db.session.get(Customer, people.li).confidentiality = "secret"
        db.session.commit()
    assert ids(search_app, manager, "customer:13700002222") == []
    assert ids(search_app, manager, "13700002222") == []
    assert ids(search_app, manager, f"customer:{customer_name}") == [ticket_id]
    with search_app.app_context():
        db.session.get(Customer, people.li).confidentiality = "normal"
        db.session.commit()
    assert ids(search_app, manager, "customer:13700002222") == [ticket_id]


def test_a_merged_ticket_is_found_in_the_ticket_it_went_into(search_app, people):
    with search_app.app_context():
        keep = new_ticket("小区停水", "三栋停水了", customer=db.session.get(Customer, people.xu))
        duplicate = new_ticket("又停水了", "五单元也没有水，水压为零", customer=db.session.get(Customer, people.xu))
        merge(duplicate, keep, actor=user(people.manager))
        db.session.commit()
        keep, duplicate = keep.id, duplicate.id
    assert ids(search_app, people.manager, "水压为零") == [keep]
    assert ids(search_app, people.xu_user, "水压为零") == [duplicate]  # customers see their own tickets


def test_knowledge_base_articles(search_app, people):
    with search_app.app_context():
        manager = user(people.manager)
        public = create_article(title="如何申请开具增值税发票", body="在个人中心提交开票申请，3个工作日内发送", actor=manager,
                                public=True)
        internal = create_article(title="发票系统故障处理", body="内部：重启开票服务", actor=manager)
        db.session.commit()
        public_id, internal_id = public.id, internal.id
    assert set(ids(search_app, people.agent1, "发票", scope="kb")) == {public_id, internal_id}
    assert ids(search_app, people.xu_user, "发票", scope="kb") == [public_id]
    assert ids(search_app, people.xu_user, "发票") == []  # articles are not tickets
    with search_app.app_context():
        article = db.session.get(KbArticle, public_id)
        update_article(article, actor=user(people.manager), expected_version=article.version,
                       body="在微信公众号提交开票申请")
        db.session.commit()
    assert ids(search_app, people.agent1, "微信公众号", scope="kb") == [public_id]
    assert ids(search_app, people.agent1, "个人中心", scope="kb") == []
    assert ids(search_app, people.agent1, "发票 status:open", scope="kb") == []


@pytest.mark.parametrize("text, code", [("", "empty"), ("   ", "empty"), ("！？。", "empty"), ('"漏水', "unbalanced_quote"),
                                        ("漏水 foo:bar", "unknown_field"), ("status:", "empty_value"),
                                        ("status:nope", "bad_value"), ("created:2026-13-01", "bad_value"),
                                        ("assignee:nobody@nowhere", "bad_value"), ("漏" * 501, "too_long")])
def test_bad_queries(search_app, people, text, code):
    with search_app.app_context():
        with pytest.raises(QueryError) as raised:
            search(user(people.manager), text)
    assert raised.value.code == code and raised.value.message


@pytest.fixture
def small_segments(monkeypatch):
    """Whoosh rebuilds in segments of 7 documents: the corpus makes many, in every process."""
    import core.search.backends.whoosh as whoosh

    monkeypatch.setattr(whoosh, "SEGMENT_DOCUMENTS", 7)


def segments(app):
    backend = app.extensions["kefu_search"].backend
    return len(backend._current_searcher().reader().leaf_readers()) if backend.name == "whoosh" else None


@pytest.mark.parametrize("processes", [1, 2])
def test_rebuild_gives_the_same_answers_and_keeps_changes_made_meanwhile(search_app, people, corpus,
                                                                         small_segments, processes):
    from core.search.indexer import pending, rebuild

    # The same tickets; those that score the same may come in another order (Whoosh: the index's).
    before = {text: set(ids(search_app, people.manager, text)) for text in ("账单金额", "包裹破损", "大客户", "传菜")}
    made = []

    def change_while_rebuilding(done, total):
        if not made:  # after the first batch: this change is not in what the rebuild has read
            made.append(new_ticket("新的漏水报修", "阳台漏水").id)
            assert ids(search_app, people.manager, "阳台漏水") == made  # the live index has it at once

    with search_app.app_context():
        assert rebuild(report=change_while_rebuilding, batch=10, processes=processes) == len(corpus)
        assert pending() == 0
    assert {text: set(ids(search_app, people.manager, text)) for text in before} == before
    assert ids(search_app, people.manager, "阳台漏水") == made  # and the rebuilt one too
    with search_app.app_context():  # a rebuilt index takes changes as the old one did
        ticket = db.session.get(Ticket, made[0])
        update_ticket(ticket, actor=user(people.manager), changes={"title": "阳台渗水"})
        db.session.commit()
    assert ids(search_app, people.manager, "渗水") == made and ids(search_app, people.manager, "漏水报修") == []
    if search_app.config["SEARCH_BACKEND"] == "whoosh":  # the changes' commits merged none of the rebuild's segments
        assert segments(search_app) >= len(corpus) // 7


def test_a_rebuild_whose_process_fails_leaves_the_live_index_as_it_was(search_app, people, corpus, monkeypatch):
    import core.search.indexer as indexer

    before = ids(search_app, people.manager, "账单金额")
    last = max(corpus)
    make = indexer.ticket_documents

    def failing(ticket_ids):  # in the second process only: the tickets are shared out in order
        if last in ticket_ids:
            raise RuntimeError("the database went away")
        return make(ticket_ids)

    monkeypatch.setattr(indexer, "ticket_documents", failing)
    with search_app.app_context():
        with pytest.raises(indexer.RebuildFailed, match="the database went away"):
            indexer.rebuild(batch=10, processes=2)
        assert not indexer.backend().building()
        assert indexer.progress() is None
    assert ids(search_app, people.manager, "账单金额") == before
    backend = search_app.extensions["kefu_search"].backend
    if backend.name == "whoosh":  # the new index's folder is gone; only the live one is left
        assert [name for name in os.listdir(backend.root) if name.startswith("index-")] == [
            os.path.basename(backend.live_folder())]


def test_kefu_reindex(search_app, people, corpus, small_segments):
    before = set(ids(search_app, people.manager, "包裹破损"))
    from core.search.cli import reindex_command

    result = search_app.test_cli_runner().invoke(reindex_command, ["--processes", "2"])
    assert result.exit_code == 0, result.output
    assert f"Indexed {len(corpus):,} tickets and articles ({search_app.config['SEARCH_BACKEND']})" in result.output
    assert set(ids(search_app, people.manager, "包裹破损")) == before
    refused = search_app.test_cli_runner().invoke(reindex_command, ["--processes", "0"])
    assert refused.exit_code == 2 and "--processes" in refused.output
