"""The migrations build exactly the schema the models describe (on SQLite and on PostgreSQL)."""
import os

from alembic.script import ScriptDirectory
from sqlalchemy import text

from core.database import CORE_VERSIONS
from core.extensions import db
from tests.helpers import schema_differences


def core_head(app):
    """The newest revision of the core's branch (every branch adds its own, so the id is not written here)."""
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    # By the branch's label: a plugin branch that depends_on the core's newest revision hides it from "heads".
    (head,) = [rev.revision for rev in script.get_revisions("core@head")
               if os.path.realpath(os.path.dirname(rev.path)) == os.path.realpath(CORE_VERSIONS)]
    return head


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        assert schema_differences(app, connection) == []


def test_the_core_branch_is_applied_and_labelled(app):
    with app.app_context():
        heads = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    assert heads == [core_head(app)]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1


def test_upgrading_a_site_that_already_has_data_keeps_it(make_app, database_url):
    """A site on the first release gets every later migration without losing a row."""
    from alembic import command

    app = make_app()
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        command.downgrade(config, "core_0001")
        db.session.execute(text(
            "INSERT INTO \"user\" (email, name, kind, active, session_version) VALUES ('old@example.cn', '老用户', 'staff', true, 1)"))
        db.session.execute(text(
            "INSERT INTO team (name, active) VALUES ('老小组', true)"))
        db.session.commit()
        from core.database import upgrade_schema

        upgrade_schema()
        assert db.session.scalar(text("SELECT skills FROM \"user\" WHERE email = 'old@example.cn'")) in ([], "[]")
        assert db.session.scalar(text("SELECT name FROM team")) == "老小组"
        assert db.session.scalars(text("SELECT version_num FROM alembic_version")).all() == [core_head(app)]
