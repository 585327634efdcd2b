"""A search results page, for the desk's and the portal's views: ?q=, ?sort=, ?page= in, a rendered page out."""
from flask import render_template, request
from flask_login import current_user

from core.search import service
from core.search.query import QueryError


def render_search(template, scopes, **context):
    """Render `template` with the results of ?q= in each of `scopes` ({name: (scope, per_page or None for
    a full, paged list)}). A bad query shows its message (400); while there is no index the page says so
    (503), and the rest of the site works as usual."""
    text = (request.args.get("q") or "").strip()
    sort = request.args.get("sort") or None
    page = max(1, request.args.get("page", 1, type=int))
    context.update(query=text, sort=sort, page=page, results={}, error=None, unavailable=None)
    status = 200
    if text:
        try:
            for name, (scope, per_page) in scopes.items():
                context["results"][name] = service.search(current_user, text, scope=scope, sort=sort,
                                                          page=page if per_page is None else 1,
                                                          per_page=per_page or service.PER_PAGE)
        except QueryError as exc:
            context["error"], status = exc.message, 400
        except service.IndexUnavailable:
            context["unavailable"], status = service.status() or ("missing", 0, 0), 503
    return render_template(template, **context), status
