"""Builds the plugin manager of one app: discovery, the site's on/off choice, blocking, validation.

A disabled plugin is blocked before it is imported. A plugin that fails to import or to register (a
misspelled hook, a wrong signature) is left out with one line in the log and shown as broken in the admin
panel; the site starts without it.
"""
import inspect as inspect_module
import logging
import os
from dataclasses import dataclass
from importlib.metadata import entry_points
from importlib.util import find_spec

import pluggy
from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError

from core.errors import StartupError
from core.followups import hooks as followup_hooks
from core.plugins import ENTRY_POINT_GROUP, PROJECT, builtin, hookspecs
from core.quality import hooks as quality_hooks
from core.sla import hooks as sla_hooks

log = logging.getLogger("kefu.plugins")

ENABLED, DISABLED, BROKEN = "enabled", "disabled", "broken"


@dataclass
class PluginInfo:
    name: str
    state: str
    source: str  # "installed" (entry point) or "extra" (EXTRA_PLUGINS)
    version: str | None = None
    error: str | None = None
    module: object = None
    migrations: str | None = None  # its alembic versions folder, known even while the plugin is off


def plugin_folder(info, subfolder):
    """A folder beside the plugin's code (templates, translations), or None. Works for plugin modules and
    for plugin objects (EXTRA_PLUGINS), whose code is the module their class is defined in."""
    module = info.module
    if module is None:
        return None
    if not inspect_module.ismodule(module):
        module = inspect_module.getmodule(type(module))
    path = os.path.join(os.path.dirname(getattr(module, "__file__", "") or ""), subfolder)
    return path if os.path.isdir(path) else None


def installed_plugins():
    """Entry points of the kefu.plugins group, by name; nothing is imported here."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def stored_choice(db):
    """The site's choice from the database, or None when the table does not exist yet."""
    from core.models import PluginSetting

    try:
        if not inspect(db.engine).has_table(PluginSetting.__tablename__):
            return None
        rows = db.session.execute(select(PluginSetting.name, PluginSetting.enabled)).all()
    except SQLAlchemyError as exc:
        raise StartupError(f"cannot read the plugin settings from the database: {exc.__class__.__name__}: "
                           f"{str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0]}") from None
    finally:
        db.session.remove()
    return {name for name, enabled in rows if enabled}


def _folder_without_import(entry_point):
    """A disabled plugin's `migrations` folder, found from its module spec without running its code, so
    that alembic can still read the revisions it applied while it was on."""
    spec = find_spec(entry_point.module.partition(":")[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.join(list(spec.submodule_search_locations)[0], "migrations")
    return folder if os.path.isdir(folder) else None


def _disabled_migrations(source, target):
    if source == "installed":
        return _folder_without_import(target)
    return target.kefu_migrations() if callable(getattr(target, "kefu_migrations", None)) else None


def _unknown_hooks(pm, plugin):
    names = [name for name in dir(plugin) if pm.parse_hookimpl_opts(plugin, name) is not None]
    return [name for name in names if not hasattr(hookspecs, name)]


def _register(pm, info, plugin):
    unknown = _unknown_hooks(pm, plugin)
    if unknown:
        raise pluggy.PluginValidationError(plugin, f"unknown hook {', '.join(unknown)} (misspelled?)")
    pm.register(plugin, name=info.name)
    info.module = plugin


def build_plugin_manager(enabled, extra_plugins=()):
    """Return (pm, {name: PluginInfo}) with the core and every enabled, loadable plugin registered."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(builtin, name="core")
    pm.register(sla_hooks, name="core-sla")
    pm.register(followup_hooks, name="core-followups")
    pm.register(quality_hooks, name="core-quality")

    infos = {}
    candidates = [(name, "installed", ep) for name, ep in sorted(installed_plugins().items())]
    candidates += [(name, "extra", obj) for name, obj in extra_plugins]
    for name, source, target in candidates:
        version = target.dist.version if source == "installed" and target.dist else None
        info = infos[name] = PluginInfo(name, DISABLED, source, version)
        if name not in enabled:
            pm.set_blocked(name)
            info.migrations = _disabled_migrations(source, target)
            continue
        try:
            plugin = target.load() if source == "installed" else target
            _register(pm, info, plugin)
        except Exception as exc:  # a broken optional plugin must not take the site down
            info.state, info.error = BROKEN, f"{type(exc).__name__}: {exc}"
            log.error("plugin %r was not loaded: %s", name, info.error)
            continue
        info.state = ENABLED

    for impl in pm.hook.kefu_migrations.get_hookimpls():
        if impl.plugin_name in infos:
            infos[impl.plugin_name].migrations = impl.function()

    for name in sorted(set(enabled) - set(infos)):
        log.warning("plugin %r is enabled in the settings but not installed", name)
    pm.check_pending()
    return pm, infos
