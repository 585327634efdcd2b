"""Configuration: core defaults, then instance/config.py, then KEFU_* environment variables.

`load_config(app, overrides)` applies the layers in that order; `overrides` (a dict, used by tests and by
`create_app(config=...)`) comes last. A broken instance/config.py raises ConfigError with one line that
names the file, so the CLI and the WSGI entry point can print it without a traceback.
"""
import json
import os
import secrets
import traceback
from datetime import timedelta

from core.errors import StartupError


class ConfigError(StartupError):
    """The site's configuration cannot be used; the message is one line for the operator."""


class DefaultConfig:
    # Data. None means "SQLite in the instance folder", resolved in load_config.
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Plugins. PLUGINS=None: the site's choice stored in the database (admin panel, `kefu plugins`);
    # a list here (or KEFU_PLUGINS="a,b") overrides it. SAFE_MODE starts with every plugin off.
    PLUGINS = None
    SAFE_MODE = False
    # Plugin objects registered beside the installed ones, as (name, object) pairs: site-local code
    # and tests. They obey PLUGINS / SAFE_MODE like installed plugins.
    EXTRA_PLUGINS = ()

    THEME = "default"
    THEMES_DIR = None  # None: the project's themes/ folder

    # Languages: the site's default; each user may choose their own.
    LANGUAGES = ("zh", "en")
    DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"

    # Sessions and auth. Secure cookies are switched on per request when served over https.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    LOGIN_RATE_LIMITS = ("5/minute", "30/hour")  # per address + account, then per address
    LOGIN_RATE_LIMITS_PER_ADDRESS = ("30/minute",)
    RATELIMIT_STORAGE_URI = "memory://"

    # Uploads: each file up to UPLOAD_MAX_BYTES, of these types; a whole request up to MAX_CONTENT_LENGTH.
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "pdf", "txt", "csv", "doc", "docx", "xls", "xlsx",
                         "ppt", "pptx", "zip", "mp3", "m4a", "amr", "mp4")
    MAX_CONTENT_LENGTH = 64 * 1024 * 1024

    # A protected customer record, once opened with a stated reason, stays open to that person this long.
    CUSTOMER_ACCESS_MINUTES = 15

    # E-mail notifications (smtplib). No MAIL_SERVER: nothing is sent by e-mail.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "kefu@localhost"
    MAIL_TIMEOUT = 30  # seconds

    # Reports: the longest date range a report may cover, and targets the site sets for any KPI by its key,
    # overriding the KPI's own, e.g. {"first_response_median": "<= 30", "complaint_handling_rate": ">= 100"}.
    REPORT_MAX_DAYS = 366
    REPORT_TARGETS = {}

    # Search. SEARCH_BACKEND "whoosh": an index folder (SEARCH_WHOOSH_PATH, default instance/search), for a
    # site on one host; "postgresql": the index in the site's PostgreSQL database, shared by every host.
    SEARCH_BACKEND = "whoosh"
    SEARCH_WHOOSH_PATH = None
    # After a commit that changed indexed data: "background" writes it to the index from a thread of the same
    # process, within about a second; "inline" before the commit returns (tests, scripts); "worker" leaves it
    # to `kefu worker`. Whichever process holds the writer lock writes; nobody waits for it.
    SEARCH_APPLY = "background"
    # "background": seconds the thread gathers further commits before it writes them in one index commit (a
    # Whoosh commit costs tens of milliseconds on a large index, whatever the number of documents in it).
    SEARCH_APPLY_DELAY = 0.5

    # `kefu worker`: seconds between two rounds of scheduled jobs (SLA sweep, outside notifications, plugins').
    WORKER_INTERVAL = 30
    # A job's lease: another worker takes over a job whose worker died after this many seconds (at once when
    # the dead worker ran on the same machine). Longer than any job's run.
    WORKER_JOB_LEASE = 600
    # Redis for the work queue (RQ), e.g. "redis://127.0.0.1:6379/0". None: `kefu worker` does all the work
    # itself and no Redis is needed.
    REDIS_URL = None

    # The address customers reach the site at, for links in messages sent outside a web request (the worker,
    # `kefu demo`), e.g. "https://kefu.example.cn". None: the request's own address, else http://localhost:5000.
    SITE_URL = None
    # Texts to customers wait in the SMS outbox (admin panel) for the site's SMS gateway; False: no SMS at all.
    SMS_OUTBOX = True

    # The closed loop after resolution (反馈 → 回访 → 评价 → 归档).
    FOLLOW_UP_DAYS = 3  # a follow-up is due this many days after resolution, unless an SLA policy sets it
    FOLLOW_UP_ALWAYS_GRADES = ("strategic", "key", "member")  # customers of these grades are always followed up
    FOLLOW_UP_SAMPLE_PERCENT = 30  # and this share of the others (admin rules may say otherwise)
    SURVEY_LINK_DAYS = 14  # a survey link works this many days, once
    ARCHIVE_AFTER_DAYS = 7  # resolved tickets with nothing left to do are archived (归档) after this many days
    QUALITY_SAMPLE_PERCENT = 5  # share of each agent's closed tickets drawn for inspection (质检) each week


def _parse_env_value(raw, default):
    """Environment values are strings; read them as the type of the default where that is clear."""
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, (list, tuple)) or default is None and "," in raw:
        return [part.strip() for part in raw.split(",") if part.strip()]
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _env_overrides(environ, defaults):
    values = {}
    for name, raw in environ.items():
        if name.startswith("KEFU_") and name != "KEFU_INSTANCE_PATH":
            key = name[len("KEFU_"):]
            values[key] = _parse_env_value(raw, defaults.get(key))
    # A single plugin name in KEFU_PLUGINS is still a list.
    if isinstance(values.get("PLUGINS"), str):
        values["PLUGINS"] = [values["PLUGINS"]] if values["PLUGINS"] else []
    return values


def _instance_file_values(path):
    if not os.path.exists(path):
        return {}
    namespace = {"__file__": path}
    try:
        with open(path, encoding="utf-8") as handle:
            exec(compile(handle.read(), path, "exec"), namespace)  # noqa: S102 - the site's own config
    except Exception as exc:  # any error in the site's file is reported as one line
        frames = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == path]
        line = exc.lineno if isinstance(exc, SyntaxError) else (frames[-1] if frames else None)
        where = f"{path}, line {line}" if line else path
        raise ConfigError(f"cannot load {where}: {type(exc).__name__}: {exc}") from None
    return {key: value for key, value in namespace.items() if key.isupper()}


def _secret_key(instance_path):
    """A random key written once into instance/ so sessions survive restarts and nothing is in the repo."""
    path = os.path.join(instance_path, "secret_key")
    if os.path.exists(path):
        with open(path, encoding="ascii") as handle:
            return handle.read().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def load_config(app, overrides=None):
    defaults = {key: getattr(DefaultConfig, key) for key in dir(DefaultConfig) if key.isupper()}
    app.config.update(defaults)
    app.config.update(_instance_file_values(os.path.join(app.instance_path, "config.py")))
    app.config.update(_env_overrides(os.environ, defaults))
    app.config.update(overrides or {})

    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "kefu.db")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    if app.config["DEFAULT_LOCALE"] not in app.config["LANGUAGES"]:
        raise ConfigError(
            f"DEFAULT_LOCALE {app.config['DEFAULT_LOCALE']!r} is not one of LANGUAGES {list(app.config['LANGUAGES'])}"
        )
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LOCALE"]
