"""The core's tables. Importing this package registers every core model on db.metadata."""
from core.models.assignment import (
    STRATEGIES,
    AssignmentRule,
    DutyShift,
    ReassignRequest,
)
from core.models.audit import AuditLog
from core.models.customer import Customer
from core.models.desk import CannedResponse, Notification, SavedFilter
from core.models.knowledge import KbArticle, KbArticleVersion, KbCategory
from core.models.plugin_setting import PluginSetting
from core.models.sla import (
    CLOCK_STATES,
    SLA_TARGETS,
    CalendarOverride,
    NotificationDelivery,
    ServiceCalendar,
    SlaClock,
    SlaPolicy,
)
from core.models.team import Team, team_members
from core.models.ticket import (
    CHANNELS,
    PRIORITIES,
    Attachment,
    Tag,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketType,
    ticket_tags,
    ticket_watchers,
)
from core.models.types import utcnow
from core.models.user import (
    ApiToken,
    Permission,
    Role,
    User,
    role_permissions,
    user_roles,
)

__all__ = [
    "ApiToken", "AssignmentRule", "Attachment", "AuditLog", "CHANNELS", "CannedResponse", "Customer", "DutyShift",
    "KbArticle", "KbArticleVersion", "KbCategory", "Notification", "PRIORITIES", "Permission", "PluginSetting",
    "ReassignRequest", "Role", "STRATEGIES", "SavedFilter", "Tag", "Team", "Ticket", "TicketEvent", "TicketLink",
    "TicketType", "User", "role_permissions", "team_members", "ticket_tags", "ticket_watchers", "user_roles",
    "utcnow", "CLOCK_STATES", "SLA_TARGETS", "CalendarOverride", "NotificationDelivery", "ServiceCalendar",
    "SlaClock", "SlaPolicy",
]
