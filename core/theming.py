"""Templates and themes: one explicit loader chain, theme assets, navigation and template slots.

Lookup order: instance/templates (the site's own overrides) → the active theme → plugin templates → core
templates. Admin templates are never taken from a theme, so a public theme cannot restyle the admin panel.
"""
import json
import os

from flask import Blueprint, abort, current_app, send_from_directory
from flask_login import current_user
from jinja2 import ChoiceLoader, FileSystemLoader, TemplateNotFound
from markupsafe import Markup

from core.auth.permissions import public
from core.errors import StartupError
from core.plugins.manager import ENABLED, plugin_folder

CORE_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class NoAdminLoader(FileSystemLoader):
    def get_source(self, environment, template):
        if template.startswith("admin/"):
            raise TemplateNotFound(template)
        return super().get_source(environment, template)


def theme_dir(app):
    base = app.config["THEMES_DIR"] or os.path.join(PROJECT_ROOT, "themes")
    path = os.path.join(base, app.config["THEME"])
    info_file = os.path.join(path, "info.json")
    if not os.path.isfile(info_file):
        raise StartupError(f"theme {app.config['THEME']!r} not found: {info_file} does not exist")
    return path


def plugin_template_dirs(plugins):
    return [path for info in plugins.values() if info.state == ENABLED and (path := plugin_folder(info, "templates"))]


theme_bp = Blueprint("theme", __name__)


@theme_bp.get("/theme/<path:filename>")
@public
def theme_static(filename):
    static = os.path.join(current_app.extensions["kefu"].theme_path, "static")
    if not os.path.isdir(static):
        abort(404)
    return send_from_directory(static, filename, max_age=3600)


def _slot(name, **context):
    results = current_app.extensions["kefu"].pm.hook.kefu_template_slot(name=name, context=context)
    return Markup("").join(Markup(part) for part in results if part)


def _nav_items():
    if not current_user.is_authenticated:
        return []
    items = current_app.extensions["kefu"].pm.hook.kefu_nav_items(user=current_user)
    visible = [item for group in items for item in (group or ()) if current_user.can(item.permission)]
    return sorted(visible, key=lambda item: (item.order, item.key))


def _unread_notifications():
    from core.notifications import unread_count

    return unread_count(current_user)


def _describe_notification(item):
    from core.notifications import describe

    return describe(item)


def init_app(app, plugins):
    path = theme_dir(app)
    with open(os.path.join(path, "info.json"), encoding="utf-8") as handle:
        info = json.load(handle)
    app.extensions["kefu"].theme_path = path
    app.extensions["kefu"].theme_info = info
    loaders = [FileSystemLoader(os.path.join(app.instance_path, "templates"))]
    loaders.append(NoAdminLoader(os.path.join(path, "templates")))
    loaders += [FileSystemLoader(d) for d in plugin_template_dirs(plugins)]
    loaders.append(FileSystemLoader(CORE_TEMPLATES))
    app.jinja_loader = ChoiceLoader(loaders)
    app.jinja_env.globals.update(slot=_slot, nav_items=_nav_items, unread_notifications=_unread_notifications,
                                  describe_notification=_describe_notification)
    app.register_blueprint(theme_bp)
