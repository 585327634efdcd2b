"""Scheduled jobs (contract C1): each runs when due, in one worker at a time, under a lease that a dead
worker cannot keep; a failing job is reported and the others still run."""
import os
import socket
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.models import JobLease, utcnow
from core.plugins import hookimpl
from core.plugins.registry import RegistryError
from core.plugins.specs import ScheduledJob
from core.worker import run_due_jobs, run_job, worker_command
from tests.jobs.plugins import BrokenJob
from tests.support.worker import start_worker

START = datetime(2025, 3, 17, 1, tzinfo=UTC)


def _wait_for(path, timeout=60):
    for _ in range(timeout * 10):
        if os.path.exists(path):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


def test_a_job_runs_in_one_worker_at_a_time(make_app, database_url, instance_path, tmp_path):
    make_app()  # the schema
    (instance_path / "config.py").write_text(
        "from tests.jobs.plugins import SlowJob\n"
        f"EXTRA_PLUGINS = [('slow', SlowJob({str(tmp_path)!r}))]\n", encoding="utf-8")
    first = start_worker(database_url, instance_path, "slow")
    _wait_for(tmp_path / "started")  # the first worker holds the lease and is inside the job
    second = start_worker(database_url, instance_path, "slow")
    second_output = second.communicate(timeout=120)[0]
    (tmp_path / "release").touch()
    first_output = first.communicate(timeout=120)[0]
    assert (first.returncode, second.returncode) == (0, 0), (first_output, second_output)
    assert "test.slow (慢任务): done, 1" in first_output
    assert "test.slow (慢任务): skipped: another worker is running it" in second_output
    assert (tmp_path / "runs").read_text().splitlines() == [str(first.pid)]


def test_a_job_runs_again_after_its_period_only(make_app):
    app = make_app(EXTRA_PLUGINS=[("broken", BrokenJob())], PLUGINS=["broken"])
    with app.app_context():
        assert "test.broken" in [o.key for o in run_due_jobs(now=START)]
        assert "test.broken" not in [o.key for o in run_due_jobs(now=START + timedelta(seconds=299))]
        assert "test.broken" in [o.key for o in run_due_jobs(now=START + timedelta(seconds=300))]
        lease = db.session.get(JobLease, "test.broken")
        assert (lease.runs, lease.due_at, lease.leased_by) == (2, START + timedelta(seconds=600), None)


def test_a_failing_job_is_reported_and_kept_and_the_others_still_run(make_app):
    app = make_app(EXTRA_PLUGINS=[("broken", BrokenJob())], PLUGINS=["broken"])
    with app.app_context():
        outcomes = {o.key: o for o in run_due_jobs(now=START)}
        assert outcomes["test.broken"].state == "failed"
        assert outcomes["test.broken"].error == "RuntimeError: 磁盘已满"
        assert outcomes["core.sla_sweep"].state == outcomes["core.notifications"].state == "done"
        lease = db.session.get(JobLease, "test.broken")
        assert (lease.last_error, lease.leased_by) == ("RuntimeError: 磁盘已满", None)
    result = app.test_cli_runner().invoke(worker_command, ["--once"])
    assert result.exit_code == 1
    assert "test.broken (出错的任务): failed: RuntimeError: 磁盘已满" in result.output
    assert "core.sla_sweep (SLA 巡检（预警、超时升级）): done, 0" in result.output


def _lease(key, holder, until):
    db.session.add(JobLease(key=key, due_at=START, leased_by=holder, leased_until=until, runs=0))
    db.session.commit()


def test_a_lease_of_a_worker_that_died_on_this_machine_is_taken_over_at_once(app):
    gone = subprocess.Popen(["true"])
    gone.wait()  # its process id now names no process
    with app.app_context():
        _lease("core.sla_sweep", f"{socket.gethostname()}:{gone.pid}:0a1b2c3d", utcnow() + timedelta(minutes=10))
        assert run_job("core.sla_sweep", now=START).state == "done"


def test_a_lease_of_a_live_worker_holds_until_it_expires(app):
    with app.app_context():
        _lease("core.sla_sweep", "another-host:4242:0a1b2c3d", utcnow() + timedelta(minutes=10))
        _lease("core.notifications", f"{socket.gethostname()}:{os.getpid()}:0a1b2c3d", utcnow() + timedelta(minutes=10))
        states = {o.key: o.state for o in run_due_jobs(now=START)}
        assert states["core.sla_sweep"] == states["core.notifications"] == "busy"
        assert run_job("core.sla_sweep", now=START).state == "busy"
        db.session.get(JobLease, "core.sla_sweep").leased_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert run_job("core.sla_sweep", now=START).state == "done"
        assert db.session.scalar(select(JobLease.leased_by).where(JobLease.key == "core.sla_sweep")) is None


def test_unknown_jobs_and_bad_specs_are_refused(app, make_app):
    with app.app_context(), pytest.raises(LookupError, match="no scheduled job 'nope'"):
        run_job("nope")
    with pytest.raises(ValueError, match="every must be a whole number of seconds"):
        ScheduledJob("x.y", Label(zh="任务", en="Job"), every=0, run=print)

    class Twin:
        def __init__(self, name):
            self.__name__ = name

        @hookimpl
        def kefu_scheduled_jobs(self):
            return [ScheduledJob("shared.job", Label(zh="任务", en="Job"), every=60, run=print)]

    with pytest.raises(RegistryError, match="scheduled job 'shared.job' is declared by both"):
        make_app(EXTRA_PLUGINS=[("one", Twin("one")), ("two", Twin("two"))], PLUGINS=["one", "two"])
