import os
import stat
import subprocess
import sys

import pytest

from core import create_app
from core.config import ConfigError

KEFU = os.path.join(os.path.dirname(sys.executable), "kefu")


def _app(instance_path, **config):
    return create_app({"INSTANCE_PATH": str(instance_path), "PLUGINS": [], **config})


def test_defaults_put_sqlite_and_the_secret_key_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("KEFU_SECRET_KEY", raising=False)
    app = _app(tmp_path / "site")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'site' / 'kefu.db'}"
    key_file = tmp_path / "site" / "secret_key"
    assert app.config["SECRET_KEY"] == key_file.read_text() and len(app.config["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _app(tmp_path / "site").config["SECRET_KEY"] == app.config["SECRET_KEY"]  # kept across restarts
    assert _app(tmp_path / "other").config["SECRET_KEY"] != app.config["SECRET_KEY"]  # random per site


def test_instance_config_then_environment_then_explicit_values(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.py").write_text('DEFAULT_LOCALE = "en"\nTHEME = "default"\nMAX_CONTENT_LENGTH = 1000\n')
    assert _app(site).config["DEFAULT_LOCALE"] == "en"
    monkeypatch.setenv("KEFU_MAX_CONTENT_LENGTH", "2000")
    monkeypatch.setenv("KEFU_SAFE_MODE", "true")
    app = _app(site)
    assert app.config["MAX_CONTENT_LENGTH"] == 2000 and app.config["SAFE_MODE"] is True
    assert _app(site, MAX_CONTENT_LENGTH=3000).config["MAX_CONTENT_LENGTH"] == 3000


def test_plugin_list_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_PLUGINS", "property, water")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["PLUGINS"] == ["property", "water"]


def test_a_broken_instance_config_is_one_line_naming_the_file(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.py").write_text("DEFAULT_LOCALE = 'en'\nTHEME = (\n")
    with pytest.raises(ConfigError) as raised:
        _app(site)
    message = str(raised.value)
    assert "\n" not in message and str(site / "config.py") in message and "SyntaxError" in message


def test_the_command_line_reports_a_broken_config_without_a_traceback(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.py").write_text("import no_such_module\n")
    result = subprocess.run([KEFU, "db", "upgrade"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "KEFU_INSTANCE_PATH": str(site)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"kefu: cannot load {site / 'config.py'}, line 1: ModuleNotFoundError: No module named 'no_such_module'"
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unknown_theme_is_one_clear_line(tmp_path):
    with pytest.raises(Exception, match="theme 'nosuch' not found"):
        _app(tmp_path, THEME="nosuch")
