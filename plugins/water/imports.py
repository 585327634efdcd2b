"""CSV imports (contract C5) of accounts and of meters with their readings, as a billing system exports them. A
row whose number exists already (on the site, or earlier in the file) updates that account or meter; the
search indexes their tickets again."""
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from core.csvio import CsvColumn, RowError, text_of
from core.customers.service import CustomerInputError, create_customer
from core.extensions import db
from core.i18n import Label
from core.models import Customer
from plugins.water.accounts import find_account, find_meter
from plugins.water.areas import find_area
from plugins.water.models import Account, Meter
from plugins.water.search import reindex_accounts
from plugins.water.terms import Term

L = Label
ACCOUNT_STATES = {"active": L(zh="正常", en="Active"), "suspended": L(zh="暂停供应", en="Suspended"),
                  "closed": L(zh="已销户", en="Closed")}
METER_STATES = {"in_service": L(zh="在用", en="In service"), "removed": L(zh="已拆除", en="Removed")}


def _number(text):
    if len(text) > 30 or not text.replace("-", "").isalnum():
        raise ValueError(_("Write the number as it is printed, letters and digits only, at most 30."))
    return text


def _state(states):
    def parse(text):
        for key, label in states.items():
            if text.casefold() in (key, label.zh, label.en.casefold()):
                return key
        raise ValueError(_("Write one of: %(names)s.", names=", ".join(label.zh for label in states.values())))
    return parse


def _date(text):
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        raise ValueError(_("Write the date as 2026-05-31.")) from None


def _reading(text):
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("Write the reading as a number, such as 1268.5.")) from None
    if not value.is_finite() or value < 0 or value >= 10**10:
        raise ValueError(_("Write the reading as a number, such as 1268.5."))
    return value.quantize(Decimal("0.01"))


ACCOUNT_COLUMNS = (
    CsvColumn("number", L(zh="用户编号", en="Account number"), required=True, parse=_number),
    CsvColumn("holder", L(zh="户主", en="Holder"), required=True, parse=text_of(200)),
    CsvColumn("phone", L(zh="联系电话", en="Phone"), parse=text_of(40)),
    CsvColumn("email", L(zh="电子邮箱", en="E-mail"), parse=text_of(254)),
    CsvColumn("address", L(zh="地址", en="Address"), required=True, parse=text_of(300)),
    CsvColumn("area", L(zh="片区", en="Service area"), required=True, parse=text_of(80)),
    CsvColumn("status", L(zh="状态", en="Status"), parse=_state(ACCOUNT_STATES)),
    CsvColumn("opened_on", L(zh="开户日期", en="Opened"), parse=_date),
)
METER_COLUMNS = (
    CsvColumn("number", Term(zh="{meter}号", en="{meter} number"), required=True, parse=_number),
    CsvColumn("account", L(zh="用户编号", en="Account number"), required=True, parse=_number),
    CsvColumn("last_reading", L(zh="最近读数", en="Last reading"), parse=_reading),
    CsvColumn("last_read_on", L(zh="抄表日期", en="Read on"), parse=_date),
    CsvColumn("installed_on", L(zh="安装日期", en="Installed"), parse=_date),
    CsvColumn("status", L(zh="状态", en="Status"), parse=_state(METER_STATES)),
)


def _holder(values, account):
    """The holder: the account's own when the name is unchanged, else the record with this phone, else new."""
    if account is not None and account.holder is not None and account.holder.name == values["holder"]:
        return account.holder
    if values["phone"]:
        found = db.session.scalar(select(Customer).where(Customer.phone == values["phone"].replace(" ", ""),
                                                         Customer.name == values["holder"]).limit(1))
        if found is not None:
            return found
    try:
        return create_customer({"name": values["holder"], "phone": values["phone"], "email": values["email"],
                                "address": values["address"], "kind": "person"})
    except CustomerInputError as exc:
        key, message = next(iter(exc.errors.items()))
        raise RowError(message, column={"name": "holder"}.get(key, key)) from None


def save_account(values, line):
    area = find_area(values["area"])
    if area is None:
        raise RowError(_("There is no service area called %(name)s.", name=values["area"]), column="area")
    account = find_account(values["number"])
    holder = _holder(values, account)
    if account is None:
        account = Account(number=values["number"], status="active")
        db.session.add(account)
    account.holder, account.address, account.area = holder, values["address"], area
    account.status = values["status"] or account.status
    account.opened_on = values["opened_on"] or account.opened_on
    reindex_accounts([account.number])


def save_meter(values, line):
    account = find_account(values["account"])
    if account is None:
        raise RowError(_("There is no account with the number %(number)s.", number=values["account"]),
                       column="account")
    meter = find_meter(values["number"])
    if meter is None:
        meter = Meter(number=values["number"], status="in_service")
        db.session.add(meter)
    previous = meter.account.number if meter.account is not None else None
    meter.account = account
    for key in ("last_reading", "last_read_on", "installed_on", "status"):
        if values[key] is not None:
            setattr(meter, key, values[key])
    reindex_accounts({account.number, previous} - {None})
