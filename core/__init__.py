"""Kefu (客服): a plugin-based helpdesk. `create_app` builds one site:
config → extensions → plugin manager and registries → templates → blueprints → admin panel."""
import logging
import os
from dataclasses import dataclass, field

from flask import Flask

from core import database, i18n, search, theming
from core.config import load_config
from core.extensions import csrf
from core.plugins.manager import (
    ENABLED,
    build_plugin_manager,
    installed_plugins,
    plugin_folder,
    stored_choice,
)
from core.plugins.registry import Registry
from core.reports import refresh as _report_refresh  # noqa: F401 - its session listener marks changed tickets
from core.reports.results import check_site_targets
from core.tickets import display

CORE_TRANSLATIONS = os.path.join(os.path.dirname(__file__), "translations")


@dataclass
class KefuState:
    """What one app knows about its plugins; kept at app.extensions["kefu"]."""

    pm: object
    registry: Registry
    plugins: dict
    theme_path: str = ""
    theme_info: dict = field(default_factory=dict)
    admin: object = None

    @property
    def enabled_plugins(self):
        return frozenset(name for name, info in self.plugins.items() if info.state == ENABLED)


def _enabled_plugin_names(app):
    if app.config["SAFE_MODE"]:
        return set()
    if app.config["PLUGINS"] is not None:
        return set(app.config["PLUGINS"])
    with app.app_context():
        stored = stored_choice(database.db)
    return stored or set()


def _translation_dirs(plugins):
    return [CORE_TRANSLATIONS] + [path for info in plugins.values()
                                  if info.state == ENABLED and (path := plugin_folder(info, "translations"))]


def _register_blueprints(app, pm):
    from core.admin import init_admin
    from core.api import bp as api_bp
    from core.auth.views import bp as auth_bp
    from core.care.views import bp as care_bp
    from core.customers.views import bp as customers_bp
    from core.desk import bp as desk_bp
    from core.errorpages import init_app as init_error_pages
    from core.health import bp as health_bp
    from core.kb import bp as kb_bp
    from core.kb.portal import portal_kb_bp
    from core.portal import bp as portal_bp
    from core.reports.views import bp as reports_bp

    for blueprint in (auth_bp, desk_bp, customers_bp, care_bp, portal_bp, kb_bp, portal_kb_bp, reports_bp, api_bp,
                      health_bp):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # bearer tokens, not cookies: no cross-site forgery to guard against
    for blueprints in pm.hook.kefu_blueprints(app=app):
        for blueprint in blueprints or ():
            app.register_blueprint(blueprint)
    init_admin(app)
    init_error_pages(app)


def create_app(config=None):
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("KEFU_INSTANCE_PATH")
    app = Flask("core", instance_path=instance_path and os.path.abspath(instance_path),
                instance_relative_config=True, template_folder=None)
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app, config)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    database.init_app(app)
    csrf.init_app(app)
    pm, plugins = build_plugin_manager(_enabled_plugin_names(app), app.config["EXTRA_PLUGINS"])
    app.extensions["kefu"] = KefuState(pm=pm, registry=Registry(pm), plugins=plugins)

    from core import auth

    auth.init_app(app)
    i18n.init_app(app, _translation_dirs(plugins))
    theming.init_app(app, plugins)
    display.init_app(app)
    _register_blueprints(app, pm)
    check_site_targets(app)
    pm.hook.kefu_cli(group=app.cli)
    search.init_app(app)
    return app


__all__ = ["create_app", "installed_plugins"]
