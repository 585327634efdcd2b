"""The archive at the desk: creating and editing records with the site's grades, tags, birthday and level;
contacts; the list's search, filters and keyset pages; the full ticket history; problem-customer flags; merging
duplicates; the CSV import in the admin panel."""
import io

from sqlalchemy import func, select

from core.extensions import db
from core.models import (
    AuditLog,
    Customer,
    CustomerAccess,
    CustomerContact,
    CustomerFlag,
    CustomerGrade,
    Notification,
    Ticket,
    TicketEvent,
    User,
)
from tests.desk.conftest import make_ticket
from tests.helpers import csrf_token, post_form


def _customer(app, customer_id):
    with app.app_context():
        customer = db.session.get(Customer, customer_id)
        db.session.expunge(customer)
        return customer


def test_an_agent_creates_a_record_with_grade_tags_birthday_and_contacts(app, archive, as_user):
    agent = as_user("agent@example.cn")
    response = post_form(agent, "/desk/customers/new", {
        "name": "  陈 静 ", "kind": "person", "phone": "139 1234 5678", "email": "Chen.Jing@Example.cn",
        "grade": "key", "credit_grade": "A", "birthday": "1988-07-16", "tags": "老客户，VIP", "notes": "对噪音敏感",
        "confidentiality": "normal", "organisation_id": str(archive.secret)})
    assert response.status_code == 302
    with app.app_context():
        customer = db.session.scalar(select(Customer).where(Customer.name == "陈 静"))
        assert (customer.phone, customer.email, customer.grade, customer.credit_grade) == \
            ("13912345678", "Chen.Jing@example.cn", "key", "A")
        assert (customer.birthday.isoformat(), customer.birthday_md) == ("1988-07-16", 716)
        assert [tag.name for tag in customer.tags] == ["VIP", "老客户"]
        assert customer.organisation_id == archive.secret
        customer_id = customer.id
    page = f"/desk/customers/{customer_id}"
    assert post_form(agent, f"{page}/contacts", {"kind": "wechat", "value": "chenjing_88", "name": "陈静本人"},
                     form_url=page).status_code == 302
    bad = post_form(agent, f"{page}/contacts", {"kind": "wechat", "value": "88"}, form_url=page)
    assert bad.status_code == 400 and "微信号" in bad.get_data(as_text=True)
    shown = agent.get(page).get_data(as_text=True)
    assert "chenjing_88" in shown and "陈静本人" in shown and "重点客户" in shown and "A 级" in shown
    with app.app_context():
        contact_id = db.session.scalar(select(CustomerContact.id))
    assert post_form(agent, f"{page}/contacts/{contact_id}/delete", {}, form_url=page).status_code == 302
    assert "chenjing_88" not in agent.get(page).get_data(as_text=True)
    # The contact is searchable while it exists; the record by its phone.
    assert agent.get("/desk/customers/?q=1391234").get_data(as_text=True).count(f"/desk/customers/{customer_id}") >= 1


def test_bad_values_are_explained_and_nothing_is_saved(app, archive, as_user):
    agent = as_user("agent@example.cn")
    response = post_form(agent, "/desk/customers/new", {"name": "", "phone": "12345", "grade": "gold",
                                                        "birthday": "2999-01-01", "confidentiality": "secret"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("请填写", "手机号", "未知的等级", "生日须在"):
        assert message in page, message
    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id))) == 4
    # A level the agent has no clearance for is refused even when the rest is right.
    refused = post_form(agent, "/desk/customers/new", {"name": "某单位", "grade": "key", "confidentiality": "secret"})
    assert refused.status_code == 400 and "借阅权限" in refused.get_data(as_text=True)


def test_the_grades_are_the_site_s_own(app, archive, as_user):
    root = as_user("root@example.cn")
    created = post_form(root, "/admin/admin_customer_grades/new/", {"scheme": "grade", "key": "member",
                                                                     "label_zh": "会员客户", "label_en": "Member",
                                                                     "sort_order": "15"})
    assert created.status_code == 302
    agent = as_user("agent@example.cn")
    assert "会员客户" in agent.get("/desk/customers/new").get_data(as_text=True)
    assert post_form(agent, "/desk/customers/new", {"name": "会员甲", "grade": "member"}).status_code == 302
    with app.app_context():
        grade_id = db.session.scalar(select(CustomerGrade.id).where(CustomerGrade.key == "member"))
    deleted = post_form(root, "/admin/admin_customer_grades/delete/", {"id": str(grade_id)},
                        form_url="/admin/admin_customer_grades/")
    assert deleted.status_code == 302
    with app.app_context():
        assert db.session.get(CustomerGrade, grade_id) is not None  # still used by 会员甲


def test_the_list_filters_and_pages_by_keyset(app, archive, as_user):
    with app.app_context():
        db.session.add_all(Customer(name=f"客户{n:03d}", grade="ordinary") for n in range(60))
        db.session.commit()
    agent = as_user("agent@example.cn")
    first = agent.get("/desk/customers/?grade=ordinary").get_data(as_text=True)
    assert "客户000" in first and "客户049" in first and "客户050" not in first
    next_url = first.split('class="pager"><a class="button" href="')[1].split('"')[0].replace("&amp;", "&")
    second = agent.get(next_url).get_data(as_text=True)
    assert "客户050" in second and "客户059" in second and "客户049" not in second
    assert "60" in first  # the count
    assert agent.get("/desk/customers/?cursor=garbage").status_code == 400


def test_the_page_shows_the_ticket_history_the_user_may_open(app, archive, as_user):
    with app.app_context():
        lead = db.session.get(User, archive.lead)
        lead_id = lead.id
    mine = make_ticket(app, title="我处理的报修", customer=archive.normal, assignee=archive.agent)
    other = make_ticket(app, title="别组的投诉", customer=archive.normal, assignee=lead_id)
    agent_page = as_user("agent@example.cn").get(f"/desk/customers/{archive.normal}").get_data(as_text=True)
    assert "我处理的报修" in agent_page and "别组的投诉" not in agent_page
    assert "另有 1 张工单" in agent_page
    boss_page = as_user("boss@example.cn").get(f"/desk/customers/{archive.normal}").get_data(as_text=True)
    assert "我处理的报修" in boss_page and "别组的投诉" in boss_page
    assert f"/desk/tickets/{mine}" in boss_page and f"/desk/tickets/{other}" in boss_page


def test_a_problem_customer_is_proposed_by_an_agent_and_confirmed_by_a_supervisor(app, archive, as_user):
    page = f"/desk/customers/{archive.normal}"
    agent, lead = as_user("agent@example.cn"), as_user("lead@example.cn")
    assert post_form(agent, f"{page}/flag", {"reason": " "}, form_url=page).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(CustomerFlag.id))) == 0
    post_form(agent, f"{page}/flag", {"reason": "多次无理投诉并辱骂客服"}, form_url=page)
    with app.app_context():
        flag = db.session.scalar(select(CustomerFlag))
        assert (flag.state, flag.proposed_by_id) == ("proposed", archive.agent)
        told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "problem_customer_proposed"))
        assert archive.lead in set(told) and archive.agent not in set(told)
        flag_id = flag.id
    assert post_form(agent, f"{page}/flag/{flag_id}", {"decision": "confirm"}, form_url=page).status_code == 403
    assert "多次无理投诉" in lead.get(page).get_data(as_text=True)
    post_form(lead, f"{page}/flag/{flag_id}", {"decision": "confirm", "note": "核实录音属实"}, form_url=page)
    assert _customer(app, archive.normal).problem is True
    listing = agent.get("/desk/customers/?problem=1").get_data(as_text=True)
    assert "许天佑" in listing and "劣质客户" in listing
    post_form(lead, f"{page}/flag/lift", {"note": "客户已道歉"}, form_url=page)
    assert _customer(app, archive.normal).problem is False
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action).where(AuditLog.action.like("customer.flag_%"))
                                     .order_by(AuditLog.id)).all()
    assert actions == ["customer.flag_propose", "customer.flag_confirm", "customer.flag_lift"]


def test_a_supervisor_does_not_decide_their_own_proposal_and_a_refusal_is_recorded(app, archive, as_user):
    page = f"/desk/customers/{archive.normal}"
    lead, boss = as_user("lead@example.cn"), as_user("boss@example.cn")
    post_form(lead, f"{page}/flag", {"reason": "拖欠费用"}, form_url=page)
    with app.app_context():
        flag_id = db.session.scalar(select(CustomerFlag.id))
    post_form(lead, f"{page}/flag/{flag_id}", {"decision": "confirm"}, form_url=page)
    with app.app_context():
        assert db.session.get(CustomerFlag, flag_id).state == "proposed"
    post_form(boss, f"{page}/flag/{flag_id}", {"decision": "refuse", "note": "已结清"}, form_url=page)
    with app.app_context():
        flag = db.session.get(CustomerFlag, flag_id)
        assert (flag.state, flag.decided_by_id, flag.decision_note) == ("refused", archive.boss, "已结清")
    assert _customer(app, archive.normal).problem is False


def _duplicate(app, **values):
    with app.app_context():
        row = Customer(**{"name": "许天佑", "phone": "13811112222", "email": "xu.ty@example.cn", **values})
        db.session.add(row)
        db.session.commit()
        return row.id


def test_merging_moves_tickets_contacts_and_accounts_and_is_recorded(app, archive, as_user):
    duplicate = _duplicate(app, birthday=None, notes="来电登记时重复建档")
    ticket_id = make_ticket(app, title="重复档案的报修", customer=duplicate)
    with app.app_context():
        db.session.add(CustomerContact(customer_id=duplicate, kind="wechat", value="xu_tianyou"))
        account = db.session.get(User, archive.portal_user)
        account.customer_id = duplicate
        db.session.commit()
    lead = as_user("lead@example.cn")
    page = f"/desk/customers/{archive.normal}"
    assert post_form(lead, f"{page}/merge", {"other": f"#{duplicate}"}, form_url=page).status_code == 302
    with app.app_context():
        kept = db.session.get(Customer, archive.normal)
        assert db.session.get(Ticket, ticket_id).customer_id == archive.normal
        assert db.session.get(User, archive.portal_user).customer_id == archive.normal
        assert sorted((c.kind, c.value) for c in kept.contacts) == [
            ("email", "xu.ty@example.cn"), ("phone", "13811112222"), ("wechat", "xu_tianyou")]
        assert "来电登记时重复建档" in kept.notes
        assert db.session.get(Customer, duplicate).merged_into_id == archive.normal
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "customer.merge"))
        assert (entry.detail["merged"], entry.detail["tickets"], entry.detail["accounts"]) == (duplicate, 1, 1)
        event = db.session.scalar(select(TicketEvent).where(TicketEvent.kind == "customer_change"))
        assert event.data == {"from": duplicate, "to": archive.normal, "merge": True}
    # The old record's page leads to the kept one; the list no longer shows it.
    assert lead.get(f"/desk/customers/{duplicate}").headers["Location"] == page
    assert lead.get("/desk/customers/?q=13811112222").get_data(as_text=True).count("/desk/customers/") >= 1
    assert f"/desk/customers/{duplicate}\"" not in lead.get("/desk/customers/").get_data(as_text=True)
    # The portal account now sees the moved ticket.
    portal = as_user("c@example.cn")
    assert "重复档案的报修" in portal.get("/portal/").get_data(as_text=True)


def test_merging_refuses_itself_other_kinds_and_records_without_clearance(app, archive, as_user):
    organisation = _duplicate(app, name="万科物业", kind="organisation", phone=None, email=None)
    lead = as_user("lead@example.cn")
    page = f"/desk/customers/{archive.normal}"
    for other, message in ((archive.normal, "不能合并到自身"), (archive.secret, "无权借阅"), (99999, "没有这个编号"),
                           (organisation, "个人档案与单位档案不能合并")):
        response = post_form(lead, f"{page}/merge", {"other": str(other)}, form_url=page)
        assert response.status_code == 302
        assert message in lead.get(page).get_data(as_text=True), message
    assert post_form(as_user("agent@example.cn"), f"{page}/merge", {"other": "1"}, form_url=page).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id)).where(Customer.merged_into_id.is_not(None))) == 0


def test_merging_a_protected_duplicate_needs_a_reason_and_raises_the_level(app, archive, as_user):
    duplicate = _duplicate(app, confidentiality="confidential")
    boss = as_user("boss@example.cn")
    page = f"/desk/customers/{archive.normal}"
    post_form(boss, f"{page}/merge", {"other": str(duplicate)}, form_url=page)
    assert _customer(app, duplicate).merged_into_id is None
    post_form(boss, f"{page}/merge", {"other": str(duplicate), "reason": "同一客户重复建档"}, form_url=page)
    assert _customer(app, duplicate).merged_into_id == archive.normal
    assert _customer(app, archive.normal).confidentiality == "confidential"  # its details are now here
    with app.app_context():
        assert db.session.scalar(select(CustomerAccess.reason)) == "同一客户重复建档"


IMPORT = ("名称,类型,所属单位,电话,电子邮箱,客户等级,信用等级,生日,标签,密级,备注\n"
          "万科物业,单位,,0755-2222 3333,,战略客户,A,,物业,普通,\n"  # line 2: good
          "刘洋,个人,万科物业,13700001111,liu@example.cn,重点客户,,1990/3/8,\"业主,VIP\",,\n"  # line 3: good
          "张三,个人,,12345,,普通客户,,,,,\n"  # line 4: bad phone
          "李四,个人,不存在的公司,,,普通客户,,,,,\n"  # line 5: unknown organisation
          "王五,个人,,13800138000,,普通客户,,,,,\n"  # line 6: the phone of an existing record
          "赵六,个人,,,,金牌,,,,,\n")  # line 7: unknown grade


def _upload(client, data, **fields):
    page = "/admin/admin_customer_import/"
    token = csrf_token(client, page)
    return client.post(page, data={"csrf_token": token, "file": (io.BytesIO(data), "客户.csv"), **fields},
                       content_type="multipart/form-data")


def test_the_import_lists_every_bad_row_and_imports_nothing_until_the_file_is_clean(app, archive, as_user):
    root = as_user("root@example.cn")
    page = _upload(root, IMPORT.encode("gb18030")).get_data(as_text=True)
    for line, column in ((4, "电话"), (5, "所属单位"), (6, "电话"), (7, "客户等级")):
        assert f"<td>{line}</td><td>{column}</td>" in page, (line, column)
    with app.app_context():
        assert db.session.scalar(select(func.count(Customer.id))) == 4
    assert _upload(root, IMPORT.encode("gb18030"), good_rows_only="y").status_code == 200
    with app.app_context():
        liu = db.session.scalar(select(Customer).where(Customer.name == "刘洋"))
        assert (liu.organisation.name, liu.grade, liu.birthday.isoformat()) == ("万科物业", "key", "1990-03-08")
        assert sorted(tag.name for tag in liu.tags) == ["VIP", "业主"]
        assert db.session.scalar(select(func.count(Customer.id))) == 6


def test_an_export_imports_back_into_an_empty_archive(app, archive, as_user):
    exported = as_user("lead@example.cn").get("/desk/customers/export.csv").data
    with app.app_context():
        db.session.execute(Customer.__table__.update().values(phone=None, email=None))
        db.session.commit()
    report = _upload(as_user("root@example.cn"), exported).get_data(as_text=True)
    assert "共读取 1 行，导入 1 行" in report
