"""Fixtures in the style of Flask's tutorial (`app`, `client`, `runner`), on a real database.

The schema comes from the real migrations, once per run, into a template; each test gets its own copy
(a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL). KEFU_TEST_DATABASE=postgresql
runs the suite against a throwaway PostgreSQL server.
"""
import itertools
import os
import shutil

import pytest

from core import create_app
from core.database import upgrade_schema
from core.extensions import db
from core.plugins.sync import sync_registry

BACKEND = os.environ.get("KEFU_TEST_DATABASE", "sqlite")

def _share_url_builders():
    """Tests build hundreds of apps; werkzeug compiles two Python functions per URL rule of each (two thirds of
    building an app). The code depends only on the rule's parts, so apps in one test run share it."""
    from werkzeug.routing.rules import Rule

    compile_builder, built = Rule._compile_builder, {}

    def shared(rule, append_unknown=True):
        defaults = tuple(sorted((key, repr(value), type(rule._converters.get(key)).__name__)
                                for key, value in (rule.defaults or {}).items()))
        key = (rule.rule, append_unknown, tuple(rule._trace), defaults)
        if key not in built:
            built[key] = compile_builder(rule, append_unknown)
        return built[key]

    Rule._compile_builder = shared


_share_url_builders()
_numbers = itertools.count(1)

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "PLUGINS": [],
    "RATELIMIT_STORAGE_URI": "memory://",
    "SEARCH_APPLY": "inline",  # index changes before the commit returns: tests see them at once
}


def migrate_and_sync(app):
    with app.app_context():
        upgrade_schema()
        sync_registry(app.extensions["kefu"].registry)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    instance = tmp_path_factory.mktemp("template-instance")
    if BACKEND == "postgresql":
        from tests.support.postgres import PostgresServer

        server = PostgresServer().start()
        server.create_database("kefu_template")
        migrate_and_sync(create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance),
                                     "SQLALCHEMY_DATABASE_URI": server.url("kefu_template")}))
        yield server
        server.stop()
    else:
        path = instance / "template.db"
        migrate_and_sync(create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance),
                                     "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}))
        yield path


@pytest.fixture
def database_url(database_template, tmp_path):
    if BACKEND == "postgresql":
        name = f"kefu_test_{os.getpid()}_{next(_numbers)}"
        database_template.create_database(name, template="kefu_template")
        yield database_template.url(name)
        database_template.drop_database(name)
    else:
        path = tmp_path / "kefu.db"
        shutil.copy(database_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's) for the whole run; Playwright's sync API allows one per process."""
    from playwright.sync_api import sync_playwright

    from tests.support.browser import launch_chromium

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def instance_path(tmp_path):
    path = tmp_path / "instance"
    path.mkdir()
    return path


@pytest.fixture
def make_app(database_url, instance_path):
    """Build an app on this test's database; extra config (plugins, settings) as keyword arguments."""
    apps = []

    def factory(**config):
        app = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance_path),
                          "SQLALCHEMY_DATABASE_URI": database_url, **config})
        migrate_and_sync(app)  # plugins given here may bring migrations and roles
        app.extensions["kefu_search"].check()  # as wsgi.py does when the site starts: a new site's empty index
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def example():
    """The throwaway plugin that implements every hook (tests/plugins/example_plugin.py)."""
    from tests.plugins.example_plugin import ExamplePlugin

    return ExamplePlugin()


@pytest.fixture
def plugin_app(make_app, example):
    """An app with the example plugin switched on."""
    return make_app(EXTRA_PLUGINS=[("example", example)], PLUGINS=["example"])
