"""Workflow specs: states (each in a category) and transitions (who may take each, what each requires)."""
from collections.abc import Callable
from dataclasses import dataclass

from core.i18n import Label

STATE_CATEGORIES = ("open", "pending", "resolved", "closed")
ACTIVE_CATEGORIES = ("open", "pending")  # the ticket still needs work
REQUIREMENTS = ("comment", "assignee", "approval", "follow_up")  # besides "field:<key>"


@dataclass(frozen=True)
class State:
    key: str
    label: Label
    category: str

    def __post_init__(self):
        if self.category not in STATE_CATEGORIES:
            raise ValueError(f"state {self.key!r}: category must be one of {', '.join(STATE_CATEGORIES)}")


@dataclass(frozen=True)
class Transition:
    key: str
    label: Label
    sources: tuple[str, ...]  # states it may be taken from
    target: str
    permission: str
    # "comment", "assignee", "field:<key>" (the ticket type's field <key> must have a value) and "approval"
    # (the step is taken once someone holding the `approver` permission granted it, see core.workflow.approvals)
    # and "follow_up" (the step is taken when the follow-up is recorded, see core.followups.service; nobody takes
    # it by hand, so a 回访 state always has its record: method, outcome, answers)
    requires: tuple[str, ...] = ()
    approver: str | Callable | None = None  # a permission key, or approver(ticket) -> a permission key

    def __post_init__(self):
        for need in self.requires:
            if need not in REQUIREMENTS and not (need.startswith("field:") and need.partition(":")[2]):
                raise ValueError(f"transition {self.key!r}: unknown requirement {need!r}; use "
                                 f"{', '.join(REQUIREMENTS)} or field:<key>")
        if ("approval" in self.requires) != (self.approver is not None):
            raise ValueError(f"transition {self.key!r}: a step that requires \"approval\" names its approver "
                             "(a permission key or a callable), and only such a step does")

    @property
    def field_keys(self):
        """The keys of the ticket fields this step needs ("field:<key>")."""
        return [need.partition(":")[2] for need in self.requires if need.startswith("field:")]

    def approver_permission(self, ticket):
        return self.approver(ticket) if callable(self.approver) else self.approver


@dataclass(frozen=True)
class WorkflowSpec:
    key: str
    label: Label
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self):
        keys = {state.key for state in self.states}
        problems = []
        if self.initial not in keys:
            problems.append(f"initial state {self.initial!r} is not a state")
        for transition in self.transitions:
            for name in (*transition.sources, transition.target):
                if name not in keys:
                    problems.append(f"transition {transition.key!r} names unknown state {name!r}")
        if problems:
            raise ValueError(f"workflow {self.key!r}: " + "; ".join(problems))

    def state(self, key):
        for state in self.states:
            if state.key == key:
                return state
        raise KeyError(key)

    def transitions_from(self, state_key):
        return [t for t in self.transitions if state_key in t.sources]
