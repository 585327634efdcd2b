"""Rate limits (login attempts, public forms) on the `limits` library: memory by default, Redis when
RATELIMIT_STORAGE_URI says so, so that several workers share one count."""
from flask import current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class RateLimiter:
    def __init__(self, storage_uri):
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def hit(self, scope, key, limits):
        """Count one attempt; return False when any of the limits is already used up."""
        allowed = True
        for item in parse_many(";".join(limits)):
            if not self._limiter.hit(item, scope, key):
                allowed = False
        return allowed

    def clear(self, scope, key, limits):
        for item in parse_many(";".join(limits)):
            self._limiter.clear(item, scope, key)


def limiter():
    return current_app.extensions["kefu_ratelimit"]


def init_app(app):
    app.extensions["kefu_ratelimit"] = RateLimiter(app.config["RATELIMIT_STORAGE_URI"])
