"""The desk's search page: the tickets the user may open, and knowledge-base articles, for one query."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core.auth.permissions import requires
from core.desk import bp
from core.search.pages import render_search

# The help beside the results: the query language by example (the examples are the same in every language).
EXAMPLES = (
    ("漏水 楼上", _l("tickets with both words, anywhere in the title, description, replies, notes, customer or fields")),
    ('"账单金额"', _l("a phrase: these words in this order")),
    ("status:open  状态:处理中", _l("status: a state or open, pending, resolved, closed")),
    ("type:complaint  priority:urgent  channel:phone", _l("type, priority, channel: a key or a name")),
    ("assignee:me  assignee:none  team:客服一组  tag:VIP", _l("who works on it, its team, its tags")),
    ("customer:13800001234", _l("the customer's name, phone, e-mail or address")),
    ("created:2026-03  updated:>=2026-03-01  created:2026-01-01..2026-01-31", _l("dates: a day, a month, a range")),
)


@bp.get("/search")
@requires("desk.access")
def search():
    scopes = {"tickets": ("ticket", None)}
    if current_user.can("kb.view"):
        scopes["articles"] = ("kb", 5)
    return render_search("desk/search.html", scopes, examples=EXAMPLES)
