"""The department's ticket types (seed 004): shipment inquiries, urgent orders, complaints by cause, claims with
their evidence, amount and approval, and returns or exchanges."""
from core.i18n import Label
from core.plugins.specs import TicketTypeSpec
from core.tickets.fields import Choice, FieldSpec
from plugins.logistics.shipments import check_waybill

L = Label

WAYBILL = FieldSpec("waybill", L(zh="运单号", en="Waybill number"), max_length=40, check=check_waybill)
REQUIRED_WAYBILL = FieldSpec("waybill", L(zh="运单号", en="Waybill number"), required=True, max_length=40,
                             check=check_waybill)
CAUSES = (
    Choice("delay", L(zh="延误", en="Delay")),
    Choice("damage", L(zh="破损", en="Damage")),
    Choice("loss", L(zh="丢失", en="Loss")),
    Choice("attitude", L(zh="服务态度", en="Attitude of staff")),
    Choice("other", L(zh="其他", en="Other")),
)
CAUSE_LABELS = {choice.value: choice.label for choice in CAUSES}

TICKET_TYPES = (
    TicketTypeSpec(
        "logistics_inquiry", L(zh="查询", en="Shipment inquiry"), category="query", public=True, sort_order=21,
        fields=(REQUIRED_WAYBILL,
                FieldSpec("topic", L(zh="查询内容", en="About"), "choice", choices=(
                    Choice("where", L(zh="货物在途位置", en="Where the goods are")),
                    Choice("eta", L(zh="预计到达时间", en="Expected arrival")),
                    Choice("receipt", L(zh="签收情况", en="Proof of delivery")),
                    Choice("charges", L(zh="运费", en="Charges")))))),
    TicketTypeSpec(
        "logistics_urgent", L(zh="紧急订单", en="Urgent order"), category="urgent", public=True, sort_order=11,
        fields=(WAYBILL,
                FieldSpec("pickup_address", L(zh="提货地址", en="Pick-up address"), required=True, max_length=300),
                FieldSpec("destination", L(zh="目的地", en="Destination"), required=True, max_length=120),
                FieldSpec("goods", L(zh="货物名称及件数", en="Goods and pieces"), required=True, max_length=300),
                FieldSpec("needed_by", L(zh="要求到达时间", en="Needed by"), "datetime", required=True))),
    TicketTypeSpec(
        "logistics_complaint", L(zh="投诉", en="Complaint"), workflow="logistics_complaint", category="complaint",
        public=True, sort_order=31,
        fields=(WAYBILL,
                FieldSpec("cause", L(zh="投诉原因", en="Cause"), "choice", required=True, choices=CAUSES),
                FieldSpec("staff_name", L(zh="被投诉人员", en="Staff member concerned"), max_length=80))),
    TicketTypeSpec(
        "logistics_claim", L(zh="理赔", en="Claim"), workflow="logistics_claim", category="service_request",
        sort_order=32,  # opened by staff from a complaint: its form holds the amount paid
        fields=(REQUIRED_WAYBILL,
                FieldSpec("reason", L(zh="理赔原因", en="Reason"), "choice", required=True, choices=(
                    Choice("damage", L(zh="货物破损", en="Damaged goods")),
                    Choice("loss", L(zh="货物丢失", en="Lost goods")),
                    Choice("delay", L(zh="延误损失", en="Loss through delay")))),
                FieldSpec("claimed_amount", L(zh="索赔金额（元）", en="Amount claimed (yuan)"), "decimal",
                          required=True, min_value=0.01, max_value=10**8,
                          help=L(zh="请上传破损照片等证据", en="Attach photos or other evidence")),
                FieldSpec("complaint", L(zh="关联投诉单号", en="Related complaint"), "integer", min_value=1),
                FieldSpec("paid_amount", L(zh="实际赔付金额（元）", en="Amount paid (yuan)"), "decimal",
                          min_value=0, max_value=10**8))),
    TicketTypeSpec(
        "logistics_return", L(zh="退换", en="Return or exchange"), category="service_request", public=True,
        sort_order=33,
        fields=(REQUIRED_WAYBILL,
                FieldSpec("kind", L(zh="办理类型", en="What"), "choice", required=True, choices=(
                    Choice("return", L(zh="退货", en="Return")), Choice("exchange", L(zh="换货", en="Exchange")))),
                FieldSpec("reason", L(zh="原因", en="Reason"), max_length=300))),
)
