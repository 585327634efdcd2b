"""Who works on a ticket: manual assignment, routing rules, workload or round-robin within a team, the duty
rota, reassignment that needs the supervisor's approval (改派审批), and escalation (升级)."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from core.extensions import db
from core.i18n import Label
from core.models import (
    AssignmentRule,
    DutyShift,
    Role,
    Ticket,
    TicketEvent,
    User,
    user_roles,
    utcnow,
)
from core.notifications import notify


class AssignmentError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def is_dispatched(ticket):
    """Assigned and past the workflow's first state: moving it elsewhere needs a supervisor."""
    if ticket.assignee_id is None:
        return False
    from core.workflow.engine import workflow_of

    return ticket.status != workflow_of(ticket).initial


def on_duty_ids(team, now):
    """Members on duty now; a team without any shifts is always on duty."""
    members = [m.id for m in team.members if m.is_active and m.is_staff]
    has_rota = db.session.scalar(select(exists().where(DutyShift.team_id == team.id)))
    if not has_rota:
        return members
    query = select(DutyShift.user_id).where(DutyShift.team_id == team.id, DutyShift.starts_at <= now,
                                            DutyShift.ends_at > now)
    on_shift = set(db.session.scalars(query))
    return [m for m in members if m in on_shift]


def open_workload(user_ids):
    """Active tickets per user, in one query."""
    if not user_ids:
        return {}
    query = (select(Ticket.assignee_id, func.count(Ticket.id)).where(Ticket.assignee_id.in_(user_ids),
             Ticket.active.is_(True)).group_by(Ticket.assignee_id))
    counts = dict(db.session.execute(query).all())
    return {uid: counts.get(uid, 0) for uid in user_ids}


def _eligible(team, skill, now):
    ids = on_duty_ids(team, now)
    members = {m.id: m for m in team.members}
    eligible = [uid for uid in ids if members[uid].can("ticket.reply")]
    if skill:
        eligible = [uid for uid in eligible if skill in (members[uid].skills or [])]
    return eligible


def pick_member(team, strategy, skill=None, now=None):
    """The member a new ticket goes to, or None when nobody suitable is on duty."""
    eligible = sorted(_eligible(team, skill, now or utcnow()))
    if not eligible:
        return None
    if strategy == "round_robin":
        later = [uid for uid in eligible if team.last_assigned_id is None or uid > team.last_assigned_id]
        chosen = (later or eligible)[0]
        team.last_assigned_id = chosen
    else:
        load = open_workload(eligible)
        chosen = min(eligible, key=lambda uid: (load[uid], uid))
    return db.session.get(User, chosen)


def matching_rule(ticket):
    rules = db.session.scalars(select(AssignmentRule).where(AssignmentRule.active.is_(True))
                               .order_by(AssignmentRule.position, AssignmentRule.id))
    for rule in rules:
        if rule.type_key not in (None, ticket.type.key) or rule.category not in (None, ticket.category):
            continue
        return rule
    return None


def route(ticket, now=None):
    """Apply the first matching rule to a new ticket: its team, and a member by the rule's strategy."""
    if ticket.team_id is not None or ticket.assignee_id is not None:
        return
    rule = matching_rule(ticket)
    if rule is None:
        return
    ticket.team = rule.team
    member = pick_member(rule.team, rule.strategy, rule.skill, now)
    if member is not None:
        set_assignee(ticket, None, member, rule.team, reason="rule", now=now)


def set_assignee(ticket, actor, assignee, team, reason=None, now=None):
    now = now or utcnow()
    before = {"assignee": ticket.assignee_id, "team": ticket.team_id}
    ticket.assignee = assignee
    if team is not None:
        ticket.team = team
    elif assignee is not None and ticket.team is None and assignee.teams:
        ticket.team = assignee.teams[0]
    ticket.updated_at = now
    event = TicketEvent(ticket=ticket, kind="assign", actor=actor, public=False, body=None, created_at=now,
                        data={"from": before["assignee"], "to": getattr(assignee, "id", None),
                              "team_from": before["team"], "team_to": getattr(ticket.team, "id", None),
                              "reason": reason})
    db.session.add(event)
    db.session.flush()
    if assignee is not None and assignee != actor:
        notify(assignee, "assigned", ticket, by=getattr(actor, "name", None))
    current_app.extensions["kefu"].pm.hook.kefu_ticket_assigned(ticket=ticket, event=event)
    return event


def assign(ticket, *, actor, assignee=None, team=None, now=None):
    """Manual assignment. Agents may take an unassigned ticket themselves; assigning others needs
    ticket.assign; moving a dispatched ticket needs ticket.approve_reassign (or a request, below)."""
    taking = assignee is not None and assignee.id == actor.id and ticket.assignee_id is None
    if not taking and not actor.can("ticket.assign"):
        raise AssignmentError("forbidden", _("You do not have permission to assign tickets."))
    if is_dispatched(ticket) and ticket.assignee_id != getattr(assignee, "id", None) \
            and not actor.can("ticket.approve_reassign"):
        raise AssignmentError("approval_required", _("This ticket is already dispatched; ask the supervisor to approve a reassignment."))
    if assignee is not None and (not assignee.is_staff or not assignee.is_active):
        raise AssignmentError("invalid_assignee", _("Tickets can only be assigned to active staff."))
    return set_assignee(ticket, actor, assignee, team, reason="manual", now=now)


def _approver(ticket):
    """The supervisor who decides on reassigning this ticket: its team's, else any supervisor or manager."""
    if ticket.team is not None and ticket.team.supervisor is not None:
        return [ticket.team.supervisor]
    query = (select(User).join(user_roles).join(Role).where(Role.level.in_(("supervisor", "manager")),
             User.is_active_account.is_(True)).distinct())
    return db.session.scalars(query).all()


def request_reassign(ticket, *, actor, to_user, reason, now=None):
    """Ask the supervisor to move a dispatched ticket to `to_user`: an approval of kind "reassign", decided
    with core.workflow.approvals.decide."""
    from core.workflow.approvals import open_request, pending_approvals

    if not (reason or "").strip():
        raise AssignmentError("reason_required", _("Please give a reason."))
    if any(row.kind == "reassign" for row in pending_approvals(ticket)):
        raise AssignmentError("pending", _("A reassignment request for this ticket is already waiting for a decision."))
    return open_request(ticket, kind="reassign", actor=actor, permission="ticket.approve_reassign",
                        approvers=_approver(ticket), reason=reason.strip(), to_user=to_user, now=now)


def managers():
    query = (select(User).join(user_roles).join(Role).where(Role.level == "manager", User.is_active_account.is_(True))
             .distinct().order_by(User.id))
    return db.session.scalars(query).all()


def escalation_contacts(ticket, level):
    """Who an escalation to ``level`` reaches: a plugin's answer (``kefu_escalation_contacts``), else the team's
    supervisor at level 1 (the managers when the team has none) and the managers at level 2."""
    chosen = current_app.extensions["kefu"].pm.hook.kefu_escalation_contacts(ticket=ticket, level=level)
    if chosen is not None:
        return list(chosen)
    supervisor = ticket.team.supervisor if ticket.team is not None else None
    return [supervisor] if level == 1 and supervisor is not None else managers()


def escalate(ticket, *, actor, reason, now=None):
    """一线 → 主管 → 经理: the first escalation hands the ticket to its team's supervisor, the second brings
    in the managers. Each is recorded with its reason and notifies who it reaches."""
    if not actor.can("ticket.escalate") and not actor.can("ticket.reply"):
        raise AssignmentError("forbidden", _("You do not have permission to escalate tickets."))
    if not (reason or "").strip():
        raise AssignmentError("reason_required", _("Please give a reason."))
    if ticket.escalation_level >= 2:
        raise AssignmentError("top", _("This ticket is already with the managers."))
    now = now or utcnow()
    level = ticket.escalation_level + 1
    supervisor = ticket.team.supervisor if ticket.team is not None else None
    reached = escalation_contacts(ticket, level)
    if not reached:
        raise AssignmentError("nobody", _("There is no supervisor or manager to escalate to."))
    ticket.escalation_level = level
    for person in reached:
        if person not in ticket.watchers:
            ticket.watchers.append(person)
        notify(person, "escalated", ticket, level=level, by=actor.name)
    db.session.add(TicketEvent(ticket=ticket, kind="escalate", actor=actor, public=False, body=reason.strip(),
                               data={"level": level, "to": [p.id for p in reached]}, created_at=now))
    if level == 1 and supervisor in reached and ticket.assignee_id != supervisor.id:
        set_assignee(ticket, actor, supervisor, ticket.team, reason="escalated", now=now)
    ticket.updated_at = now
    db.session.flush()
    return level


def suggestions(ticket, now=None):
    """Ranked people for this ticket with the reason for each: plugins' candidates first (the building's
    butler, the area's crew), then the team's members by open workload."""
    now = now or utcnow()
    ranked = {}
    hook = current_app.extensions["kefu"].pm.hook.kefu_assignment_candidates
    for candidates in hook(ticket=ticket):
        for user, score, reason in candidates or ():
            if user.id not in ranked or ranked[user.id][1] < score:
                ranked[user.id] = (user, score, reason)
    team = ticket.team
    if team is not None:
        load = open_workload(_eligible(team, None, now))
        for uid, count in load.items():
            if uid not in ranked:
                ranked[uid] = (db.session.get(User, uid), -count, Label(zh=f"进行中工单 {count} 件", en=f"{count} open tickets"))
    return sorted(ranked.values(), key=lambda item: (-item[1], item[0].id))

