"""What the search finds a utility ticket by: its account number, meter numbers, address and service area
(account:10010001, meter:2019010001, area:城东片区), read from the ticket and from its account."""
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.plugins.specs import SearchFieldSpec
from core.search import queue_reindex
from plugins.water.accounts import ticket_account, ticket_area, tickets_with_field
from plugins.water.areas import lineage, with_sub_areas
from plugins.water.models import Account
from plugins.water.terms import Term

# Every ticket type of the plugin that names an account.
ACCOUNT_TYPES = ("water_repair", "water_billing", "water_complaint", "water_quality", "water_connection",
                 "water_transfer", "water_closure", "water_reminder")


def _fields(ticket):
    return ticket.fields or {}


def account_number(ticket):
    return _fields(ticket).get("account")


def meter_numbers(ticket):
    account = ticket_account(ticket)
    numbers = [meter.number for meter in account.meters] if account is not None else []
    named = _fields(ticket).get("meter")
    return sorted({*numbers, named} - {None}) or None


def address(ticket):
    account = ticket_account(ticket)
    values = {_fields(ticket).get("address"), account.address if account is not None else None} - {None, ""}
    return sorted(values) or None


def area_names(ticket):
    """The area and the areas it lies in: a search for 城东片区 finds the reports from 东湖社区 too."""
    area = ticket_area(ticket)
    return [place.name for place in lineage(area)] if area is not None else None


SEARCH_FIELDS = (
    SearchFieldSpec("account", Label(zh="用户编号", en="Account number"), account_number),
    SearchFieldSpec("meter", Term(zh="{meter}号", en="{meter} number"), meter_numbers),
    SearchFieldSpec("address", Label(zh="地址", en="Address"), address),
    SearchFieldSpec("area", Label(zh="片区", en="Service area"), area_names),
)


def reindex_accounts(numbers):
    """Accounts whose address, area or meters changed: their tickets are indexed again with the commit."""
    return queue_reindex(tickets_with_field("account", numbers, ACCOUNT_TYPES))


def reindex_area(area):
    """An area renamed or moved: the tickets of its accounts and those naming it (or an area below it)."""
    ids = with_sub_areas([area.id])
    numbers = db.session.scalars(select(Account.number).where(Account.area_id.in_(ids))).all()
    return queue_reindex({*tickets_with_field("account", numbers, ACCOUNT_TYPES),
                          *tickets_with_field("area", ids, ACCOUNT_TYPES)})
