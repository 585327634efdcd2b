"""`kefu worker`: the long-running process for periodic and queued work. Every WORKER_INTERVAL seconds it runs
the scheduled jobs that are due: the `kefu_scheduled_jobs` hook's, among them the core's SLA sweep and the
delivery of outside notifications (e-mail, plugins' channels). With REDIS_URL set it is also an RQ worker, and
the jobs and deliveries go through the Redis queue (core.queue).

Each job runs under a lease (JobLease) that a worker takes with a conditional UPDATE, so two workers never run
the same job at the same moment. A worker killed mid-job leaves its lease behind; the lease expires after
WORKER_JOB_LEASE seconds, or at once for the other workers on the same machine, who see that its process is
gone. The jobs claim their own rows with conditional UPDATEs too, so a job repeated after a crash loses
nothing and repeats nothing.
"""
import logging
import os
import secrets
import signal
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core import queue
from core.extensions import db
from core.models import JobLease, utcnow

log = logging.getLogger("kefu.worker")


@dataclass
class JobOutcome:
    """What one job did in a round: "done" (with its result), "busy" (another worker holds its lease),
    "queued" (for the RQ workers, as RQ job `queued_as`) or "failed" (with the error)."""

    key: str
    label: object
    state: str
    result: int | None = None
    error: str | None = None
    queued_as: str | None = None

    def __str__(self):
        what = {"done": lambda: "done" if self.result is None else f"done, {self.result}",
                "busy": lambda: "skipped: another worker is running it",
                "queued": lambda: f"queued for the RQ workers as {self.queued_as}",
                "failed": lambda: f"failed: {self.error}"}[self.state]()
        return f"{self.key} ({self.label}): {what}"


def scheduled_jobs():
    return current_app.extensions["kefu"].registry.scheduled_jobs


def _utc(now):
    return (now or utcnow()).astimezone(UTC)


def new_holder():
    """A lease holder's name: this machine and process, and a token of its own for each lease."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _holder_is_gone(holder):
    """Whether a lease holder was a process on this machine that no longer runs."""
    host, _sep, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only the lease's expiry tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another account
        return False
    return False


def add_missing_leases(keys, now):
    """A lease row per job key; two workers adding the same one at once is not an error."""
    known = set(db.session.scalars(select(JobLease.key).where(JobLease.key.in_(keys))))
    missing = [key for key in keys if key not in known]
    if missing:
        insert = (postgresql if db.engine.dialect.name == "postgresql" else sqlite).insert
        db.session.execute(insert(JobLease).values([{"key": key, "due_at": now, "runs": 0} for key in missing])
                           .on_conflict_do_nothing(index_elements=["key"]))
    db.session.commit()


def _lease_update(conditions, values):
    statement = update(JobLease).where(*conditions).values(**values).execution_options(synchronize_session=False)
    return db.session.execute(statement).rowcount == 1


def take_lease(key, now, holder, *, due_only):
    """Claim job `key` for `holder` (committed, so other workers see it). Leases are timed by the real clock,
    whatever `now` the job is given."""
    clock = utcnow()
    values = {"leased_by": holder, "last_started_at": now,
              "leased_until": clock + timedelta(seconds=current_app.config["WORKER_JOB_LEASE"])}
    due = [JobLease.due_at <= now] if due_only else []
    taken = _lease_update([JobLease.key == key, or_(JobLease.leased_until.is_(None), JobLease.leased_until <= clock),
                           *due], values)
    if not taken:
        current = db.session.scalar(select(JobLease.leased_by).where(JobLease.key == key))
        if current is not None and _holder_is_gone(current):
            log.warning("job %s: the worker that held it (%s) is gone; taking it over", key, current)
            taken = _lease_update([JobLease.key == key, JobLease.leased_by == current, *due], values)
    db.session.commit()
    return taken


def hand_over_lease(key, holder, new):
    """Pass a lease on to another holder (the RQ worker that runs what the scheduler leased)."""
    handed = _lease_update([JobLease.key == key, JobLease.leased_by == holder], {"leased_by": new})
    db.session.commit()
    return handed


def _release(job, holder, now, result=None, error=None):
    _lease_update([JobLease.key == job.key, JobLease.leased_by == holder], {
        "leased_by": None, "leased_until": None, "due_at": now + timedelta(seconds=job.every),
        "last_finished_at": utcnow(), "last_result": result, "last_error": error, "runs": JobLease.runs + 1})
    db.session.commit()


def run_leased(job, now, holder):
    """Run a job whose lease `holder` holds, then release the lease; a failure is logged and kept on the
    lease row, and the job is due again after its period like any run."""
    try:
        result = job.run(now)
    except Exception as exc:  # a plugin's failing job must not stop the others
        db.session.rollback()
        error = f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", job.key)
        _release(job, holder, now, error=error[:2000])
        return JobOutcome(job.key, job.label, "failed", error=error)
    result = int(result) if result is not None else None
    _release(job, holder, now, result=result)
    return JobOutcome(job.key, job.label, "done", result)


def run_job(key, now=None):
    """Run one job by key now, due or not (for tests with frozen time), unless another worker is running it."""
    job = scheduled_jobs().get(key)
    if job is None:
        raise LookupError(f"no scheduled job {key!r}; known: {', '.join(scheduled_jobs()) or 'none'}")
    now = _utc(now)
    add_missing_leases([key], now)
    holder = new_holder()
    if not take_lease(key, now, holder, due_only=False):
        return JobOutcome(key, job.label, "busy")
    return run_leased(job, now, holder)


def run_due_jobs(now=None):
    """One round: every job whose time has come, in order, each under its lease; with REDIS_URL set the jobs
    are leased here and run by the RQ workers (core.queue). Returns a JobOutcome per due job."""
    now = _utc(now)
    jobs = scheduled_jobs()
    add_missing_leases(list(jobs), now)
    due = set(db.session.scalars(select(JobLease.key).where(JobLease.key.in_(list(jobs)), JobLease.due_at <= now)))
    outcomes = []
    for key in (key for key in jobs if key in due):
        job, holder = jobs[key], new_holder()
        if not take_lease(key, now, holder, due_only=True):
            outcomes.append(JobOutcome(key, job.label, "busy"))
        elif queue.enabled():
            outcomes.append(JobOutcome(key, job.label, "queued", queued_as=queue.enqueue_job(key, now, holder).id))
        else:
            outcomes.append(run_leased(job, now, holder))
    return outcomes


def run_forever(interval, stop):
    """Rounds every ``interval`` seconds until ``stop`` (a threading.Event) is set; a failed round is logged
    and the next one runs as usual."""
    while not stop.is_set():
        try:
            for outcome in run_due_jobs():
                if outcome.state == "failed" or outcome.result:
                    log.info("%s", outcome)
        except Exception:  # a database hiccup must not end the worker
            log.exception("worker round failed; retrying in %s s", interval)
        finally:
            db.session.remove()
        stop.wait(interval)


@click.command("worker", help="Run the background worker: scheduled jobs (SLA sweeps and escalations, outside "
                              "notifications, the plugins' jobs) and, with REDIS_URL set, the RQ queue.")
@click.option("--once", is_flag=True, help="Run every due job once, print what each did, and exit.")
@click.option("--interval", type=float, default=None, help="Seconds between rounds [default: WORKER_INTERVAL].")
@with_appcontext
def worker_command(once, interval):
    if once:
        try:
            outcomes = queue.run_once() if queue.enabled() else run_due_jobs()
        finally:
            db.session.remove()
        for outcome in outcomes:
            click.echo(str(outcome))
        if any(outcome.state == "failed" for outcome in outcomes):
            raise SystemExit(1)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    interval = interval or current_app.config["WORKER_INTERVAL"]
    click.echo(f"Kefu worker started; a round every {interval:g} s"
               + (f"; RQ queue {queue.QUEUE!r} on {current_app.config['REDIS_URL']}" if queue.enabled() else ""))
    if queue.enabled():
        queue.work(interval, stop)
    else:
        run_forever(interval, stop)
    click.echo("Kefu worker stopped")
