"""Discovery through entry points, the site's on/off choice, blocking before import, broken plugins."""
import logging
import sys
import textwrap

import pytest
from sqlalchemy import select, text

from core import create_app, installed_plugins
from core.cli import cli
from core.extensions import db
from core.models import PluginSetting, Ticket
from core.tickets.service import create_ticket
from tests.helpers import create_user, login

FAKE_PLUGIN = '''
from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, RoleSpec

@hookimpl
def kefu_roles():
    return [RoleSpec("fake_officer", Label(zh="假插件专员", en="Fake officer"), "agent")]

@hookimpl
def kefu_nav_items(user):
    return [NavItem("fake", Label(zh="假插件", en="Fake"), "desk.index", "desk.access", order=60)]
'''


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """Install a throwaway distribution whose entry point declares a kefu plugin; removed afterwards."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(module_source, name="fake", module="kefu_fake_plugin"):
        package = site / module
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
        info = site / f"{module}-1.2.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.2\n")
        (info / "entry_points.txt").write_text(f"[kefu.plugins]\n{name} = {module}\n")
        return package

    yield install
    for name in [m for m in sys.modules if m.startswith("kefu_fake")]:
        del sys.modules[name]


def test_an_installed_plugin_is_found_through_its_entry_point_and_runs_when_enabled(make_app, installed):
    installed(FAKE_PLUGIN)
    app = make_app(PLUGINS=["fake"])
    info = app.extensions["kefu"].plugins["fake"]
    assert (info.state, info.version, info.source) == ("enabled", "1.2", "installed")
    assert "fake_officer" in app.extensions["kefu"].registry.roles


def test_a_disabled_plugin_is_blocked_before_it_is_imported(make_app, installed):
    installed(FAKE_PLUGIN + "\nraise RuntimeError('must never be imported while disabled')\n")
    app = make_app(PLUGINS=[])
    assert app.extensions["kefu"].plugins["fake"].state == "disabled"
    assert "kefu_fake_plugin" not in sys.modules
    assert app.extensions["kefu"].pm.is_blocked("fake")
    assert "fake_officer" not in app.extensions["kefu"].registry.roles


def test_a_plugin_that_fails_to_import_is_left_out_and_the_site_says_so(make_app, installed, caplog):
    installed("import no_such_module_for_kefu\n")
    with caplog.at_level(logging.ERROR, logger="kefu.plugins"):
        app = make_app(PLUGINS=["fake"])
    info = app.extensions["kefu"].plugins["fake"]
    assert info.state == "broken" and "No module named 'no_such_module_for_kefu'" in info.error
    lines = [r.getMessage() for r in caplog.records if r.name == "kefu.plugins"]
    assert lines == [f"plugin 'fake' was not loaded: {info.error}"]
    create_user(app, "root@example.cn", "admin")
    client = app.test_client()
    login(client, "root@example.cn")
    assert client.get("/healthz").status_code == 200
    for page in ("/admin/", "/admin/plugins/"):
        assert "no_such_module_for_kefu" in client.get(page).get_data(as_text=True)


def test_a_misspelled_hook_is_an_error_that_names_it(make_app, installed):
    installed(FAKE_PLUGIN.replace("def kefu_roles", "def kefu_rolez"))
    app = make_app(PLUGINS=["fake"])
    info = app.extensions["kefu"].plugins["fake"]
    assert info.state == "broken" and "kefu_rolez" in info.error


def test_a_hook_with_a_wrong_signature_is_an_error(make_app, installed):
    installed(FAKE_PLUGIN.replace("def kefu_nav_items(user)", "def kefu_nav_items(user, colour)"))
    info = make_app(PLUGINS=["fake"]).extensions["kefu"].plugins["fake"]
    assert info.state == "broken" and "colour" in info.error


def test_safe_mode_starts_with_every_plugin_off(make_app, installed, example):
    installed(FAKE_PLUGIN)
    app = make_app(PLUGINS=["fake", "example"], EXTRA_PLUGINS=[("example", example)], SAFE_MODE=True)
    assert app.extensions["kefu"].enabled_plugins == frozenset()
    assert "kefu_fake_plugin" not in sys.modules


def test_the_sites_choice_is_read_from_the_database_when_config_does_not_pin_it(make_app, installed):
    installed(FAKE_PLUGIN)
    app = make_app(PLUGINS=[])
    with app.app_context():
        db.session.add(PluginSetting(name="fake", enabled=True))
        db.session.commit()
    assert "fake" not in app.extensions["kefu"].enabled_plugins  # effective on restart only
    restarted = make_app(PLUGINS=None)
    assert "fake" in restarted.extensions["kefu"].enabled_plugins


def test_disabling_removes_every_trace_and_keeps_the_data(make_app, example):
    on = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
    create_user(on, "runner@example.cn", "example_runner")
    create_user(on, "root@example.cn", "admin")
    with on.app_context():
        ticket_id = create_ticket(type_key="example_chase", title="8号台催菜", fields={"table": 8}).id
        db.session.execute(text("INSERT INTO example_thing (name) VALUES ('保留的数据')"))
        db.session.commit()

    off = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=[])
    runner, admin = off.test_client(), off.test_client()
    login(runner, "runner@example.cn")
    login(admin, "root@example.cn")
    desk = runner.get("/desk/")
    assert desk.status_code == 403  # the role grants nothing while its plugin is off
    assert "楼面看板" not in admin.get("/desk/").get_data(as_text=True)
    assert "示例插件" not in admin.get("/login").get_data(as_text=True)
    assert admin.get("/example/board").status_code == 404
    assert admin.get("/admin/example/").status_code == 404
    assert "/admin/example/" not in admin.get("/admin/").get_data(as_text=True)
    assert "8号台催菜" not in admin.get("/desk/?queue=all").get_data(as_text=True)
    assert off.test_cli_runner().invoke(args=["example-hello"]).exit_code != 0
    with off.app_context():
        assert db.session.get(Ticket, ticket_id) is not None
        assert db.session.scalar(text("SELECT name FROM example_thing")) == "保留的数据"

    back = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
    client = back.test_client()
    login(client, "root@example.cn")
    assert "8号台催菜" in client.get("/desk/?queue=all").get_data(as_text=True)
    with back.app_context():
        assert db.session.scalar(text("SELECT name FROM example_thing")) == "保留的数据"


def test_two_plugins_run_side_by_side(make_app, installed, example):
    installed(FAKE_PLUGIN)
    app = make_app(PLUGINS=["fake", "example"], EXTRA_PLUGINS=[("example", example)])
    roles = app.extensions["kefu"].registry.roles
    assert {"fake_officer", "example_runner", "agent"} <= set(roles)


def test_two_plugins_claiming_one_key_stop_start_up_with_a_message(make_app, installed, example):
    from core.errors import StartupError

    installed(FAKE_PLUGIN.replace("fake_officer", "example_runner"))
    with pytest.raises(StartupError, match="'example_runner' is declared by both plugin"):
        make_app(PLUGINS=["fake", "example"], EXTRA_PLUGINS=[("example", example)])


def _kefu(args, env_instance, database_url, monkeypatch, input=None):
    from click.testing import CliRunner

    monkeypatch.setenv("KEFU_INSTANCE_PATH", str(env_instance))
    monkeypatch.setenv("KEFU_SQLALCHEMY_DATABASE_URI", database_url)
    monkeypatch.setenv("KEFU_SECRET_KEY", "cli-test")
    from flask.cli import ScriptInfo

    from core.cli import _build_app

    return CliRunner().invoke(cli, args, obj=ScriptInfo(create_app=_build_app), input=input)


def test_kefu_plugins_list_enable_and_disable(installed, database_url, instance_path, monkeypatch):
    installed(FAKE_PLUGIN)
    listed = _kefu(["plugins", "list"], instance_path, database_url, monkeypatch)
    assert listed.exit_code == 0 and "fake" in listed.output and "disabled" in listed.output
    enabled = _kefu(["plugins", "enable", "fake"], instance_path, database_url, monkeypatch)
    assert enabled.exit_code == 0, enabled.output
    assert "restart" in enabled.output
    app = create_app({"INSTANCE_PATH": str(instance_path), "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    assert "fake" in app.extensions["kefu"].enabled_plugins
    with app.app_context():  # its role was written to the database at once
        from core.models import Role

        assert db.session.scalar(select(Role.plugin).where(Role.key == "fake_officer")) == "fake"
        db.session.remove()
        db.engine.dispose()
    disabled = _kefu(["plugins", "disable", "fake"], instance_path, database_url, monkeypatch)
    assert disabled.exit_code == 0
    unknown = _kefu(["plugins", "enable", "nosuch"], instance_path, database_url, monkeypatch)
    assert unknown.exit_code == 1
    installed_names = ", ".join(sorted(installed_plugins()))  # the fake one and the bundled ones
    assert "fake" in installed_names
    assert unknown.output.strip().splitlines() == [f"kefu: unknown plugin 'nosuch'; installed plugins: {installed_names}"]


def test_the_admin_panel_switches_a_plugin_on_for_the_next_start(make_app, example):
    app = make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=None)
    create_user(app, "root@example.cn", "admin")
    client = app.test_client()
    login(client, "root@example.cn")
    page = client.get("/admin/plugins/").get_data(as_text=True)
    assert "example" in page and "/admin/plugins/example/enable" in page
    from tests.helpers import post_form

    response = post_form(client, "/admin/plugins/example/enable", {}, form_url="/admin/plugins/")
    assert response.status_code == 302
    assert "example" not in app.extensions["kefu"].enabled_plugins  # this process keeps running as it was
    with app.app_context():
        assert db.session.get(PluginSetting, "example").enabled is True
        from core.models import AuditLog

        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "plugin.enable"))
        assert entry.detail == {"plugin": "example"} and entry.actor.email == "root@example.cn"
    assert "example" in make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=None).extensions["kefu"].enabled_plugins
