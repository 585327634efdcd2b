"""What registry hooks return: small frozen records that the core merges by key."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

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


@dataclass(frozen=True)
class NotificationKind:
    """What a notification of this kind says, from kefu_notification_kinds: ``text`` (a Label or lazy string)
    is formatted with %(who)s (who caused it), %(target)s, %(due)s, %(lowest)s, the notification's own data,
    and what ``values(data)`` returns (e.g. a label for a stored key), in the reader's language."""

    key: str
    text: object
    values: Callable[[dict], dict] | None = None


@dataclass(frozen=True)
class CareReminder:
    """A reminder for one customer on one day (maintenance, renewal, inspection…) from kefu_care_reminders."""

    customer_id: int
    on: date
    kind: str  # "<plugin>.<what>", unique per kind of reminder: one task per customer, kind and day
    label: Label
    note: str = ""


@dataclass(frozen=True)
class LookupSpec:
    """Choices that come from a plugin's own records (estates and rooms, service areas, tables) rather than a
    fixed list. A "lookup" field names one as its `source`; with a `parent` field, its choices depend on the
    value chosen there (estate → building → unit → room), and the desk, the portal and the API pick them
    level by level."""

    key: str  # "<plugin>.<thing>": "property.building"
    label: Label
    options: Callable  # options(parent) -> [Choice]: the choices under the parent's value (None: no parent)
    resolve: Callable  # resolve(value) -> (label, parent value or None), or None when there is no such choice


@dataclass(frozen=True)
class ScheduledJob:
    """Periodic work for `kefu worker`, run by one worker at a time under a lease (see core.worker).

    ``run(now)`` is called in an app context with a UTC-aware datetime and returns how many things it did
    (or None); it commits its own work and must be idempotent, claiming its rows with conditional UPDATEs:
    a lease that outlives a killed worker expires, and the job then runs again from the start."""

    key: str  # unique: "<plugin>.<job>" ("catering.dish_chase"); the core's are "core.<job>"
    label: Label
    every: int  # seconds between runs; the worker's round (WORKER_INTERVAL) is the finest grain
    run: Callable
    sort_order: int = 100  # order within a round: lower runs first

    def __post_init__(self):
        if not isinstance(self.every, int) or isinstance(self.every, bool) or self.every < 1:
            raise ValueError(f"scheduled job {self.key!r}: every must be a whole number of seconds >= 1")
        if not callable(self.run):
            raise ValueError(f"scheduled job {self.key!r}: run must be callable as run(now)")


@dataclass(frozen=True)
class SearchFieldSpec:
    """A value of a ticket that the search indexes (contract C4): searchable as ``key:value`` and as text.

    ``extract(ticket)`` returns this ticket's values: a string, a list of strings, or None. They are indexed
    as exact keywords (case and full-width letters folded) for ``key:`` and as full text. The key is
    lowercase ASCII (letters, digits, ``_``) and may not be one of the core's own filters (status, type, …).
    """

    key: str
    label: Label
    extract: Callable
