"""A customer never reaches another customer's request or file: every portal route that takes an id is
tried with the other customer's ids and with ids that do not exist, and answers 404 the same way."""
import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import Attachment, Ticket, TicketEvent
from core.portal import service
from tests.helpers import csrf_token
from tests.portal.conftest import finish_ticket


def _routes(app):
    """Every portal rule with an id or a token in its path, with its methods."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("portal.") and rule.arguments and rule.endpoint != "portal.static":
            yield rule, sorted(rule.methods & {"GET", "POST"})


def _call(client, method, url, token):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token, "body": "偷看", "reason": "偷看"})


def _snapshot(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(TicketEvent.id))), db.session.scalar(select(func.count(Attachment.id))),
                tuple(db.session.scalars(select(Ticket.status).order_by(Ticket.id))))


def _guesses(world, tracking_b, other_ticket, other_file):
    """(method, url) pairs that name a request or file customer A may not reach."""
    a = world.ticket_a
    return [
        ("GET", f"/portal/tickets/{other_ticket}"),
        ("POST", f"/portal/tickets/{other_ticket}/reply"),
        ("POST", f"/portal/tickets/{other_ticket}/reopen"),
        ("GET", f"/portal/tickets/{other_ticket}/files/{other_file}"),
        ("GET", f"/portal/tickets/{a}/files/{other_file}"),  # own request, another's file
        ("GET", f"/portal/track/{tracking_b[:-2]}xx"),  # a tampered tracking link
        ("GET", f"/portal/track/{tracking_b}/tickets/{a}/files/{world.photo_a}"),  # B's link, A's file
        ("GET", f"/portal/track/{tracking_b}/tickets/{other_ticket}/files/{world.note_file_a}"),
        ("GET", "/portal/link/forged.token"),
        ("POST", "/portal/link/forged.token"),
    ]


@pytest.mark.parametrize("guess", ["other customer", "missing"])
def test_guessed_ids_answer_404_on_every_route(app, world, guess):
    finish_ticket(app, world.ticket_b)  # reopening would be allowed, were it B asking
    with app.app_context():
        tracking_b = service.track_token(db.session.get(Ticket, world.ticket_b))
    other_ticket, other_file = (world.ticket_b, world.bill_b) if guess == "other customer" else (999, 999)
    token = csrf_token(world.a, f"/portal/tickets/{world.ticket_a}")
    before = _snapshot(app)
    for method, url in _guesses(world, tracking_b, other_ticket, other_file):
        assert _call(world.a, method, url, token).status_code == 404, (method, url)
    assert _snapshot(app) == before  # nothing was written through another customer's ids


def test_the_guesses_cover_every_portal_route_with_an_id(app, world):
    tried = {(method, app.url_map.bind("localhost").match(url, method=method)[0])
             for method, url in _guesses(world, "a.b", world.ticket_b, world.bill_b)}
    routes = {(method, rule.endpoint) for rule, methods in _routes(app) for method in methods}
    assert routes <= tried


def test_own_request_with_another_requests_file_is_404(app, world):
    for attachment in (world.bill_b, world.reply_file_b):
        assert world.a.get(f"/portal/tickets/{world.ticket_a}/files/{attachment}").status_code == 404
        assert world.b.get(f"/portal/tickets/{world.ticket_b}/files/{attachment}").status_code == 200


def test_a_customer_without_a_record_sees_only_what_they_filed(app, world):
    from tests.helpers import create_user
    from tests.portal.conftest import signed_in

    create_user(app, "loner@example.cn", "customer", kind="customer")
    loner = signed_in(app, "loner@example.cn")
    for ticket_id in (world.ticket_a, world.ticket_b):
        assert loner.get(f"/portal/tickets/{ticket_id}").status_code == 404
    assert "厨房水龙头漏水" not in loner.get("/portal/").get_data(as_text=True)


def test_staff_cannot_use_the_portal_pages(app, world):
    assert world.staff.get("/portal/").status_code == 403
    assert world.staff.get(f"/portal/tickets/{world.ticket_a}").status_code == 403
