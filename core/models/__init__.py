"""The core's tables. Importing this package registers every core model on db.metadata."""
from core.models.approval import APPROVAL_KINDS, APPROVAL_STATES, Approval
from core.models.assignment import STRATEGIES, AssignmentRule, DutyShift
from core.models.audit import AuditLog
from core.models.care import CareRule, CareTask
from core.models.customer import (
    CONFIDENTIALITY,
    CONTACT_KINDS,
    GRADE_SCHEMES,
    Customer,
    CustomerAccess,
    CustomerContact,
    CustomerFlag,
    CustomerGrade,
    customer_tags,
)
from core.models.desk import CannedResponse, Notification, SavedFilter
from core.models.followup import (
    BAD_SCORE,
    FOLLOW_UP_METHODS,
    SURVEY_QUESTIONS,
    FollowUp,
    FollowUpRule,
    Investigation,
    Survey,
)
from core.models.jobs import JobLease
from core.models.knowledge import KbArticle, KbArticleVersion, KbCategory
from core.models.messages import CustomerMessage, SmsMessage
from core.models.plugin_setting import PluginSetting
from core.models.quality import QualityChecklistItem, QualityInspection, QualityScore
from core.models.report import ReportDaily, ReportDirty, ReportMailing, ReportOpenSpan, ReportTicketFact
from core.models.search import SearchOutbox, SearchState, search_documents
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
    "ApiToken", "Approval", "APPROVAL_KINDS", "APPROVAL_STATES", "AssignmentRule", "Attachment", "AuditLog",
    "BAD_SCORE", "CalendarOverride", "CannedResponse", "CareRule", "CareTask", "CHANNELS", "CLOCK_STATES",
    "CONFIDENTIALITY", "CONTACT_KINDS", "Customer", "customer_tags", "CustomerAccess", "CustomerContact",
    "CustomerFlag", "CustomerGrade", "CustomerMessage", "DutyShift", "FOLLOW_UP_METHODS", "FollowUp",
    "FollowUpRule", "GRADE_SCHEMES", "Investigation", "JobLease", "KbArticle", "KbArticleVersion", "KbCategory",
    "Notification", "NotificationDelivery", "Permission", "PluginSetting", "PRIORITIES", "QualityChecklistItem",
    "QualityInspection", "QualityScore", "ReportDaily", "ReportDirty", "ReportMailing", "ReportOpenSpan",
    "ReportTicketFact", "Role", "role_permissions", "SavedFilter", "search_documents", "SearchOutbox",
    "SearchState", "ServiceCalendar", "SLA_TARGETS", "SlaClock", "SlaPolicy", "SmsMessage", "STRATEGIES", "Survey",
    "SURVEY_QUESTIONS", "Tag", "Team", "team_members", "Ticket", "ticket_tags", "ticket_watchers", "TicketEvent",
    "TicketLink", "TicketType", "User", "user_roles", "utcnow"
]
