"""The `kefu` command line: init, demo, run, db upgrade, user, token, plugins (and plugins' own commands)."""
import os
import random
import secrets
import sys

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo, with_appcontext
from sqlalchemy import select

from core import create_app
from core.database import upgrade_schema
from core.demo.seed import seed_command
from core.errors import StartupError
from core.extensions import db
from core.models import PluginSetting, Role, User, audit
from core.plugins import settings as plugin_settings
from core.plugins.manager import installed_plugins
from core.plugins.sync import sync_registry
from core.reports.cli import reports_group
from core.reports.refresh import refresh_pending
from core.search.cli import reindex_command
from core.worker import worker_command

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _fail(message):
    click.echo(f"kefu: {message}", err=True)
    sys.exit(1)


def _build_app():
    try:
        return create_app()
    except StartupError as exc:
        _fail(str(exc))


class KefuGroup(AppGroup):
    """Core commands, then commands that enabled plugins add through `kefu_cli` (on app.cli)."""

    def _app_cli(self, ctx):
        try:
            return ctx.ensure_object(ScriptInfo).load_app().cli
        except SystemExit:
            raise
        except Exception:  # listing commands must not fail because the site cannot start
            return None

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            app_cli = self._app_cli(ctx)
            command = app_cli.get_command(ctx, name) if app_cli else None
        return command

    def list_commands(self, ctx):
        names = set(super().list_commands(ctx))
        app_cli = self._app_cli(ctx)
        if app_cli:
            names.update(app_cli.list_commands(ctx))
        return sorted(names)


@click.group(cls=KefuGroup, help="Kefu (客服) helpdesk.")
def cli():
    pass


def upgrade_and_sync(app):
    """Apply every migration head (core and enabled plugins), then write roles and types to the database."""
    with app.app_context():
        upgrade_schema()
        sync_registry(app.extensions["kefu"].registry)


def _enable_initial_plugins(app, choice):
    with app.app_context():
        if db.session.scalar(select(PluginSetting.name).limit(1)) is not None:
            return  # the site already chose; init never overrides it
        known = sorted(plugin_settings.known_plugin_names(app))
        names = known if choice == "all" else [] if choice == "none" else [n.strip() for n in choice.split(",") if n.strip()]
        for name in names:
            plugin_settings.set_enabled(app, name, True)


def _create_user(email, name, role_keys, password, kind="staff"):
    roles = db.session.scalars(select(Role).where(Role.key.in_(role_keys))).all()
    missing = set(role_keys) - {role.key for role in roles}
    if missing:
        available = ", ".join(db.session.scalars(select(Role.key).order_by(Role.key)))
        raise click.ClickException(f"unknown role {', '.join(sorted(missing))}; roles: {available}")
    user = User(email=email.strip().lower(), name=name, kind=kind, roles=roles)
    user.set_password(password)
    db.session.add(user)
    audit.record("user.create", target=user, email=user.email, via="cli")
    db.session.commit()
    return user


@cli.command("init", help="Create instance/, apply migrations, choose plugins and create the first admin.")
@click.option("--plugins", "plugin_choice", default="all", show_default=True,
              help="Plugins to switch on at the first init: all, none, or names separated by commas.")
@click.option("--admin-email", default="admin@kefu.local", show_default=True)
def init_command(plugin_choice, admin_email):
    app = _build_app()
    upgrade_and_sync(app)
    try:
        _enable_initial_plugins(app, plugin_choice)
    except plugin_settings.UnknownPlugin as exc:
        _fail(str(exc))
    app = _build_app()  # rebuilt so that the chosen plugins' migrations and roles are included
    upgrade_and_sync(app)
    with app.app_context():
        has_admin = db.session.scalar(select(User.id).join(User.roles).where(Role.key == "admin").limit(1))
        if has_admin is None:
            password = secrets.token_urlsafe(12)
            _create_user(admin_email, "Administrator", ["admin"], password)
            click.echo(f"First admin: {admin_email}  password: {password}  (shown once; change it after signing in)")
        enabled = sorted(app.extensions["kefu"].enabled_plugins)
    problem = app.extensions["kefu_search"].check(rebuild=False)  # a new site gets an empty index
    if problem:
        click.echo(f"The search index needs building ({problem}): run `kefu reindex`, or start the site, "
                   "which builds it in the background.")
    click.echo(f"Instance ready in {app.instance_path}; plugins on: {', '.join(enabled) or 'none'}")


@cli.command("demo", help="Load demo data for the core and the enabled plugins (once).")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable data.")
@with_appcontext
def demo_command(seed):
    from core.demo.data import DEMO_PASSWORD, demo_accounts, demo_loaded

    if not demo_loaded():
        current_app.extensions["kefu"].pm.hook.kefu_demo_data(session=db.session, rng=random.Random(seed))
        db.session.commit()
        from core.care.service import generate_care_tasks
        from core.models import utcnow

        generate_care_tasks(utcnow())  # the greetings of the coming days, as the daily run would make them
        refresh_pending(max_seconds=float("inf"))  # the reports count the demo tickets now, not at the worker's first round
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data was loaded before; nothing added.")
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, role_label in demo_accounts():
        click.echo(f"  {email:<32} {role_label}")


cli.add_command(seed_command)
cli.add_command(worker_command)
cli.add_command(reports_group)
cli.add_command(reindex_command)


@cli.command("run", help="Serve the site with gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", 5000)), show_default="5000 or $PORT", type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def run_command(host, port, workers):
    _build_app()  # fail here, in one line, rather than in every worker
    args = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"{host}:{port}",
            "--chdir", PROJECT_ROOT, "--access-logfile", "-", "wsgi:app"]
    click.echo(f"Kefu is serving on http://{host}:{port}")
    os.execv(sys.executable, args)


@cli.group("db", help="Database migrations.")
def db_group():
    pass


@db_group.command("upgrade", help="Apply every migration head (core and enabled plugins).")
def db_upgrade_command():
    upgrade_and_sync(_build_app())
    click.echo("Database is up to date.")


@cli.group("user", help="Accounts.")
def user_group():
    pass


@user_group.command("create", help="Create a staff account; the password is read from standard input.")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True, help="Role key; repeat for several.")
@click.option("--name", default=None, help="Display name (defaults to the part of the e-mail before @).")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@with_appcontext
def user_create_command(email, roles, name, password_stdin):
    password = sys.stdin.readline().rstrip("\n")
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    if db.session.scalar(select(User.id).where(User.email == email.strip().lower())):
        raise click.ClickException(f"an account with e-mail {email} already exists")
    user = _create_user(email, name or email.split("@")[0], list(roles), password)
    click.echo(f"Created {user.email} with roles {', '.join(roles)}")


@cli.group("token", help="REST API tokens.")
def token_group():
    pass


@token_group.command("create", help="Create an API token for an account and print it (shown once).")
@click.argument("email")
@click.option("--name", default="cli", show_default=True)
@with_appcontext
def token_create_command(email, name):
    from core.auth.service import find_user, issue_token

    user = find_user(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no active account with e-mail {email}")
    _row, token = issue_token(user, name)
    click.echo(token)


@cli.group("plugins", help="List, switch on or switch off plugins (effective on restart).")
def plugins_group():
    pass


@plugins_group.command("list")
def plugins_list_command():
    app = _build_app()
    for name, info in sorted(app.extensions["kefu"].plugins.items()):
        extra = f"  ({info.error})" if info.error else ""
        click.echo(f"{name:<20} {info.state:<9} {info.version or '-'}{extra}")
    if not app.extensions["kefu"].plugins:
        click.echo("No plugins are installed.")


def _toggle(name, enabled):
    app = _build_app()
    with app.app_context():
        try:
            plugin_settings.set_enabled(app, name, enabled)
        except plugin_settings.UnknownPlugin as exc:
            _fail(str(exc))
    if enabled:
        upgrade_and_sync(_build_app())  # the plugin's tables and roles, right away
    click.echo(f"Plugin {name} switched {'on' if enabled else 'off'}; restart the site to apply.")


@plugins_group.command("enable")
@click.argument("name")
def plugins_enable_command(name):
    _toggle(name, True)


@plugins_group.command("disable")
@click.argument("name")
def plugins_disable_command(name):
    _toggle(name, False)


def main():
    cli.main(obj=ScriptInfo(create_app=_build_app))


__all__ = ["cli", "installed_plugins", "main"]
