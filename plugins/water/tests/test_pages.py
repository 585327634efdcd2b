"""The plugin's pages: each declares its permission, only the service commitment is public, and each page
answers its own audience in both languages."""
from core.auth.permissions import PUBLIC, declared_permission
from tests.helpers import post_form


def test_every_page_declares_its_permission_and_only_the_commitment_is_public(water_app):
    ours = [endpoint for endpoint in water_app.view_functions if endpoint.startswith("water.")]
    assert ours and all(declared_permission(water_app, endpoint) is not None for endpoint in ours)
    assert [e for e in ours if declared_permission(water_app, e) == PUBLIC] == ["water.service_commitment"]


def test_the_pages_answer_only_their_audience(world, signed_in):
    hotline, crew, customer = (signed_in(email) for email in ("hotline@water.cn", "east@water.cn", "wang@example.cn"))
    assert hotline.get("/water/outages").status_code == 200
    assert hotline.get("/water/outages/new").status_code == 403  # planning is the department's
    assert hotline.get("/water/hotline-report").status_code == 403
    assert crew.get("/water/outages").status_code == 200
    for url in ("/water/outages", "/water/outages/new", "/water/hotline-report", "/desk/"):
        assert customer.get(url).status_code == 403, url
    engineering = signed_in("engineering@water.cn")
    for url in ("/water/outages", "/water/outages/new", "/water/hotline-report"):
        assert engineering.get(url).status_code == 200, url
    assert engineering.get("/water/outages/999").status_code == 404


def test_the_commitment_is_public_and_follows_the_language(world, water_app):
    visitor = water_app.test_client()
    page = visitor.get("/water/commitment").get_data(as_text=True)
    for words in ("供水服务承诺", "漏水", "1小时", "不准以水谋私", "不准私接私装供水设施", "96116", "违反‘六不准’"):
        assert words in page, words
    assert "十字服务用语" not in page  # the service manners are the staff's
    post_form(visitor, "/language", {"language": "en", "next": "/water/commitment"}, form_url="/water/commitment")
    page = visitor.get("/water/commitment").get_data(as_text=True)
    for words in ("Our water service commitment", "Water leak", "1 hour", "No using the water supply for personal gain"):
        assert words in page, words


def test_staff_see_the_service_manners_beside_the_rules(world, signed_in):
    page = signed_in("hotline@water.cn").get("/water/commitment").get_data(as_text=True)
    assert "十字服务用语：您好、请、谢谢、对不起、再见" in page and "三声服务" in page
