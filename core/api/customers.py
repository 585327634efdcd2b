"""Customer records through the API: reading needs customer.view, changing customer.edit (as at the desk).

A protected record (above "normal") follows the desk's rule: listed by name and level only; read, changed or
deleted only by an account with its clearance, which states why in ?reason=… — each such call is written to
the access log."""
from flask import abort, request, url_for
from flask_login import current_user
from sqlalchemy import select

from core.api import bp
from core.api.errors import ApiError, forbidden
from core.api.openapi import operation
from core.api.pages import body as page_body
from core.api.pages import by_id
from core.api.schemas import (
    CustomerCreateSchema,
    CustomerPageSchema,
    CustomerQuerySchema,
    CustomerSchema,
    CustomerUpdateSchema,
    GradeListSchema,
    GradeSchema,
    ReasonQuerySchema,
    RestrictedCustomerSchema,
)
from core.customers.access import NoClearance, ReasonRequired, details_open_to, live_customers, log_opening, matching
from core.customers.grades import grades
from core.customers.service import create_customer, delete_customer, update_customer
from core.extensions import db
from core.models import Customer, Tag, customer_tags


def _open(customer_id, query):
    """The record, after the clearance check and, for a protected one, the logged reason."""
    customer = db.session.scalar(live_customers().where(Customer.id == customer_id))
    if customer is None:
        abort(404)
    if customer.protected:
        try:
            log_opening(current_user, customer, query.get("reason"), channel="api", ip=request.remote_addr)
        except NoClearance as exc:
            raise forbidden(str(exc)) from None
        except ReasonRequired as exc:
            raise ApiError(403, "reason_required", str(exc), "reason") from None
        db.session.commit()  # the opening is logged even if what follows fails
    return customer


def _dump(customer):
    return (RestrictedCustomerSchema if customer.protected else CustomerSchema)().dump(customer)


@bp.get("/customers")
@operation("customers", query=CustomerQuerySchema, response=CustomerPageSchema, errors=(400, 403),
           permissions=("customer.view",))
def list_customers(query):
    """List customer records, oldest first; search by part of the name, phone, e-mail or contacts.

    Protected records are listed by name and level only (`restricted: true`)."""
    select_customers = live_customers()
    if query.get("q", "").strip():
        select_customers = select_customers.where(matching(current_user, query["q"]))
    if query.get("kind"):
        select_customers = select_customers.where(Customer.kind == query["kind"])
    if query.get("grade"):
        select_customers = select_customers.where(details_open_to(current_user), Customer.grade == query["grade"])
    if query.get("tag"):
        tagged = select(customer_tags.c.customer_id).join(Tag).where(Tag.name == query["tag"])
        select_customers = select_customers.where(details_open_to(current_user), Customer.id.in_(tagged))
    rows, cursor = by_id(select_customers, Customer.id, query)
    page = page_body([], cursor)
    page["items"] = [_dump(row) for row in rows]
    return page


@bp.post("/customers")
@operation("customers", body=CustomerCreateSchema, response=CustomerSchema, status=201, errors=(400, 403, 422),
           permissions=("customer.edit",))
def new_customer(body):
    """Create a customer record.

    A name is required (at most 200 characters); phone numbers are Chinese mobiles or landlines; a level
    above normal needs that level's clearance."""
    customer = create_customer(body, actor=current_user)
    created = CustomerSchema().dump(customer)
    db.session.commit()
    return created, 201, {"Location": url_for(".get_customer", customer_id=created["id"])}


@bp.get("/customers/<int:customer_id>")
@operation("customers", query=ReasonQuerySchema, response=CustomerSchema, errors=(403, 404),
           permissions=("customer.view",))
def get_customer(customer_id, query):
    """A customer record. A protected one needs its clearance and ?reason=… (logged)."""
    return CustomerSchema().dump(_open(customer_id, query))


@bp.patch("/customers/<int:customer_id>")
@operation("customers", query=ReasonQuerySchema, body=CustomerUpdateSchema, response=CustomerSchema,
           errors=(400, 403, 404, 422), permissions=("customer.edit",))
def edit_customer(customer_id, query, body):
    """Change a customer record; fields left out keep their values. A protected one needs ?reason=…."""
    customer = _open(customer_id, query)
    update_customer(customer, body, actor=current_user)
    db.session.commit()
    return CustomerSchema().dump(customer)


@bp.delete("/customers/<int:customer_id>")
@operation("customers", query=ReasonQuerySchema, status=204, errors=(403, 404, 409), permissions=("customer.edit",))
def remove_customer(customer_id, query):
    """Delete a customer record that nothing refers to.

    A record with tickets, accounts or member records is kept: the answer is a 409."""
    delete_customer(_open(customer_id, query), actor=current_user)
    db.session.commit()
    return "", 204


@bp.get("/customer-grades")
@operation("customers", response=GradeListSchema, permissions=("customer.view",))
def list_grades():
    """The site's customer grades (scheme "grade") and credit grades (scheme "credit"), in the site's order."""
    return {"items": GradeSchema(many=True).dump([*grades("grade"), *grades("credit")])}

