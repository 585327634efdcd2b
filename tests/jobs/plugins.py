"""Plugins with scheduled jobs for the worker tests: one that waits for the test to let it finish, one that fails."""
import os
import time

from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import ScheduledJob


class SlowJob:
    """"test.slow" notes each run in `folder`/runs, says it started, and finishes once `folder`/release exists."""

    def __init__(self, folder):
        self.folder = folder

    def run(self, now):
        with open(os.path.join(self.folder, "runs"), "a", encoding="utf-8") as runs:
            runs.write(f"{os.getpid()}\n")
        open(os.path.join(self.folder, "started"), "w").close()
        for _ in range(600):  # at most a minute, so that a broken test cannot hang the suite
            if os.path.exists(os.path.join(self.folder, "release")):
                return 1
            time.sleep(0.1)
        raise TimeoutError("the test never released the job")

    @hookimpl
    def kefu_scheduled_jobs(self):
        return [ScheduledJob("test.slow", Label(zh="慢任务", en="Slow job"), every=3600, run=self.run)]


class BrokenJob:
    @hookimpl
    def kefu_scheduled_jobs(self):
        def fail(now):
            raise RuntimeError("磁盘已满")

        return [ScheduledJob("test.broken", Label(zh="出错的任务", en="Broken job"), every=300, run=fail)]
