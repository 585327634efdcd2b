"""The utility's ticket types and their fields: the three account applications with their document
checklists, repairs by kind of fault, bill and reading queries, complaints, quality reports and the outbound
payment reminders (催缴) the hotline logs."""
from flask_babel import gettext as _

from core.i18n import Label
from core.plugins.specs import TicketTypeSpec
from core.tickets.fields import Choice, FieldSpec
from plugins.water.accounts import check_account, check_meter, check_new_meter, check_open_account
from plugins.water.commitment import FAULTS
from plugins.water.terms import Term

L = Label

ACCOUNT = FieldSpec("account", L(zh="用户编号", en="Account number"), max_length=30, check=check_account)
REQUIRED_ACCOUNT = FieldSpec("account", L(zh="用户编号", en="Account number"), required=True, max_length=30,
                             check=check_account)
OPEN_ACCOUNT = FieldSpec("account", L(zh="用户编号", en="Account number"), required=True, max_length=30,
                         check=check_open_account)
AREA = FieldSpec("area", L(zh="片区", en="Service area"), "lookup", source="water.area",
                 help=L(zh="没有用户编号时选择", en="When there is no account number"))
ADDRESS = FieldSpec("address", L(zh="地址", en="Address"), max_length=300)
METER = FieldSpec("meter", Term(zh="{meter}号", en="{meter} number"), max_length=30, check=check_meter)


def received(value):
    """A checklist item is ticked or left empty: an explicit "no" would count as a value for the step."""
    if value is not True:
        raise ValueError(_("Tick it once the document is in; leave it empty until then."))


def document(key, zh, en):
    """One item of an application's document checklist (资料清单): ticked when the counter has received it; the
    step that submits the application for approval needs every item ticked."""
    return FieldSpec(key, Term(zh=zh, en=en), "boolean", help=L(zh="已收到该资料时勾选", en="Tick when received"),
                     check=received)


CONNECTION_DOCUMENTS = (
    document("doc_applicant_id", "申请人身份证明", "Applicant's identity document"),
    document("doc_property", "房屋产权证明或租赁合同", "Proof of ownership or tenancy"),
    document("doc_application", "{use}申请表", "{use} application form"),
)
TRANSFER_DOCUMENTS = (
    document("doc_old_holder_id", "原户主身份证明", "Former holder's identity document"),
    document("doc_new_holder_id", "新户主身份证明", "New holder's identity document"),
    document("doc_property", "房屋产权证明", "Proof of ownership"),
    document("doc_bill_settled", "{bill}结清凭证", "Receipt for the settled {bill}"),
)
CLOSURE_DOCUMENTS = (
    document("doc_holder_id", "户主身份证明", "Holder's identity document"),
    document("doc_bill_settled", "{bill}结清凭证", "Receipt for the settled {bill}"),
)
DOCUMENTS = {"water_connection": CONNECTION_DOCUMENTS, "water_transfer": TRANSFER_DOCUMENTS,
             "water_closure": CLOSURE_DOCUMENTS}

USAGES = (Choice("residential", L(zh="居民生活", en="Residential")),
          Choice("business", L(zh="非居民（工商业）", en="Business")),
          Choice("special", L(zh="特种行业", en="Special trade")))

FAULT = FieldSpec("fault", L(zh="故障类型", en="Kind of fault"), "choice", required=True,
                  choices=tuple(Choice(fault.key, fault.label) for fault in FAULTS))
ARRIVED_AT = FieldSpec("arrived_at", L(zh="到达现场时间", en="Arrived on site"), "datetime")
RESTORED_AT = FieldSpec("restored_at", Term(zh="修复（恢复{supply}）时间", en="Repaired ({supply} restored)"), "datetime")

TICKET_TYPES = (
    TicketTypeSpec(
        "water_repair", L(zh="报修", en="Repair"), workflow="water_repair", category="repair", public=True,
        sort_order=41, fields=(FAULT, ACCOUNT, AREA, ADDRESS, ARRIVED_AT, RESTORED_AT)),
    TicketTypeSpec(
        "water_billing", L(zh="账单/抄表", en="Bill or meter reading"), category="query", public=True, sort_order=21,
        fields=(REQUIRED_ACCOUNT,
                FieldSpec("topic", L(zh="查询内容", en="About"), "choice", required=True, choices=(
                    Choice("bill", Term(zh="{bill}账单", en="{bill}")),
                    Choice("reading", L(zh="抄表读数", en="Meter reading")),
                    Choice("payment", L(zh="缴费方式", en="Ways to pay")))),
                METER,
                FieldSpec("period", L(zh="账期", en="Billing period"), max_length=20,
                          help=L(zh="例如 2026年5月", en="For example May 2026")))),
    TicketTypeSpec(
        "water_complaint", L(zh="投诉", en="Complaint"), category="complaint", public=True, sort_order=31,
        fields=(ACCOUNT,
                FieldSpec("subject", L(zh="投诉事项", en="About"), "choice", required=True, choices=(
                    Choice("attitude", L(zh="服务态度", en="Attitude of staff")),
                    Choice("repair_delay", L(zh="抢修不及时", en="Slow repair")),
                    Choice("billing", L(zh="收费争议", en="Charges")),
                    Choice("outage_notice", Term(zh="{outage}未提前通知", en="{outage} without notice")),
                    Choice("conduct", L(zh="违反“六不准”", en="Breach of the six prohibitions")),
                    Choice("other", L(zh="其他", en="Other")))),
                FieldSpec("staff_name", L(zh="被投诉人员", en="Staff member concerned"), max_length=80))),
    TicketTypeSpec(
        "water_quality", Term(zh="{quality}", en="{quality}"), category="repair", public=True, sort_order=42,
        fields=(ACCOUNT, AREA, ADDRESS,
                FieldSpec("symptom", L(zh="现象", en="What is wrong"), "choice", required=True, choices=(
                    Choice("discoloured", L(zh="发黄、浑浊", en="Discoloured or cloudy")),
                    Choice("odour", L(zh="有异味", en="Smell or taste")),
                    Choice("particles", L(zh="有杂质", en="Particles")),
                    Choice("other", L(zh="其他", en="Other")))),
                FieldSpec("sampled", L(zh="已取样送检", en="Sample taken for testing"), "boolean"))),
    TicketTypeSpec(
        "water_connection", Term(zh="{use}申请", en="New {supply} connection"), workflow="water_connection",
        category="service_request", public=True, sort_order=61,
        fields=(FieldSpec("address", Term(zh="{use}地址", en="Address to supply"), required=True, max_length=300),
                FieldSpec("area", L(zh="片区", en="Service area"), "lookup", source="water.area", required=True),
                FieldSpec("usage", Term(zh="{use}性质", en="Use"), "choice", required=True, choices=USAGES),
                FieldSpec("meter", Term(zh="新装{meter}号", en="New {meter} number"), max_length=30,
                          check=check_new_meter, help=L(zh="装表后由营业厅填写", en="Filled in by the counter once fitted")),
                *CONNECTION_DOCUMENTS)),
    TicketTypeSpec(
        "water_transfer", L(zh="过户", en="Account transfer"), workflow="water_transfer",
        category="service_request", public=True, sort_order=62,
        fields=(OPEN_ACCOUNT,
                FieldSpec("new_holder_name", L(zh="新户主姓名", en="New holder's name"), required=True, max_length=200),
                FieldSpec("new_holder_phone", L(zh="新户主电话", en="New holder's phone"), required=True, max_length=40),
                *TRANSFER_DOCUMENTS)),
    TicketTypeSpec(
        "water_closure", L(zh="销户", en="Closing an account"), workflow="water_closure",
        category="service_request", public=True, sort_order=63,
        fields=(OPEN_ACCOUNT,
                FieldSpec("final_reading", L(zh="最后读数", en="Final meter reading"), "decimal", min_value=0),
                FieldSpec("reason", L(zh="销户原因", en="Reason"), max_length=200),
                *CLOSURE_DOCUMENTS)),
    TicketTypeSpec(
        "water_reminder", Term(zh="催缴{bill}", en="{bill} reminder"), workflow="water_reminder", sort_order=90,
        fields=(REQUIRED_ACCOUNT,
                FieldSpec("amount", L(zh="欠费金额（元）", en="Amount owed (yuan)"), "decimal", required=True,
                          min_value=0.01),
                FieldSpec("method", L(zh="催缴方式", en="How"), "choice", required=True, choices=(
                    Choice("phone", L(zh="电话", en="Phone call")), Choice("sms", L(zh="短信", en="SMS")),
                    Choice("visit", L(zh="上门", en="Visit")))),
                FieldSpec("result", L(zh="催缴结果", en="Result"), "choice", choices=(
                    Choice("paid", L(zh="已缴费", en="Paid")), Choice("promised", L(zh="承诺缴费", en="Promised to pay")),
                    Choice("unreachable", L(zh="未联系上", en="Not reached")))))),
)
