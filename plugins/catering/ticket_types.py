"""The floor requests (楼面服务请求), each raised at a table: 催菜, 加菜/换菜, 退菜 with its reason, 客人投诉 on the floor
and 服务请求 (cutlery, the bill, a taxi)."""
from core.i18n import Label
from core.plugins.specs import TicketTypeSpec
from core.tickets.fields import Choice, FieldSpec

L = Label

REASON_LABELS = {
    "taste": L(zh="口味", en="Taste"),
    "foreign_object": L(zh="异物", en="Foreign object"),
    "temperature": L(zh="温度", en="Temperature"),
    "portion": L(zh="分量", en="Portion"),
    "wrong_dish": L(zh="上错菜", en="Wrong dish"),
    "other": L(zh="其他", en="Other"),
}

TABLE = FieldSpec("table", L(zh="台号", en="Table"), "lookup", source="catering.table", required=True)
DISH = FieldSpec("dish", L(zh="菜品", en="Dish"), max_length=80)
ORDER = FieldSpec("order_number", L(zh="单号", en="Order number"), max_length=30)

TICKET_TYPES = (
    TicketTypeSpec("catering_chase", L(zh="催菜", en="Dish chase"), workflow="catering_request", category="urgent",
                   sort_order=71, fields=(TABLE, DISH, ORDER)),
    TicketTypeSpec("catering_change", L(zh="加菜/换菜", en="Add or change a dish"), workflow="catering_request",
                   category="service_request", sort_order=72,
                   fields=(TABLE, ORDER,
                           FieldSpec("change", L(zh="类别", en="Kind"), "choice", required=True, choices=(
                               Choice("add", L(zh="加菜", en="Add a dish")),
                               Choice("swap", L(zh="换菜", en="Change a dish")))),
                           FieldSpec("dishes", L(zh="菜品", en="Dishes"), required=True, max_length=300))),
    TicketTypeSpec("catering_return", L(zh="退菜", en="Dish returned"), workflow="catering_return",
                   category="complaint", sort_order=73,
                   fields=(TABLE, DISH, ORDER,
                           FieldSpec("reason", L(zh="退菜原因", en="Reason"), "choice", required=True,
                                     choices=tuple(Choice(key, label) for key, label in REASON_LABELS.items())))),
    TicketTypeSpec("catering_complaint", L(zh="客人投诉", en="Guest complaint"), workflow="catering_complaint",
                   category="complaint", sort_order=74,
                   fields=(TABLE,
                           FieldSpec("subject", L(zh="投诉事项", en="About"), "choice", required=True, choices=(
                               Choice("service", L(zh="服务态度", en="Service")),
                               Choice("food", L(zh="出品质量", en="Food")),
                               Choice("waiting", L(zh="等候时间", en="Waiting")),
                               Choice("environment", L(zh="环境卫生", en="Environment")),
                               Choice("bill", L(zh="账单", en="Bill")),
                               Choice("other", L(zh="其他", en="Other")))))),
    TicketTypeSpec("catering_service", L(zh="服务请求", en="Service request"), workflow="catering_request",
                   category="service_request", sort_order=75,
                   fields=(TABLE,
                           FieldSpec("need", L(zh="需要", en="Needs"), "choice", required=True, choices=(
                               Choice("cutlery", L(zh="餐具", en="Cutlery")),
                               Choice("bill", L(zh="买单", en="The bill")),
                               Choice("taxi", L(zh="叫车", en="A taxi")),
                               Choice("other", L(zh="其他", en="Other")))))),
)
TYPE_KEYS = tuple(spec.key for spec in TICKET_TYPES)
