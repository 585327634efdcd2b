"""`kefu reports …`: count the marked tickets now, or every ticket again."""
import time

import click
from flask.cli import with_appcontext

from core.reports.refresh import rebuild, refresh_pending


@click.group("reports", help="The reports' stored figures.")
def reports_group():
    pass


@reports_group.command("refresh", help="Count the tickets changed since the last run (what the worker does).")
@with_appcontext
def refresh_command():
    started = time.monotonic()
    changed = refresh_pending(max_seconds=float("inf"))
    click.echo(f"{changed:,} tickets counted again in {time.monotonic() - started:.1f} s.")


@reports_group.command("rebuild", help="Count every ticket again from scratch (after a bulk import or a change of "
                                       "the site's time zone).")
@with_appcontext
def rebuild_command():
    started = time.monotonic()
    changed = rebuild(progress=lambda last: click.echo(f"  up to ticket {last:,}   {time.monotonic() - started:7.1f} s"))
    click.echo(f"{changed:,} tickets counted in {time.monotonic() - started:.1f} s.")
