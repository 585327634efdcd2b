"""Database set-up: SQLite gets WAL mode, foreign keys and a busy timeout on every connection."""
import os

from sqlalchemy import event

from core.extensions import db, migrate

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@migrate.configure
def _version_locations(config):
    """The core's versions plus every enabled plugin's branch (from the `kefu_migrations` hook)."""
    from flask import current_app

    folders = [os.path.join(MIGRATIONS_DIR, "versions")]
    folders += [path for path in current_app.extensions["kefu"].pm.hook.kefu_migrations() if path]
    config.set_main_option("version_locations", os.pathsep.join(folders))
    return config


def init_app(app):
    import core.models  # noqa: F401 - registers the core tables on db.metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
