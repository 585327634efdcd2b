"""Switching plugins on and off (the admin panel and `kefu plugins`). Takes effect on restart."""
from core.errors import StartupError
from core.extensions import db
from core.models import PluginSetting, audit
from core.plugins.manager import installed_plugins


class UnknownPlugin(StartupError):
    pass


def known_plugin_names(app):
    names = set(installed_plugins())
    names.update(name for name, _plugin in app.config["EXTRA_PLUGINS"])
    return names


def set_enabled(app, name, enabled, actor=None):
    known = known_plugin_names(app)
    if name not in known:
        listing = ", ".join(sorted(known)) or "none"
        raise UnknownPlugin(f"unknown plugin {name!r}; installed plugins: {listing}")
    row = db.session.get(PluginSetting, name) or PluginSetting(name=name)
    row.enabled = enabled
    db.session.add(row)
    audit.record("plugin.enable" if enabled else "plugin.disable", actor=actor, plugin=name)
    db.session.commit()
