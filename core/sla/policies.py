"""SLA policies: the admin's (SlaPolicy rows) and the defaults plugins contribute (``kefu_sla_policies``), checked
for contradictions and matched to a ticket most specific first."""
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.models import SLA_TARGETS, SlaPolicy

TARGET_LABELS = {
    "first_response": _l("First response"),
    "next_response": _l("Next response"),
    "resolution": _l("Resolution"),
    "feedback": _l("Feedback after completion"),
    "follow_up": _l("Follow-up"),
}
MATCH_FIELDS = ("ticket_type", "priority", "customer_grade", "channel")  # in order of weight


class PolicyError(ValueError):
    """A policy that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Target:
    minutes: int
    business: bool = True  # count the team's service hours only; False: every minute counts


@dataclass(frozen=True)
class SlaPolicySpec:
    """A policy as the engine uses it. Plugins return these from ``kefu_sla_policies``; a row of SlaPolicy is
    turned into one. Match fields left None match any ticket."""

    key: str
    name: object  # a str or a core.i18n.Label
    targets: Mapping[str, Target]
    ticket_type: str | None = None
    priority: str | None = None
    customer_grade: str | None = None
    channel: str | None = None
    at_risk_percent: int = 80
    manager_after_minutes: int | None = None  # after a breach, when the managers are brought in
    policy_id: int | None = field(default=None, compare=False)  # the SlaPolicy row, for admin policies
    # Values of the ticket type's own fields that must match too ({"fault": "leak"}): a service commitment
    # per kind of fault. Each one counts like a match field, after the ticket type.
    ticket_fields: Mapping[str, str] = field(default_factory=dict)

    def matches(self, ticket):
        grade = ticket.customer.grade if ticket.customer is not None else None
        actual = {"ticket_type": ticket.type.key, "priority": ticket.priority, "customer_grade": grade,
                  "channel": ticket.channel}
        values = ticket.fields or {}
        return (all(getattr(self, name) in (None, actual[name]) for name in MATCH_FIELDS)
                and all(values.get(key) == value for key, value in self.ticket_fields.items()))

    @property
    def specificity(self):
        """More match fields set is more specific; at equal counts the type outweighs the type's own fields,
        which outweigh the priority, and so on."""
        given = tuple(getattr(self, name) is not None for name in MATCH_FIELDS)
        return (sum(given) + len(self.ticket_fields), given[0], len(self.ticket_fields), *given[1:])

    def describe_match(self):
        """The match fields that are set, as "field=value" pairs (empty: the policy applies to every ticket)."""
        described = {name: getattr(self, name) for name in MATCH_FIELDS if getattr(self, name) is not None}
        return {**described, **{f"fields.{key}": value for key, value in self.ticket_fields.items()}}


def validate(spec):
    """Raise PolicyError when the targets contradict each other or cannot be counted."""
    unknown = set(spec.targets) - set(SLA_TARGETS)
    if unknown:
        raise PolicyError(_("Unknown SLA target %(names)s; use %(known)s.", names=", ".join(sorted(unknown)),
                            known=", ".join(SLA_TARGETS)))
    if not spec.targets:
        raise PolicyError(_("Set at least one target (first response, resolution, …) in minutes."))
    for kind, target in spec.targets.items():
        if not isinstance(target.minutes, int) or target.minutes <= 0:
            raise PolicyError(_("%(target)s: the target must be a whole number of minutes greater than zero.",
                                target=TARGET_LABELS[kind]))
    resolution = spec.targets.get("resolution")
    for kind in ("first_response", "next_response"):
        earlier = spec.targets.get(kind)
        if resolution is not None and earlier is not None and resolution.minutes < earlier.minutes:
            raise PolicyError(_(
                "The resolution target (%(resolution)s min) is shorter than the %(target)s target (%(minutes)s min): "
                "a ticket would have to be resolved before it is answered. Make the resolution target longer or "
                "the %(target)s target shorter.",
                resolution=resolution.minutes, target=str(TARGET_LABELS[kind]).lower(), minutes=earlier.minutes))
    if not 1 <= spec.at_risk_percent <= 99:
        raise PolicyError(_("The at-risk threshold must be between 1 and 99 percent of the target."))
    if spec.manager_after_minutes is not None and spec.manager_after_minutes <= 0:
        raise PolicyError(_("The delay before the managers are told must be greater than zero, or left empty."))
    return spec


def spec_of(row):
    """The engine's view of an admin policy (not validated: see validate)."""
    targets = {kind: Target(getattr(row, f"{kind}_minutes"), bool(getattr(row, f"{kind}_business")))
               for kind in SLA_TARGETS if getattr(row, f"{kind}_minutes") is not None}
    return SlaPolicySpec(
        key=f"policy-{row.id}", name=row.name, targets=targets, ticket_type=row.ticket_type or None,
        priority=row.priority or None, customer_grade=row.customer_grade or None, channel=row.channel or None,
        at_risk_percent=row.at_risk_percent if row.at_risk_percent is not None else 80,
        manager_after_minutes=row.manager_after_minutes, policy_id=row.id)


def plugin_policies():
    """Defaults from ``kefu_sla_policies``, merged by key (a plugin replaces a core default of the same key)."""
    merged = {}
    for specs in reversed(current_app.extensions["kefu"].pm.hook.kefu_sla_policies()):
        for spec in specs or ():
            merged[spec.key] = validate(spec)
    return list(merged.values())


def matching_policy(ticket):
    """The most specific active policy for ``ticket``, or None. At equal specificity the admin's policies win
    over plugin defaults."""
    rows = db.session.scalars(select(SlaPolicy).where(SlaPolicy.active.is_(True)).order_by(SlaPolicy.id)).all()
    candidates = [(spec, 1) for spec in map(spec_of, rows)] + [(spec, 0) for spec in plugin_policies()]
    matching = [(spec, admin) for spec, admin in candidates if spec.matches(ticket)]
    best = max(matching, key=lambda pair: (pair[0].specificity, pair[1]), default=None)  # first of equals
    return best[0] if best else None
