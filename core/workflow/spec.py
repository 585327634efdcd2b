"""Workflow specs: states (each in a category) and transitions (who may take each, what each requires)."""
from dataclasses import dataclass

from core.i18n import Label

STATE_CATEGORIES = ("open", "pending", "resolved", "closed")
ACTIVE_CATEGORIES = ("open", "pending")  # the ticket still needs work


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
    requires: tuple[str, ...] = ()  # "comment", "assignee", "approval", or "field:<key>"


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
