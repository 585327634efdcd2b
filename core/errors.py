"""Errors that stop the site from starting; their message is one line for the operator."""


class StartupError(RuntimeError):
    pass
