"""The admin panel at /admin (Flask-Admin), built anew for every app."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from core.admin.views import CORE_MODEL_VIEWS, PluginsView, SecureIndexView
from core.extensions import db


def init_admin(app):
    admin = Admin(
        app,
        name=_l("Kefu admin"),
        url="/admin",
        index_view=SecureIndexView(name=_l("Overview"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/kefu_base.html", fluid=True),
    )
    for view_class, model, name, endpoint in CORE_MODEL_VIEWS:
        admin.add_view(view_class(model, db, name=name, endpoint=endpoint))
    from core.customers.admin import admin_views as customer_admin_views

    for view in customer_admin_views():
        admin.add_view(view)
    admin.add_view(PluginsView(name=_l("Plugins"), endpoint="admin_plugins", url="/admin/plugins"))
    for views in app.extensions["kefu"].pm.hook.kefu_admin_views(admin=admin, db=db):
        for view in views or ():
            admin.add_view(view)
    app.extensions["kefu"].admin = admin
    return admin
