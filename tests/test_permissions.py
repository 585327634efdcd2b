"""Every view declares the permission it needs, and the declaration is enforced."""
from core.auth.permissions import PUBLIC, declared_permission
from tests.helpers import create_user, login

PUBLIC_PAGES = {"auth.home", "auth.login", "auth.set_language", "health.healthz", "theme.theme_static",
                "portal.sign_up", "portal.request_link", "portal.sign_in_link", "portal.public_request",
                "portal.public_suggest", "portal.track", "portal.track_file", "followups.survey"}


def test_every_view_declares_its_permission(app):
    undeclared = sorted(endpoint for endpoint in app.view_functions if declared_permission(app, endpoint) is None)
    assert undeclared == []


def test_only_the_expected_views_are_public(app):
    public = {endpoint for endpoint in app.view_functions if declared_permission(app, endpoint) == PUBLIC
              and not (endpoint == "static" or endpoint.endswith(".static"))}
    assert public == PUBLIC_PAGES


def _get_routes_without_arguments(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in PUBLIC_PAGES:
            yield rule


def test_anonymous_visitors_are_sent_to_sign_in_or_get_401(app, client):
    checked = 0
    for rule in _get_routes_without_arguments(app):
        response = client.get(rule.rule)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert response.headers["Location"].startswith("/login"), rule.rule
        checked += 1
    assert checked > 10


def test_a_customer_is_refused_every_staff_and_admin_page(app, client):
    create_user(app, "c@example.cn", "customer", kind="customer")
    login(client, "c@example.cn")
    for rule in _get_routes_without_arguments(app):
        if rule.rule.startswith(("/desk", "/admin")):
            assert client.get(rule.rule).status_code == 403, rule.rule
