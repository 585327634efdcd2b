"""`kefu worker`: the long-running process for periodic work. Every WORKER_INTERVAL seconds it sweeps the SLA
clocks (warnings, breaches, escalations) and sends the queued outside notifications (e-mail, plugins' channels).

Every step claims its rows with a conditional UPDATE, so any number of workers may run side by side, and a
worker killed at any point leaves nothing half done: what it had not committed is done by the next round.
"""
import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from core.extensions import db
from core.notifications import deliver_pending
from core.sla.sweep import sweep

log = logging.getLogger("kefu.worker")


def run_once(now=None):
    """One round in the current app context; returns (SweepResult, deliveries sent)."""
    try:
        return sweep(now), deliver_pending(now)
    finally:
        db.session.remove()


def run_forever(interval, stop):
    """Rounds every ``interval`` seconds until ``stop`` (a threading.Event) is set; a failed round is logged
    and the next one runs as usual."""
    while not stop.is_set():
        try:
            result, sent = run_once()
            if result.at_risk or result.breached or result.escalated or sent:
                log.info("SLA sweep: %s; notifications sent: %s", result, sent)
        except Exception:  # a database hiccup must not end the worker
            log.exception("worker round failed; retrying in %s s", interval)
        stop.wait(interval)


@click.command("worker", help="Run the background worker: SLA sweeps, escalations, e-mail notifications.")
@click.option("--once", is_flag=True, help="Run one round and exit (for cron or a test).")
@click.option("--interval", type=float, default=None, help="Seconds between rounds [default: WORKER_INTERVAL].")
@with_appcontext
def worker_command(once, interval):
    if once:
        result, sent = run_once()
        click.echo(f"at risk: {result.at_risk}, breached: {result.breached}, to managers: {result.escalated}, "
                   f"notifications sent: {sent}")
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    interval = interval or current_app.config["WORKER_INTERVAL"]
    click.echo(f"Kefu worker started; a round every {interval:g} s")
    run_forever(interval, stop)
    click.echo("Kefu worker stopped")
