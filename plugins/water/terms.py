"""The words that differ between a water, a gas and a power company (用水申请 / 用气申请 / 用电申请, 停水 / 停气 /
停电): one setting of the site picks the kind, and every label of the plugin follows it. The code is the same.

A `Term` is a label written with placeholders ("{use}申请", "New {supply} connection"); it is filled in with the
site's kind each time it is shown, so roles, ticket types, fields and notices all change together.
"""
from flask import g

from core.i18n import Label, current_language

KINDS = ("water", "gas", "power")
DEFAULT_KIND = "water"

KIND_LABELS = {
    "water": Label(zh="供水", en="Water"),
    "gas": Label(zh="燃气", en="Gas"),
    "power": Label(zh="供电", en="Power"),
}

# name → {kind: (Chinese, English)}; the English words are lower case (a label's first letter is raised).
WORDS = {
    "supply": {"water": ("供水", "water"), "gas": ("供气", "gas"), "power": ("供电", "power")},
    "trade": {"water": ("供水", "water"), "gas": ("燃气", "gas"), "power": ("供电", "power")},
    "use": {"water": ("用水", "water"), "gas": ("用气", "gas"), "power": ("用电", "power")},
    "outage": {"water": ("停水", "water outage"), "gas": ("停气", "gas outage"), "power": ("停电", "power outage")},
    "no_supply": {"water": ("停水", "no water"), "gas": ("停气", "no gas"), "power": ("停电", "no power")},
    "meter": {"water": ("水表", "water meter"), "gas": ("燃气表", "gas meter"), "power": ("电表", "electricity meter")},
    "bill": {"water": ("水费", "water bill"), "gas": ("燃气费", "gas bill"), "power": ("电费", "electricity bill")},
    "leak": {"water": ("漏水", "water leak"), "gas": ("漏气", "gas leak"), "power": ("漏电", "current leakage")},
    "low": {"water": ("水压低", "low water pressure"), "gas": ("气压低", "low gas pressure"),
            "power": ("电压低", "low voltage")},
    "quality": {"water": ("水质", "water quality"), "gas": ("燃气质量", "gas quality"),
                "power": ("电能质量", "power quality")},
    "facility": {"water": ("供水设施", "water facilities"), "gas": ("燃气设施", "gas facilities"),
                 "power": ("供电设施", "power facilities")},
    "prepare": {"water": ("请提前做好储水准备。", "please store some water beforehand."),
                "gas": ("请提前关闭燃气器具阀门。", "please turn off your gas appliances beforehand."),
                "power": ("请提前做好停电准备。", "please prepare for the power cut.")},
    "for_gain": {"water": ("以水谋私", "the water supply"), "gas": ("以气谋私", "the gas supply"),
                 "power": ("以电谋私", "the power supply")},
}


def utility_kind():
    """The site's kind (water, gas or power), read once per request or app context."""
    if "water_utility_kind" not in g:
        from core.extensions import db
        from plugins.water.models import WaterSettings

        with db.session.no_autoflush:  # a label may be read while a row is half built
            g.water_utility_kind = WaterSettings.current().utility_kind
    return g.water_utility_kind


def forget_kind():
    """After the setting changed: the next label reads it again."""
    g.pop("water_utility_kind", None)


def words(kind, language):
    index = 0 if language == "zh" else 1
    return {name: forms[kind][index] for name, forms in WORDS.items()}


def _raise_first(text):
    return text[:1].upper() + text[1:]


class Term:
    """A label whose words follow the site's utility kind; used wherever a `core.i18n.Label` is."""

    __slots__ = ("zh_template", "en_template")

    def __init__(self, zh, en):
        self.zh_template, self.en_template = zh, en

    def in_kind(self, kind):
        return Label(zh=self.zh_template.format(**words(kind, "zh")),
                     en=_raise_first(self.en_template.format(**words(kind, "en"))))

    @property
    def zh(self):
        return self.in_kind(utility_kind()).zh

    @property
    def en(self):
        return self.in_kind(utility_kind()).en

    def __str__(self):
        return self.en if current_language() == "en" else self.zh

    def __html__(self):
        from markupsafe import escape

        return str(escape(str(self)))

    def __repr__(self):
        return f"Term({self.zh_template!r}, {self.en_template!r})"


# Phrases of the plugin's own pages that name the utility.
PHRASES = {
    "planned_outage": Term(zh="计划{outage}", en="Planned {outage}"),
    "planned_outages": Term(zh="计划{outage}", en="Planned {outage}s"),
    "plan_outage": Term(zh="安排计划{outage}", en="Plan an {outage}"),
    "commitment": Term(zh="{trade}服务承诺", en="Our {trade} service commitment"),
    "banner_customer": Term(zh="计划{outage}通知", en="Planned {outage}"),
    "banner_staff": Term(zh="正在计划{outage}", en="{outage} in progress"),
    "meter_number": Term(zh="{meter}号", en="{meter} number"),
}
