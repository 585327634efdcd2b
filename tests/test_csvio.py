"""CSV import and export (core.csvio) and the admin's upload page (core.admin.csv_import), on teams: the
encodings Excel writes, headers in either language, every bad row reported with its line and column, all or
nothing unless the good rows only are asked for, and files that are empty, binary or have a huge line."""
import io

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from core.admin.csv_import import CsvImportView
from core.csvio import CsvColumn, RowError, RowProblem, export_csv, import_csv
from core.extensions import db
from core.i18n import Label
from core.models import AuditLog, Team, User
from core.plugins import hookimpl
from tests.helpers import create_user, csrf_token, login


def _active(text):
    value = text.strip().lower()
    if value in ("是", "yes", "y", "1", "true"):
        return True
    if value in ("否", "no", "n", "0", "false"):
        return False
    raise ValueError("写“是”或“否”。")


def _members(text):
    number = int(text)  # "abc" raises ValueError with Python's own message
    if number < 0:
        raise ValueError("人数不能为负数。")
    return number


COLUMNS = (
    CsvColumn("name", Label(zh="名称", en="Name"), required=True),
    CsvColumn("description", Label(zh="说明", en="Description")),
    CsvColumn("active", Label(zh="启用", en="Active"), parse=_active),
    CsvColumn("members", Label(zh="人数", en="Members"), parse=_members),
    CsvColumn("supervisor", Label(zh="主管邮箱", en="Supervisor e-mail")),
)


def save_team(values, line):
    supervisor = None
    if values["supervisor"]:
        supervisor = db.session.scalar(select(User).where(User.email == values["supervisor"]))
        if supervisor is None:
            raise RowError("没有这个邮箱的员工。", column="supervisor")
    if db.session.scalar(select(Team.id).where(Team.name == values["name"])) is not None:
        raise RowError("同名小组已存在。", column="name")
    db.session.add(Team(name=values["name"], description=values["description"], supervisor=supervisor,
                        active=True if values["active"] is None else values["active"]))


def _import(app, data, **kwargs):
    with app.test_request_context(), force_locale("en"):
        report = import_csv(io.BytesIO(data), COLUMNS, save_team, **kwargs)
        db.session.commit()
        names = db.session.scalars(select(Team.name).order_by(Team.id)).all()
    return report, names


GOOD = "名称,说明,启用\r\n投诉处理组,处理投诉,是\r\n报修组,\"上门维修，\r\n含水电\",否\r\n"


@pytest.mark.parametrize("encoded", [
    GOOD.encode("utf-8"),
    b"\xef\xbb\xbf" + GOOD.encode("utf-8"),  # Excel's "CSV UTF-8"
    GOOD.encode("gb18030"),  # Excel's plain CSV on a Chinese Windows (GBK is a part of GB18030)
], ids=["utf-8", "utf-8 with BOM", "gb18030"])
def test_the_encodings_excel_writes_import_the_same(app, encoded):
    report, names = _import(app, encoded)
    assert (report.total, report.imported, report.problems) == (2, 2, [])
    assert names == ["投诉处理组", "报修组"]
    with app.app_context():
        repair = db.session.scalar(select(Team).where(Team.name == "报修组"))
        assert (repair.description, repair.active) == ("上门维修，\r\n含水电", False)


def test_headers_match_by_key_or_by_either_language_whatever_the_case_and_spacing(app):
    report, names = _import(app, " NAME ,description,  Active\nA组,,yes\nB组,说明,no\n".encode())
    assert (report.imported, report.problems) == (2, [])
    assert names == ["A组", "B组"]


def test_a_missing_required_column_imports_nothing_and_says_which(app):
    report, names = _import(app, "说明,启用\n处理投诉,是\n".encode())
    assert report.problems == [RowProblem(1, "Name", "This required column is missing.")]
    assert (report.total, report.imported, names) == (0, 0, [])


def test_unknown_and_repeated_columns_are_named(app):
    report, _names = _import(app, "名称,电话,Name\nA组,123,A组\n".encode())
    assert [(p.line, p.column) for p in report.problems] == [(1, "电话"), (1, "Name")]
    assert "Name, Description" in report.problems[0].message  # the message lists the columns there are
    assert report.problems[1].message == "This column appears twice."


BAD = ("名称,启用,人数,主管邮箱\n"
       "一组,是,3,\n"  # line 2: good
       "二组,也许,-1,\n"  # line 3: two bad cells
       ",是,2,\n"  # line 4: the required name is empty
       "三组,否,abc,\n"  # line 5: not a number
       "四组,是,1,nobody@example.cn\n"  # line 6: refused by save_row, for one column
       "五组,否,0,\n")  # line 7: good


def test_every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_imported(app):
    report, names = _import(app, BAD.encode())
    assert [(p.line, p.column) for p in report.problems] == [(3, "启用"), (3, "人数"), (4, "名称"), (5, "人数"),
                                                             (6, "主管邮箱")]
    messages = [p.message for p in report.problems]
    assert messages[:3] == ["写“是”或“否”。", "人数不能为负数。", "A value is required."]
    assert "abc" in messages[3] and messages[4] == "没有这个邮箱的员工。"
    assert (report.total, report.imported, names) == (6, 0, [])


def test_the_good_rows_only_are_imported_when_asked(app):
    report, names = _import(app, BAD.encode(), good_rows_only=True)
    assert (report.total, report.imported, len(report.problems)) == (6, 2, 5)
    assert names == ["一组", "五组"]


def test_a_row_refused_after_it_added_rows_leaves_nothing_behind(app):
    """save_row's own adds are rolled back with its row: a duplicate in the file is found at the second copy."""
    report, names = _import(app, "名称\n一组\n二组\n一组\n".encode(), good_rows_only=True)
    assert report.problems == [RowProblem(4, "名称", "同名小组已存在。")]
    assert names == ["一组", "二组"]


def test_a_database_conflict_in_one_row_is_reported_for_that_row(app):
    def save_without_checking(values, line):
        db.session.add(Team(name=values["name"]))

    with app.test_request_context(), force_locale("en"):
        report = import_csv(io.BytesIO("名称\n一组\n一组\n二组\n".encode()), COLUMNS, save_without_checking,
                            good_rows_only=True)
        db.session.commit()
        assert db.session.scalars(select(Team.name).order_by(Team.id)).all() == ["一组", "二组"]
    assert [(p.line, p.column) for p in report.problems] == [(3, None)]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"\xef\xbb\xbf", "The file is empty."),
    (b"\r\n  \r\n,,\r\n", "The file is empty."),
    ("名称,说明\r\n,,\r\n".encode(), "The file has a header but no rows."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xff\xfe\xfd", "The file is not text in UTF-8 or GB18030"),
], ids=["no bytes", "only a BOM", "only blank rows", "only the header", "an image"])
def test_files_without_rows_say_so(app, data, message):
    report, names = _import(app, data)
    assert len(report.problems) == 1 and report.problems[0].message.startswith(message)
    assert (report.imported, names) == (0, [])


def test_a_huge_line_or_a_broken_quote_is_one_problem_and_the_other_rows_still_count(app):
    data = ("名称,说明\n一组,短\n二组," + "长" * 200_000 + "\n三组,好\n四组,\"x\"y\n五组,\"没有结束\n").encode()
    report, names = _import(app, data, good_rows_only=True)
    assert [p.line for p in report.problems] == [3, 5, 6]
    assert all(p.column is None and "cannot be read" in p.message for p in report.problems)
    assert names == ["一组", "三组"]


def test_line_numbers_follow_the_file_through_cells_with_line_breaks_and_blank_rows(app):
    data = "\n名称,人数\n\"一组\n第二行\",1\n\n二组,x\n".encode()
    report, _names = _import(app, data)
    assert [(p.line, p.column) for p in report.problems] == [(6, "人数")]


def test_cells_beyond_the_header_are_a_problem(app):
    report, _names = _import(app, "名称\n一组,多余\n二组,,\n".encode())
    assert [(p.line, p.column) for p in report.problems] == [(2, None)]


def _download(app, rows, locale="zh"):
    with app.test_request_context(), force_locale(locale):
        response = export_csv(COLUMNS, rows, filename="小组.csv")
        data = b"".join(response.response)
    return response, data


def test_an_export_is_utf8_with_a_bom_headers_in_the_language_and_formulas_defused(app):
    rows = [{"name": "一组", "description": "=HYPERLINK(\"http://x\")", "active": True, "members": 3},
            {"name": "+86 热线组", "description": None, "active": False, "members": None, "supervisor": "@lead"}]
    response, data = _download(app, rows)
    assert response.mimetype == "text/csv"
    assert "filename*=UTF-8''%E5%B0%8F%E7%BB%84.csv" in response.headers["Content-Disposition"]
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "名称,说明,启用,人数,主管邮箱", "一组,\"'=HYPERLINK(\"\"http://x\"\")\",1,3,", "'+86 热线组,,0,,'@lead", ""]
    _response, english = _download(app, [], locale="en")
    assert english.decode("utf-8-sig") == "Name,Description,Active,Members,Supervisor e-mail\r\n"


def test_an_exported_file_imports_back_unchanged(app):
    rows = [{"name": "=1+1", "description": "-负号开头", "active": False}, {"name": "二组", "description": "说明"}]
    _response, data = _download(app, rows, locale="en")
    report, names = _import(app, data)
    assert (report.imported, report.problems) == (2, [])
    assert names == ["=1+1", "二组"]
    with app.app_context():
        assert db.session.scalar(select(Team.description).where(Team.name == "=1+1")) == "-负号开头"


# The upload page, mounted by a plugin as every plugin's import is ------------------------------------------


class TeamImportPlugin:
    @hookimpl
    def kefu_admin_views(self, admin, db):
        return [CsvImportView(name="导入小组", category="测试", columns=COLUMNS, save_row=save_team,
                              endpoint="test_team_import")]


@pytest.fixture
def import_app(make_app):
    app = make_app(EXTRA_PLUGINS=[("teams", TeamImportPlugin())], PLUGINS=["teams"])
    create_user(app, "root@example.cn", "admin")
    create_user(app, "lead@example.cn", "supervisor")
    return app


PAGE = "/admin/test_team_import/"


def _upload(client, data, **fields):
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, "file": (io.BytesIO(data), "小组.csv"), **fields},
                       content_type="multipart/form-data")


def test_the_upload_page_lists_every_problem_and_imports_nothing(import_app):
    client = import_app.test_client()
    login(client, "root@example.cn")
    response = _upload(client, BAD.encode("gb18030"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "未导入任何数据" in page
    table = page.split("data-import-problems")[1]
    for line, column in ((3, "启用"), (4, "名称"), (5, "人数"), (6, "主管邮箱")):
        assert f"<td>{line}</td><td>{column}</td>" in table
    with import_app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == 0
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "csv.import")) is None


def test_the_upload_page_imports_the_good_rows_when_asked_and_audits_it(import_app):
    client = import_app.test_client()
    login(client, "root@example.cn")
    response = _upload(client, BAD.replace("nobody@", "lead@").encode(), good_rows_only="y")
    assert response.status_code == 200
    with import_app.app_context():
        assert db.session.scalars(select(Team.name).order_by(Team.id)).all() == ["一组", "四组", "五组"]
        assert db.session.scalar(select(Team.supervisor_id).where(Team.name == "四组")) is not None
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "csv.import"))
        assert (entry.actor.email, entry.detail["imported"], entry.detail["problems"]) == ("root@example.cn", 3, 4)


def test_the_upload_page_needs_its_permission_a_file_and_the_csrf_token(import_app):
    agent = import_app.test_client()
    create_user(import_app, "agent@example.cn", "agent")
    login(agent, "agent@example.cn")
    assert agent.get(PAGE).status_code == 403
    client = import_app.test_client()
    login(client, "root@example.cn")
    no_token = client.post(PAGE, data={"file": (io.BytesIO(GOOD.encode()), "a.csv")},
                           content_type="multipart/form-data")
    assert no_token.status_code == 400
    no_file = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE)}, content_type="multipart/form-data")
    assert no_file.status_code == 400
    with import_app.app_context():
        assert db.session.scalar(select(func.count(Team.id))) == 0
    template = client.get(PAGE + "template.csv")
    assert template.data.decode("utf-8-sig").startswith("名称,说明,启用,人数,主管邮箱")
