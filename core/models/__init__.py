"""The core's tables. Importing this package registers every core model on db.metadata."""
from core.models.audit import AuditLog
from core.models.customer import Customer
from core.models.plugin_setting import PluginSetting
from core.models.team import Team, team_members
from core.models.ticket import CHANNELS, PRIORITIES, Attachment, Ticket, TicketEvent, TicketType
from core.models.types import utcnow
from core.models.user import ApiToken, Permission, Role, User, role_permissions, user_roles

__all__ = [
    "ApiToken", "Attachment", "AuditLog", "CHANNELS", "Customer", "PRIORITIES", "Permission", "PluginSetting",
    "Role", "Team", "Ticket", "TicketEvent", "TicketType", "User", "role_permissions", "team_members",
    "user_roles", "utcnow",
]
