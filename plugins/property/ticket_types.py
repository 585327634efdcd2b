"""The property office's ticket types and their fields (seeds 000, 004): repairs placed in an estate, building,
unit and room, complaints, move-in appointments, renovation applications with their inspection, paid services,
emergencies and patrol records."""
from core.i18n import Label
from core.plugins.specs import TicketTypeSpec
from core.tickets.fields import Choice, FieldSpec

L = Label

ESTATE = FieldSpec("estate", L(zh="小区", en="Estate"), "lookup", source="property.estate")
BUILDING = FieldSpec("building", L(zh="楼栋", en="Building"), "lookup", source="property.building", parent="estate")
UNIT = FieldSpec("unit", L(zh="单元", en="Unit"), "lookup", source="property.unit", parent="building")
ROOM = FieldSpec("room", L(zh="房号", en="Room"), "lookup", source="property.room", parent="unit")
LOCATION = (ESTATE, BUILDING, UNIT, ROOM)
REQUIRED_LOCATION = (FieldSpec("estate", L(zh="小区", en="Estate"), "lookup", source="property.estate", required=True),
                     FieldSpec("building", L(zh="楼栋", en="Building"), "lookup", source="property.building",
                               parent="estate", required=True), UNIT, ROOM)

PLACE = FieldSpec("place", L(zh="报修部位", en="Where"), "choice", required=True, choices=(
    Choice("home", L(zh="户内", en="Inside the home")),
    Choice("public", L(zh="公共区域", en="Public area"))))
WORK_DONE = FieldSpec("work_done", L(zh="维修内容", en="Work done"), "textarea", max_length=1000)
MATERIALS = FieldSpec("materials", L(zh="使用材料", en="Materials used"), "textarea", max_length=1000,
                      help=L(zh="材料名称、数量", en="Name and quantity of each"))

EMERGENCY_KINDS = (
    Choice("fire", L(zh="火警", en="Fire alarm")),
    Choice("elevator", L(zh="困梯", en="People trapped in a lift")),
    Choice("typhoon", L(zh="台风", en="Typhoon")),
    Choice("security", L(zh="治安", en="Public security")),
)

TICKET_TYPES = (
    TicketTypeSpec(
        "property_repair", L(zh="报修", en="Repair"), workflow="property_repair", category="repair", public=True,
        sort_order=41, fields=(*REQUIRED_LOCATION, PLACE, WORK_DONE, MATERIALS)),
    TicketTypeSpec(
        "property_complaint", L(zh="投诉", en="Complaint"), category="complaint", public=True, sort_order=31,
        fields=(*LOCATION,
                FieldSpec("subject", L(zh="投诉事项", en="About"), "choice", required=True, choices=(
                    Choice("service", L(zh="服务态度", en="Attitude of staff")),
                    Choice("repair", L(zh="维修质量或时效", en="Repair quality or speed")),
                    Choice("cleaning", L(zh="环境卫生", en="Cleaning")),
                    Choice("security", L(zh="安全秩序", en="Security and order")),
                    Choice("noise", L(zh="噪音扰民", en="Noise")),
                    Choice("fee", L(zh="收费", en="Fees")),
                    Choice("other", L(zh="其他", en="Other")))),
                FieldSpec("valid", L(zh="有效投诉", en="Valid complaint"), "boolean",
                          help=L(zh="经核实属物业责任", en="Checked: the office was at fault")))),
    TicketTypeSpec(
        "property_move_in", L(zh="入伙预约", en="Move-in appointment"), category="service_request", public=True,
        sort_order=61, fields=(*REQUIRED_LOCATION,
                               FieldSpec("appointment", L(zh="预约时间", en="Appointment"), "datetime", required=True),
                               FieldSpec("keys_handed", L(zh="已交付钥匙", en="Keys handed over"), "boolean"))),
    TicketTypeSpec(
        "property_renovation", L(zh="装修申请", en="Renovation application"), workflow="property_renovation",
        category="service_request", public=True, sort_order=62,
        fields=(*REQUIRED_LOCATION,
                FieldSpec("contractor", L(zh="装修单位", en="Contractor"), max_length=200, required=True),
                FieldSpec("starts_on", L(zh="开工日期", en="Starts"), "date", required=True),
                FieldSpec("ends_on", L(zh="完工日期", en="Ends"), "date", required=True),
                FieldSpec("deposit_paid", L(zh="已交装修押金", en="Deposit paid"), "boolean"),
                FieldSpec("inspection", L(zh="验收结果", en="Inspection result"), "choice", choices=(
                    Choice("passed", L(zh="验收合格", en="Passed")),
                    Choice("rectify", L(zh="需整改", en="To be put right")))))),
    TicketTypeSpec(
        "property_paid_service", L(zh="有偿服务", en="Paid service"), workflow="property_repair",
        category="service_request", public=True, sort_order=63,
        fields=(*REQUIRED_LOCATION, PLACE,
                FieldSpec("price", L(zh="价格（元）", en="Price (yuan)"), "decimal", required=True, min_value=0),
                FieldSpec("paid", L(zh="已付款", en="Paid"), "boolean"),
                WORK_DONE, MATERIALS)),
    TicketTypeSpec(
        "property_emergency", L(zh="突发事件", en="Emergency"), workflow="property_emergency", category="urgent",
        sort_order=10, fields=(FieldSpec("kind", L(zh="事件类型", en="Kind"), "choice", required=True,
                                         choices=EMERGENCY_KINDS), *REQUIRED_LOCATION)),
    TicketTypeSpec(
        "property_patrol", L(zh="巡查记录", en="Patrol record"), workflow="property_patrol", sort_order=90,
        fields=(*REQUIRED_LOCATION,
                FieldSpec("shift", L(zh="班次", en="Round"), "choice", required=True, choices=(
                    Choice("morning", L(zh="上午巡查", en="Morning round")),
                    Choice("afternoon", L(zh="下午巡查", en="Afternoon round")))))),
)
