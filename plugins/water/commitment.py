"""The public service commitment (服务承诺) and the conduct rules (“六不准”, seed 001), in one place: the SLA
defaults are made from the commitment, the commitment page shows the same numbers, and the arrival measure
checks the crews against them."""
from dataclasses import dataclass

from core.i18n import Label
from core.sla.policies import SlaPolicySpec, Target
from plugins.water.terms import Term

HOUR = 60
DAY = 24 * HOUR
WORKING_DAY = 9 * HOUR  # business minutes in one working day of the default service hours (09:00–18:00)
FOLLOW_UP_MINUTES = 3 * DAY  # "必须保证在三天之内回访"


@dataclass(frozen=True)
class Fault:
    key: str
    zh: str  # Term templates of its name
    en: str
    arrive_minutes: int  # the crew is on site within this time of the report
    restore_minutes: int  # and the fault is put right within this time (calendar time: crews work 7×24)

    @property
    def label(self):
        return Term(zh=self.zh, en=self.en)


FAULTS = (
    Fault("leak", "{leak}", "{leak}", arrive_minutes=1 * HOUR, restore_minutes=1 * DAY),
    Fault("no_supply", "{no_supply}", "{no_supply}", arrive_minutes=1 * HOUR, restore_minutes=1 * DAY),
    Fault("low_supply", "{low}", "{low}", arrive_minutes=4 * HOUR, restore_minutes=2 * DAY),
    Fault("meter_fault", "表具故障", "meter fault", arrive_minutes=1 * DAY, restore_minutes=3 * DAY),
)
FAULT_BY_KEY = {fault.key: fault for fault in FAULTS}


@dataclass(frozen=True)
class Promise:
    """A deadline for a kind of request other than a repair, in working days (business time)."""

    type_key: str
    label: object
    first_response_minutes: int | None
    resolution_minutes: int


PROMISES = (
    Promise("water_connection", Term(zh="{use}申请", en="New {supply} connection"), None, 5 * WORKING_DAY),
    Promise("water_transfer", Label(zh="过户", en="Account transfer"), None, 3 * WORKING_DAY),
    Promise("water_closure", Label(zh="销户", en="Closing an account"), None, 3 * WORKING_DAY),
    Promise("water_billing", Label(zh="账单/抄表查询", en="Bill or reading query"), 2 * HOUR, 1 * WORKING_DAY),
    Promise("water_complaint", Label(zh="投诉", en="Complaint"), 2 * HOUR, 5 * WORKING_DAY),
    Promise("water_quality", Term(zh="{quality}反映", en="{quality} report"), 1 * HOUR, 1 * WORKING_DAY),
)


def sla_policies():
    """The commitment as SLA defaults: one policy per fault kind of a repair, one per other request type."""
    after = {"follow_up": Target(FOLLOW_UP_MINUTES, business=False)}
    specs = [SlaPolicySpec(f"water_repair_{fault.key}", Term(zh="服务承诺·" + fault.zh, en="commitment: " + fault.en),
                           ticket_type="water_repair", ticket_fields={"fault": fault.key},
                           targets={"first_response": Target(30, business=False),
                                    "resolution": Target(fault.restore_minutes, business=False), **after})
             for fault in FAULTS]
    for promise in PROMISES:
        targets = {"resolution": Target(promise.resolution_minutes), **after}
        if promise.first_response_minutes:
            targets["first_response"] = Target(promise.first_response_minutes)
        specs.append(SlaPolicySpec(f"{promise.type_key}_commitment", Label(zh="服务承诺", en="Service commitment"),
                                   ticket_type=promise.type_key, targets=targets))
    return specs


CONDUCT_TITLE = Term(zh="{trade}服务“六不准”", en="The six prohibitions of {trade} service")
CONDUCT_RULES = (
    Label(zh="不准乱收费", en="No improper fees"),
    Term(zh="不准{for_gain}", en="No using {for_gain} for personal gain"),
    Term(zh="不准私接私装{facility}", en="No unauthorised connection or installation of {facility}"),
    Label(zh="不准要求客户以工代劳", en="No asking customers to do our work for us"),
    Label(zh="不准对客户不礼貌", en="No rudeness to customers"),
    Label(zh="不准要挟、刁难客户", en="No threatening or obstructing customers"),
)
SERVICE_WORDS = (
    Label(zh="十字服务用语：您好、请、谢谢、对不起、再见", en="The ten-character courtesy: hello, please, thank you, sorry, goodbye"),
    Label(zh="三声服务：来有迎声，问有答声，走有送声",
          en="Three greetings: welcome on arrival, an answer to every question, a farewell on leaving"),
)
