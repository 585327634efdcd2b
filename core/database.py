"""Database set-up: SQLite gets WAL mode, foreign keys and a busy timeout on every connection; migrations of the
core and the enabled plugins; the query planner's statistics."""
import os

from alembic import command
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import event, text

from core.extensions import db, migrate
from core.plugins.manager import ENABLED

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Rows SQLite reads per index when it gathers statistics: a tenth of a second at a million tickets.
ANALYSIS_LIMIT = 1000


def refresh_planner_statistics():
    """Tell the query planner how the tables are shaped (ANALYZE). Without statistics SQLite guesses that any
    indexed condition is selective: it read a whole period's tickets through the index of their status
    category ("resolved or closed") to count one type's complaints. PostgreSQL's autovacuum does this too,
    but only once enough rows have changed; a bulk load or a migration should not wait for it."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}"))
    db.session.execute(text("ANALYZE"))
    db.session.commit()


CORE_VERSIONS = os.path.join(MIGRATIONS_DIR, "versions")


def _migration_folders(enabled_only):
    plugins = current_app.extensions["kefu"].plugins.values()
    return [CORE_VERSIONS] + [info.migrations for info in plugins
                              if info.migrations and (info.state == ENABLED or not enabled_only)]


@migrate.configure
def _version_locations(config):
    """Every known plugin's branch, on or off: alembic must read all the revisions the database has seen."""
    config.set_main_option("version_locations", os.pathsep.join(_migration_folders(enabled_only=False)))
    return config


def upgrade_schema():
    """Apply the heads of the core's branch and of every enabled plugin's branch; a disabled plugin's
    tables stay as they are (its data comes back when it is switched on again)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    wanted = {os.path.realpath(folder) for folder in _migration_folders(enabled_only=True)}
    # A plugin branch that depends_on the core's latest revision hides it from "heads": upgrade the core's
    # branch by its label first, so that a site with that plugin switched off still gets the whole core schema.
    command.upgrade(config, "core@head")
    heads = ScriptDirectory.from_config(config).get_revisions("heads")
    for head in heads:
        if os.path.realpath(os.path.dirname(head.path)) in wanted:
            command.upgrade(config, head.revision)
    refresh_planner_statistics()  # new indexes have none


def init_app(app):
    import core.models  # noqa: F401 - registers the core tables on db.metadata

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)
