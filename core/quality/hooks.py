"""Quality inspection's pages, navigation and admin view, registered as the plugin "core-quality"."""
from core.i18n import Label
from core.plugins import hookimpl
from core.plugins.specs import NavItem, ScheduledJob
from core.quality.sampling import draw_last_week
from core.quality.views import bp


@hookimpl
def kefu_scheduled_jobs():
    return [ScheduledJob("core.quality_sample", Label(zh="质检每周抽样", en="Weekly quality sample"), every=3600,
                         run=draw_last_week)]


@hookimpl
def kefu_demo_data(session, rng):
    from core.quality.demo import add_quality_demo_data

    add_quality_demo_data(session, rng)


@hookimpl
def kefu_blueprints(app):
    return [bp]


@hookimpl
def kefu_nav_items(user):
    if user.can("quality.inspect"):
        return [NavItem("quality", Label(zh="质检", en="Quality"), "quality.index", "quality.inspect", order=40)]
    return [NavItem("quality_mine", Label(zh="我的质检", en="My quality"), "quality.mine", "desk.access", order=40)]


@hookimpl
def kefu_admin_views(admin, db):
    from core.quality.admin import quality_admin_views  # the admin's modules import the plugin manager

    return quality_admin_views()
