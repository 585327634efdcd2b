"""A plugin for the worker tests that kills its own process in the middle of the second breach it handles."""
import os
import signal

from core.plugins import hookimpl


class KillOnSecondBreach:
    def __init__(self):
        self.breaches = 0

    @hookimpl
    def kefu_sla_breached(self, ticket, clock):
        self.breaches += 1
        if self.breaches == 2:
            os.kill(os.getpid(), signal.SIGKILL)  # no clean-up, no rollback: as if the machine lost power
