"""The migrations build exactly the schema the models describe (on SQLite and on PostgreSQL)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from core.extensions import db


def test_migrations_match_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_core_branch_is_applied_and_labelled(app):
    with app.app_context():
        heads = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
    assert heads == ["core_0004"]


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
        assert db.session.scalars(text("SELECT version_num FROM alembic_version")).all() == ["core_0004"]
