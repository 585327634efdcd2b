"""The names a search query may filter on: the core's own filters, and the keys plugins declare with
``kefu_search_fields`` (``SearchFieldSpec``), which must not take one of the core's names."""
import re

# The core's filters, each with its Chinese name (a user may type either): status:open, 状态:open.
CORE_FIELDS = {
    "status": "状态",
    "type": "类型",
    "priority": "优先级",
    "channel": "渠道",
    "assignee": "负责人",
    "team": "小组",
    "customer": "客户",
    "tag": "标签",
    "created": "创建",
    "updated": "更新",
}
PLUGIN_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def check_plugin_key(key):
    """Why `key` cannot name a plugin's search field, or None when it can."""
    if not PLUGIN_KEY.match(key):
        return "a search field key is lowercase ASCII letters, digits and _, starting with a letter"
    if key in CORE_FIELDS:
        return f"{key!r} is one of the core's search filters"
    return None
