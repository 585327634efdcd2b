"""Business categories (业务类别) that every ticket type maps onto; reports group by them."""
from core.i18n import Label

CATEGORIES = {
    "inquiry": Label(zh="咨询", en="Inquiry"),
    "query": Label(zh="查询", en="Status query"),
    "complaint": Label(zh="投诉", en="Complaint"),
    "repair": Label(zh="报修", en="Repair / fault"),
    "suggestion": Label(zh="建议/表扬", en="Suggestion / praise"),
    "service_request": Label(zh="业务办理", en="Service request"),
    "urgent": Label(zh="紧急服务", en="Urgent request"),
    "follow_up": Label(zh="回访", en="Follow-up"),
}
