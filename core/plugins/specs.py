"""What registry hooks return: small frozen records that the core merges by key."""
from dataclasses import dataclass, field

from core.i18n import Label

LEVELS = ("admin", "manager", "supervisor", "agent", "quality", "customer")


@dataclass(frozen=True)
class PermissionSpec:
    key: str
    label: Label


@dataclass(frozen=True)
class RoleSpec:
    """A role. It gets every permission of the core role of its `level`, plus `permissions`."""

    key: str
    label: Label
    level: str
    permissions: tuple[str, ...] = ()

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"role {self.key!r}: level must be one of {', '.join(LEVELS)}, not {self.level!r}")


@dataclass(frozen=True)
class TicketTypeSpec:
    key: str
    label: Label
    workflow: str = "general"
    fields: tuple = ()  # FieldSpec records, see core.tickets.fields
    public: bool = False  # the default; the site may change it in the admin panel
    category: str | None = None  # a core category key (inquiry, complaint, repair, …)
    sort_order: int = 100


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Label
    endpoint: str
    permission: str
    order: int = 100
    url_values: dict = field(default_factory=dict)
