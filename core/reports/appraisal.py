"""The agent appraisal report (考核) for a month or a quarter: for every team, the team's row and then each of
its members' rows, with every KPI side by side; a value that misses its target is marked. Staff in no team
come last, under "No team"."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.extensions import db
from core.models import Role, Team, User, user_roles
from core.reports.dashboard import tickets_url
from core.reports.kpis import Scope
from core.reports.results import measure_all
from core.reports.tables import Cell, Table, text_cell

APPRAISED_LEVELS = ("agent", "supervisor")


def _appraised_staff():
    query = (select(User).join(user_roles, user_roles.c.user_id == User.id).join(Role, Role.id == user_roles.c.role_id)
             .where(Role.level.in_(APPRAISED_LEVELS), User.kind == "staff", User.is_active_account.is_(True))
             .distinct().order_by(User.name, User.id))
    return db.session.scalars(query).all()


def _row(name, team_name, report_period, scope):
    cells = [text_cell(name), text_cell(team_name)]
    for measured in measure_all(report_period.period, scope):
        listed = measured.result.tickets is not None and measured.result.value is not None
        href = tickets_url(measured.spec.key, report_period, scope) if listed else None
        cells.append(Cell(measured.result.value, measured.text, href, measured.below_target, measured.target_text))
    return cells


def appraisal(report_period):
    """One table: the teams with their members, then the staff in no team."""
    kpis = current_app.extensions["kefu"].registry.kpis.values()
    table = Table(_("Appraisal %(period)s", period=report_period.label()),
                  [_("Name"), _("Team")] + [str(spec.label) for spec in kpis])
    staff = _appraised_staff()
    placed = set()
    for team in db.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)):
        table.emphasis.add(len(table.rows))
        table.rows.append(_row(_("%(team)s (team)", team=team.name), team.name, report_period, Scope(team_id=team.id)))
        for member in sorted((m for m in team.members if m in staff), key=lambda m: (m.name, m.id)):
            table.rows.append(_row(member.name, team.name, report_period, Scope(agent_id=member.id)))
            placed.add(member.id)
    for person in staff:
        if person.id not in placed:
            table.rows.append(_row(person.name, _("No team"), report_period, Scope(agent_id=person.id)))
    return table
