"""The OpenAPI document is valid, made from the code, and lists every route of the API."""
import re

from openapi_spec_validator import validate

from core.auth.permissions import AUTHENTICATED, declared_permission

_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                yield rule, _ARGUMENT.sub(r"{\1}", rule.rule), method.lower()


def test_the_document_is_valid_openapi_and_lists_every_route_with_its_permission(site):
    app = site["app"]
    response = site["agent"].get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    routes = list(api_routes(app))
    assert len(routes) >= 16
    for rule, path, method in routes:
        assert method in document["paths"].get(path, {}), f"{method.upper()} {path} is missing from the document"
        operation = document["paths"][path][method]
        declared = declared_permission(app, rule.endpoint)
        assert operation["x-permissions"] == ([] if declared == AUTHENTICATED else list(declared))
        assert "**Permission:**" in operation["description"] and operation["summary"]
        assert "401" in operation["responses"]
    documented = {(path, method) for path, item in document["paths"].items()
                  for method in item if method != "parameters"}
    assert documented == {(path, method) for _rule, path, method in routes}


def test_the_document_describes_bodies_errors_and_field_rules(site):
    document = site["agent"].get("/api/v1/openapi.json").get_json()
    patch = document["paths"]["/api/v1/tickets/{ticket_id}"]["patch"]
    body = patch["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TicketUpdate"}
    assert set(patch["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    schemas = document["components"]["schemas"]
    assert "version" in schemas["TicketUpdate"]["required"]
    customer = schemas["CustomerCreate"]["properties"]
    assert customer["confidentiality"]["enum"] == ["normal", "secret", "confidential", "top_secret"]
    assert "/api/v1/customer-grades" in customer["grade"]["description"]  # the grades are the site's own
    assert "allowed" in schemas["ErrorBody"]["properties"]
    assert document["components"]["securitySchemes"]["bearerToken"] == {"type": "http", "scheme": "bearer"}


def test_unknown_api_routes_and_methods_answer_json(site):
    agent = site["agent"]
    missing = agent.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    wrong_method = agent.delete("/api/v1/tickets")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["error"]["code"] == "method_not_allowed"
