"""The template chain (instance → theme → plugins → core), theme assets, and no asset from another host."""
import re

from tests.helpers import create_user, login


def _theme(tmp_path, name="custom", files=None):
    theme = tmp_path / "themes" / name
    (theme / "templates" / "admin").mkdir(parents=True)
    (theme / "static").mkdir()
    (theme / "info.json").write_text('{"name": "%s"}' % name)
    (theme / "static" / "kefu.css").write_text("body{}")
    for path, content in (files or {}).items():
        (theme / path).write_text(content, encoding="utf-8")
    return tmp_path / "themes"


def test_the_active_theme_overrides_a_core_template(make_app, tmp_path):
    themes = _theme(tmp_path, files={"templates/error.html": "THEMED ERROR {{ status }}"})
    app = make_app(THEMES_DIR=str(themes), THEME="custom")
    assert app.test_client().get("/no-such-page").get_data(as_text=True) == "THEMED ERROR 404"


def test_instance_templates_override_the_theme(make_app, tmp_path, instance_path):
    themes = _theme(tmp_path, files={"templates/error.html": "THEMED"})
    (instance_path / "templates").mkdir()
    (instance_path / "templates" / "error.html").write_text("SITE OVERRIDE {{ status }}")
    app = make_app(THEMES_DIR=str(themes), THEME="custom")
    assert app.test_client().get("/no-such-page").get_data(as_text=True) == "SITE OVERRIDE 404"


def test_a_theme_cannot_replace_admin_templates(make_app, tmp_path):
    themes = _theme(tmp_path, files={"templates/admin/kefu_index.html": "HIJACKED ADMIN"})
    app = make_app(THEMES_DIR=str(themes), THEME="custom")
    create_user(app, "root@example.cn", "admin")
    client = app.test_client()
    login(client, "root@example.cn")
    page = client.get("/admin/").get_data(as_text=True)
    assert "HIJACKED" not in page and "admin_users" in page


def test_theme_assets_are_served_from_the_site(client):
    response = client.get("/theme/kefu.css")
    assert response.status_code == 200 and "--brand" in response.get_data(as_text=True)
    assert client.get("/theme/../setup.py").status_code == 404


def test_pages_load_nothing_from_another_host(app, client):
    create_user(app, "root@example.cn", "admin")
    pages = ["/login"]
    login(client, "root@example.cn")
    pages += ["/desk/", "/profile", "/admin/", "/admin/admin_users/", "/admin/admin_teams/new/"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert external == [], (page, external)
