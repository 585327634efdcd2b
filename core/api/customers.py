"""Customer records through the API: reading needs customer.view, changing customer.edit (as at the desk)."""
from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from core.api import bp
from core.api.openapi import operation
from core.api.pages import body as page_body
from core.api.pages import by_id
from core.api.schemas import (
    CustomerCreateSchema,
    CustomerPageSchema,
    CustomerQuerySchema,
    CustomerSchema,
    CustomerUpdateSchema,
)
from core.customers.service import create_customer, delete_customer, update_customer
from core.extensions import db
from core.models import Customer


def _customer(customer_id):
    customer = db.session.get(Customer, customer_id)
    if customer is None:
        abort(404)
    return customer


@bp.get("/customers")
@operation("customers", query=CustomerQuerySchema, response=CustomerPageSchema, errors=(400, 403),
           permissions=("customer.view",))
def list_customers(query):
    """List customer records, oldest first; search by part of the name, phone or e-mail."""
    select_customers = select(Customer)
    if query.get("q"):
        like = f"%{query['q'].strip()}%"
        select_customers = select_customers.where(or_(Customer.name.ilike(like), Customer.phone.ilike(like),
                                                      Customer.email.ilike(like)))
    for key in ("kind", "grade"):
        if query.get(key):
            select_customers = select_customers.where(getattr(Customer, key) == query[key])
    rows, cursor = by_id(select_customers, Customer.id, query)
    return CustomerPageSchema().dump(page_body(rows, cursor))


@bp.post("/customers")
@operation("customers", body=CustomerCreateSchema, response=CustomerSchema, status=201, errors=(400, 403, 422),
           permissions=("customer.edit",))
def new_customer(body):
    """Create a customer record.

    A name is required (at most 200 characters); phone numbers are Chinese mobiles or landlines."""
    customer = create_customer(body, actor=current_user)
    created = CustomerSchema().dump(customer)
    db.session.commit()
    return created, 201, {"Location": url_for(".get_customer", customer_id=created["id"])}


@bp.get("/customers/<int:customer_id>")
@operation("customers", response=CustomerSchema, errors=(403, 404), permissions=("customer.view",))
def get_customer(customer_id):
    """A customer record."""
    return CustomerSchema().dump(_customer(customer_id))


@bp.patch("/customers/<int:customer_id>")
@operation("customers", body=CustomerUpdateSchema, response=CustomerSchema, errors=(400, 403, 404, 422),
           permissions=("customer.edit",))
def edit_customer(customer_id, body):
    """Change a customer record; fields left out keep their values."""
    customer = _customer(customer_id)
    update_customer(customer, body, actor=current_user)
    db.session.commit()
    return CustomerSchema().dump(customer)


@bp.delete("/customers/<int:customer_id>")
@operation("customers", status=204, errors=(403, 404, 409), permissions=("customer.edit",))
def remove_customer(customer_id):
    """Delete a customer record that nothing refers to.

    A record with tickets, accounts or member records is kept: the answer is a 409."""
    delete_customer(_customer(customer_id), actor=current_user)
    db.session.commit()
    return "", 204
