"""Customer records in and out as CSV (core.csvio): the columns, how an imported row becomes a record, and
which records an export may contain. Values are written as labels in the reader's language (个人, 战略客户,
秘密…) and read back as labels in either language or as keys."""
from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.csvio import CsvColumn, RowError
from core.customers import service
from core.customers.access import LEVEL_LABELS, cleared_levels, log_opening
from core.customers.grades import grade_label
from core.customers.listing import filtered
from core.extensions import db
from core.i18n import Label
from core.models import Customer


def _label_of(labels):
    return lambda key: str(labels.get(key, key))


COLUMNS = (
    CsvColumn("name", Label(zh="名称", en="Name"), required=True, parse=service.clean_name),
    CsvColumn("kind", Label(zh="类型", en="Kind"), parse=service.clean_kind, format=_label_of(service.KIND_LABELS)),
    CsvColumn("organisation", Label(zh="所属单位", en="Organisation")),
    CsvColumn("phone", Label(zh="电话", en="Phone"), parse=service.clean_phone),
    CsvColumn("email", Label(zh="电子邮箱", en="E-mail"), parse=service.clean_email),
    CsvColumn("address", Label(zh="地址", en="Address"), parse=service.clean_address),
    CsvColumn("grade", Label(zh="客户等级", en="Grade"), parse=service.clean_grade,
              format=lambda key: str(grade_label("grade", key))),
    CsvColumn("credit_grade", Label(zh="信用等级", en="Credit grade"), parse=service.clean_credit_grade,
              format=lambda key: str(grade_label("credit", key))),
    CsvColumn("birthday", Label(zh="生日", en="Birthday"), parse=service.clean_birthday),
    CsvColumn("tags", Label(zh="标签", en="Tags"), parse=lambda text: [t.name for t in service.clean_tags(text)]),
    CsvColumn("confidentiality", Label(zh="密级", en="Confidentiality"), parse=service.clean_confidentiality,
              format=_label_of(LEVEL_LABELS)),
    CsvColumn("notes", Label(zh="备注", en="Notes")),
)


def _existing_with(column, value):
    return db.session.scalar(select(Customer.id).where(Customer.merged_into_id.is_(None), column == value).limit(1))


def save_row(values, line):
    """A new record from an imported row. Refuses a row whose phone or e-mail a record already has (in the
    archive or earlier in the file): import does not guess which of two records is right."""
    if values["phone"] and _existing_with(Customer.phone, values["phone"]) is not None:
        raise RowError(_("A customer record with this phone number already exists."), column="phone")
    if values["email"] and _existing_with(func.lower(Customer.email), values["email"].lower()) is not None:
        raise RowError(_("A customer record with this e-mail address already exists."), column="email")
    data = {key: value for key, value in values.items() if key != "organisation" and value is not None}
    if values["organisation"]:
        organisation = db.session.scalar(select(Customer).where(
            Customer.kind == "organisation", Customer.merged_into_id.is_(None),
            Customer.name == values["organisation"].strip()).order_by(Customer.id).limit(1))
        if organisation is None:
            raise RowError(_("No organisation of this name; import the organisation first (it may be on an "
                             "earlier line)."), column="organisation")
        data["organisation_id"] = organisation.id
    try:
        service.create_customer(data, actor=current_user)
    except service.CustomerInputError as exc:
        key, message = next(iter(exc.errors.items()))
        raise RowError(message, column="organisation" if key == "organisation_id" else key) from None


def export_rows(user, filters, reason=""):
    """The rows of an export: the records matching `filters` that `user` may read — normal ones, and the
    protected ones of the levels `user` is cleared for when a reason is given (each is logged as opened)."""
    levels = ["normal"]
    if (reason or "").strip():
        levels = cleared_levels(user)
        query = filtered(user, filters).where(Customer.confidentiality.in_(levels[1:]))
        for customer in db.session.scalars(query):
            log_opening(user, customer, reason, channel="export", ip=request.remote_addr)
        db.session.commit()  # the openings are logged before anything is sent
    query = (filtered(user, filters).where(Customer.confidentiality.in_(levels))
             .options(selectinload(Customer.tags), selectinload(Customer.organisation))
             .order_by(Customer.name, Customer.id))
    return _rows(query)


def _rows(query):
    for customer in db.session.scalars(query.execution_options(yield_per=500)):
        yield {"name": customer.name, "kind": customer.kind, "phone": customer.phone, "email": customer.email,
               "organisation": customer.organisation.name if customer.organisation else None,
               "address": customer.address, "grade": customer.grade, "credit_grade": customer.credit_grade,
               "birthday": customer.birthday, "tags": [tag.name for tag in customer.tags],
               "confidentiality": customer.confidentiality, "notes": customer.notes}
