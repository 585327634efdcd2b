"""定期回访: each key account's visits, every `visit_every_days` from its next visit, as the core's care
reminders; the care job turns them into tasks, which the account's owner works through on the key-account
page (the note names the owner)."""
from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.plugins.specs import CareReminder
from plugins.logistics.models import KeyAccount

VISIT_KIND = "logistics.visit"
VISIT = Label(zh="大客户定期回访", en="Key-account visit")


def visit_days(account, start, end):
    if account.next_visit_on is None or account.visit_every_days < 1:
        return []
    day, step, days = account.next_visit_on, timedelta(days=account.visit_every_days), []
    if day < start:
        day += step * ((start - day) // step)
        if day < start:
            day += step
    while day <= end:
        days.append(day)
        day += step
    return days


def care_reminders(start, end):
    accounts = db.session.scalars(select(KeyAccount).where(KeyAccount.next_visit_on <= end)).all()
    return [CareReminder(account.customer_id, day, VISIT_KIND, VISIT,
                         note=f"负责人 / owner: {account.owner.name}" if account.owner else "")
            for account in accounts for day in visit_days(account, start, end)]
