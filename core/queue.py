"""The Redis queue (RQ), used when REDIS_URL is set; without it `kefu worker` does everything itself and needs
no Redis. With it, each `kefu worker` is an RQ worker: its scheduler leases the due jobs each round and queues
them (core.worker.run_due_jobs), and the RQ workers run them, and send each outside notification as soon as
the transaction that queued it commits.

The queue adds speed and spreads the work, not correctness: a job runs only under its lease, a delivery is
sent only by the worker whose conditional UPDATE claimed it, and the scheduled job "core.notifications"
still sends whatever a lost queue entry left behind."""
import logging
import threading
import time
from contextlib import nullcontext
from datetime import datetime

import redis
from flask import current_app, has_app_context
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.extensions import db
from core.models import NotificationDelivery

log = logging.getLogger("kefu.queue")
QUEUE = "kefu"
_NEW_DELIVERIES = "kefu_new_deliveries"  # Session.info key: deliveries flushed in this transaction
_app = None  # the app of a plain `rq worker` process, which has none of its own


def enabled():
    return has_app_context() and bool(current_app.config.get("REDIS_URL"))


def connection():
    extensions = current_app.extensions
    if "kefu_redis" not in extensions:
        extensions["kefu_redis"] = redis.Redis.from_url(current_app.config["REDIS_URL"])
    return extensions["kefu_redis"]


def queue():
    return Queue(QUEUE, connection=connection())


def _app_context():
    """The current app's context, or (in a plain `rq worker`) one of an app made from the site's settings."""
    global _app
    if has_app_context():
        return nullcontext()
    if _app is None:
        from core import create_app

        _app = create_app()
    return _app.app_context()


# Tasks that the RQ workers run ---------------------------------------------------------------------------


def run_leased_job(key, now, holder):
    """Run scheduled job `key`, which the scheduler leased as `holder`. The lease passes to this process first,
    so that the other workers on its machine see when it dies; returns what the job did."""
    from core.worker import hand_over_lease, new_holder, run_leased, scheduled_jobs

    with _app_context():
        try:
            mine = new_holder()
            if not hand_over_lease(key, holder, mine):
                return {"state": "busy", "result": None, "error": None}  # the lease expired meanwhile
            outcome = run_leased(scheduled_jobs()[key], datetime.fromisoformat(now), mine)
            return {"state": outcome.state, "result": outcome.result, "error": outcome.error}
        finally:
            db.session.remove()


def send_delivery(delivery_id):
    from core.notifications import deliver

    with _app_context():
        try:
            return deliver(delivery_id)
        finally:
            db.session.remove()


def enqueue_job(key, now, holder):
    timeout = current_app.config["WORKER_JOB_LEASE"]
    return queue().enqueue(run_leased_job, key, now.isoformat(), holder, job_timeout=timeout,
                           result_ttl=timeout, failure_ttl=24 * 3600, description=f"kefu job {key}")


# Deliveries go on the queue once their transaction commits --------------------------------------------------


@event.listens_for(Session, "after_flush")
def _note_new_deliveries(session, _context):
    if enabled():
        ids = [row.id for row in session.new if isinstance(row, NotificationDelivery)]
        if ids:
            session.info.setdefault(_NEW_DELIVERIES, []).extend(ids)


@event.listens_for(Session, "after_commit")
def _enqueue_new_deliveries(session):
    ids = session.info.pop(_NEW_DELIVERIES, None)
    if not ids or not enabled():
        return
    try:
        for delivery_id in ids:
            queue().enqueue(send_delivery, delivery_id, result_ttl=0, failure_ttl=24 * 3600)
    except redis.RedisError as exc:  # committed already; the scheduled job "core.notifications" sends them
        log.warning("could not queue %s deliveries (%s); the next round sends them", len(ids), exc)


@event.listens_for(Session, "after_rollback")
def _forget_new_deliveries(session):
    session.info.pop(_NEW_DELIVERIES, None)


# The worker -------------------------------------------------------------------------------------------------


def _worker():
    return SimpleWorker([queue()], connection=connection())  # jobs run in this process, in its app context


def _finished(outcome, timeout):
    """The outcome of a queued job once an RQ worker (this one or another) has run it."""
    from core.worker import JobOutcome

    if outcome.state != "queued":
        return outcome
    job = Job.fetch(outcome.queued_as, connection=connection())
    deadline = time.monotonic() + timeout
    while job.get_status(refresh=True) not in (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED,
                                                JobStatus.CANCELED) and time.monotonic() < deadline:
        time.sleep(0.1)
    if job.get_status() != JobStatus.FINISHED:
        return JobOutcome(outcome.key, outcome.label, "failed", error=f"the queued job ended {job.get_status()}")
    done = job.return_value()
    return JobOutcome(outcome.key, outcome.label, done["state"], done["result"], done["error"])


def run_once():
    """`kefu worker --once`: queue the due jobs, work the queue until it is empty, and report what each job
    did (waiting for those that another worker picked up)."""
    from core.worker import run_due_jobs

    outcomes = run_due_jobs()
    _worker().work(burst=True, logging_level="WARNING")
    return [_finished(outcome, current_app.config["WORKER_JOB_LEASE"]) for outcome in outcomes]


def work(interval, stop):
    """`kefu worker` with Redis: the scheduler in a thread, the RQ worker in this one until SIGTERM/SIGINT."""
    from core.worker import run_forever

    app = current_app._get_current_object()

    def schedule():
        with app.app_context():
            run_forever(interval, stop)

    scheduler = threading.Thread(target=schedule, name="kefu-scheduler", daemon=True)
    scheduler.start()
    try:
        _worker().work(logging_level="WARNING")  # RQ logs four lines a job at INFO
    finally:
        stop.set()
        scheduler.join(timeout=interval + 60)
