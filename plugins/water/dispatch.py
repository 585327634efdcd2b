"""Who a utility ticket goes to: a repair to the crew of the account's area (its leader first, who accepts the
job), a quality report to the quality officers."""
from sqlalchemy import select

from core.extensions import db
from core.i18n import Label
from core.models import Role, User, user_roles
from plugins.water.accounts import ticket_area
from plugins.water.areas import crew_for
from plugins.water.terms import Term

LEADER_SCORE, CREW_SCORE, OFFICER_SCORE = 100, 60, 80


def _available(user):
    return user is not None and user.is_active and user.is_staff


def crew_candidates(ticket):
    crew, served = crew_for(ticket_area(ticket))
    if crew is None:
        return []
    found = []
    leader = crew.supervisor
    if _available(leader) and leader.can("water.crew_accept"):
        found.append((leader, LEADER_SCORE, Label(zh=f"{served.name}·{crew.name}班组长",
                                                  en=f"{served.name}: leader of {crew.name}")))
    for member in crew.members:
        if member != leader and _available(member):
            found.append((member, CREW_SCORE, Label(zh=f"{served.name}·{crew.name}", en=f"{served.name}: {crew.name}")))
    return found


def quality_officers():
    query = (select(User).join(user_roles).join(Role).where(Role.key == "water_quality", User.is_active_account.is_(True))
             .order_by(User.id))
    label = Term(zh="{quality}专员", en="{quality} officer")
    return [(user, OFFICER_SCORE, label) for user in db.session.scalars(query)]


def candidates(ticket):
    if ticket.type.key == "water_repair":
        return crew_candidates(ticket)
    if ticket.type.key == "water_quality":
        return quality_officers()
    return []
