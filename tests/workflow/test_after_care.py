"""The shared 回访 / 归档 tail that industry workflows build on."""
from core.i18n import Label
from core.workflow.general import AFTER_CARE_STATES, after_care
from core.workflow.spec import State, WorkflowSpec


def test_after_care_follows_the_done_states():
    follow_up, close = after_care(["paid"])
    assert (follow_up.sources, follow_up.target, follow_up.requires) == (("paid",), "follow_up", ("follow_up",))
    assert (close.sources, close.target) == (("paid", "follow_up"), "closed")
    spec = WorkflowSpec("x", Label(zh="x", en="x"), "paid",
                        (State("paid", Label(zh="已赔付", en="Paid"), "resolved"), *AFTER_CARE_STATES),
                        (follow_up, close))
    assert [t.key for t in spec.transitions_from("follow_up")] == ["close"]
