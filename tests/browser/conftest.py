"""Browser fixtures: one headless Chromium per run, the demo site served live for each test, screenshots.

The core demo data takes seconds to build, so it is built once per run into a copy of the migrated template
database; each test then gets its own copy of that (SQLite only: the PostgreSQL run skips browser tests).
"""
import os
import random
import shutil
from urllib.parse import urlsplit

import pytest

from core import create_app
from core.extensions import db
from tests.conftest import BACKEND, BASE_CONFIG
from tests.support.browser import LiveServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCREENSHOTS = os.path.join(ROOT, "test-artifacts", "screenshots")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def demo_database(database_template, tmp_path_factory):
    """The migrated template database with the core demo data in it."""
    if BACKEND != "sqlite":
        pytest.skip("browser tests run on SQLite only")
    folder = tmp_path_factory.mktemp("demo-template")
    path = folder / "demo.db"
    shutil.copy(database_template, path)
    app = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        app.extensions["kefu"].pm.hook.kefu_demo_data(session=db.session, rng=random.Random(1))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture
def database_url(demo_database, tmp_path):
    """Overrides the suite's empty database: here each test starts from the demo data."""
    path = tmp_path / "kefu.db"
    shutil.copy(demo_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def live_site(make_app):
    """The demo site on http://127.0.0.1:<port>; `live_site.app` is the Flask app behind it."""
    with LiveServer(make_app()) as server:
        yield server


@pytest.fixture
def open_page(browser, live_site):
    """Open a page on the live site (relative URLs work) in a fresh browser context, phone or laptop sized.

    Every request must go to the live server (no CDN, no web fonts from elsewhere) and no page may log a
    console error or throw; the test fails at teardown when one did.
    """
    contexts = []
    problems = []

    def on_request(request):
        if urlsplit(request.url).hostname != "127.0.0.1":
            problems.append(f"request to another host: {request.url}")

    def on_console(message):
        if message.type == "error":
            source = message.location.get("url") or "?"
            problems.append(f"console error on {message.page.url if message.page else '?'}: {message.text} ({source})")

    def open_page(viewport=LAPTOP):
        phone = viewport == PHONE
        context = browser.new_context(viewport=viewport, is_mobile=phone, has_touch=phone, base_url=live_site.url)
        context.on("request", on_request)
        context.on("console", on_console)
        context.on("weberror", lambda error: problems.append(f"uncaught script error: {error.error}"))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="session")
def screenshot():
    """screenshot(page, name): the whole page as test-artifacts/screenshots/<name>.png (git-ignored)."""
    os.makedirs(SCREENSHOTS, exist_ok=True)

    def take(page, name):
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)

    return take
