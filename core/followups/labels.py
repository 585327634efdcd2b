"""Names of the closed loop's questions, scores, methods and states in the reader's language."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

QUESTION_LABELS = {"quality": _l("Quality of service"), "attitude": _l("Attitude of our staff"),
                   "speed": _l("Speed of response")}
SCORE_LABELS = {1: _l("Very dissatisfied"), 2: _l("Dissatisfied"), 3: _l("Neutral"), 4: _l("Satisfied"),
                5: _l("Very satisfied")}
METHOD_LABELS = {"phone": _l("Phone call"), "sms": _l("Text message"), "email": _l("E-mail follow-up"),
                 "visit": _l("Home visit")}
REASON_LABELS = {"always": _l("Customer grade: always"), "sampled": _l("Sampled"),
                 "investigation": _l("After an investigation")}
CHANNEL_LABELS = {"link": _l("Survey link"), "portal": _l("Portal"), "follow_up": _l("Follow-up"), "api": _l("API")}


def scores_text(scores):
    """"Quality of service 2 of 5; …" for the questions answered in ``scores``."""
    return _("; ").join(_("%(question)s %(score)s of 5", question=label, score=scores[name])
                        for name, label in QUESTION_LABELS.items() if scores.get(name) is not None)
