"""The customer-care pages: staff work through the greeting tasks and mark them done; the calendar shows a
month's birthdays and festivals; customer accounts never reach them; a protected customer's phone stays out."""
from datetime import date, datetime, timezone

from sqlalchemy import select

from core.care.service import generate_care_tasks
from core.extensions import db
from core.models import AuditLog, CareTask, Customer
from tests.helpers import create_user, login, post_form


def _site(app):
    with app.app_context():
        db.session.add_all([Customer(name="王芳", grade="key", phone="13800138000", birthday=date(1985, 2, 16)),
                            Customer(name="保密客户", grade="key", phone="13900139000", birthday=date(1970, 2, 16),
                                     confidentiality="secret")])
        db.session.commit()
        generate_care_tasks(datetime(2026, 2, 14, 2, tzinfo=timezone.utc))  # birthdays on the 16th, 春节 on the 17th
    create_user(app, "agent@example.cn", "agent")
    client = app.test_client()
    login(client, "agent@example.cn")
    return client


def test_staff_work_through_the_tasks_and_mark_them_done(app):
    agent = _site(app)
    page = agent.get("/desk/care/").get_data(as_text=True)
    assert page.count("生日") >= 2 and "王芳" in page and "13800138000" in page
    assert "13900139000" not in page  # a protected record's phone is not shown in the task list
    with app.app_context():
        task_id = db.session.scalar(select(CareTask.id).join(Customer).where(Customer.name == "王芳",
                                                                           CareTask.kind == "birthday"))
    done = post_form(agent, f"/desk/care/tasks/{task_id}/done", {"outcome": "电话祝福，客户很高兴"},
                     form_url="/desk/care/")
    assert done.status_code == 302
    again = post_form(agent, f"/desk/care/tasks/{task_id}/done", {}, form_url="/desk/care/")
    assert again.status_code == 302 and "此任务已完成" in agent.get("/desk/care/").get_data(as_text=True)
    with app.app_context():
        task = db.session.get(CareTask, task_id)
        assert task.done_at is not None and task.outcome == "电话祝福，客户很高兴"
        assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "care.done")) == "care.done"
    assert "电话祝福" in agent.get("/desk/care/?state=done").get_data(as_text=True)
    assert post_form(agent, "/desk/care/tasks/99999/done", {}, form_url="/desk/care/").status_code == 404


def test_the_calendar_shows_the_month_s_birthdays_and_festivals(app):
    agent = _site(app)
    page = agent.get("/desk/care/calendar?month=2026-02").get_data(as_text=True).split('class="agenda"')[1]
    assert "春节" in page and "02-17" in page and "王芳" in page and "02-16" in page
    assert "元宵节" not in page  # 3 March
    march = agent.get("/desk/care/calendar?month=2026-03").get_data(as_text=True).split('class="agenda"')[1]
    assert "元宵节" in march and "03-03" in march
    assert agent.get("/desk/care/calendar?month=bad").status_code == 200  # this month instead


def test_customer_accounts_and_roles_without_care_are_refused(app):
    _site(app)
    create_user(app, "c@example.cn", "customer", kind="customer")
    create_user(app, "quality@example.cn", "quality")
    for email in ("c@example.cn", "quality@example.cn"):
        client = app.test_client()
        login(client, email)
        for path in ("/desk/care/", "/desk/care/calendar"):
            assert client.get(path).status_code == 403, (email, path)
