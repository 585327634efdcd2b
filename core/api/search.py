"""Search through the API: the same query language, permissions and results as the desk and the portal."""
from flask import request, url_for
from flask_login import current_user

from core.api import bp
from core.api.errors import ApiError
from core.api.openapi import operation
from core.api.schemas import SearchPageSchema, SearchQuerySchema
from core.api.tickets import desk_or_portal
from core.search import service

SCOPES = {"tickets": "ticket", "kb": "kb"}


@bp.get("/search")
@operation("search", query=SearchQuerySchema, response=SearchPageSchema, errors=(400, 403, 503), access=desk_or_portal)
def search(query):
    """Search tickets or knowledge-base articles.

    Staff find what they may open in the desk (internal notes included); customer accounts their own tickets
    (what they see of them) and public articles. A query that cannot be searched is a 400 naming `q`;
    while the index is being built the answer is a 503."""
    scope = query.get("scope", "tickets")
    if scope not in SCOPES:
        raise ApiError(400, "bad_request", "scope: tickets or kb", "scope")
    results = service.search(current_user, query["q"], scope=SCOPES[scope], sort=query.get("sort"),
                             page=query.get("page", 1), per_page=query.get("limit", service.PER_PAGE))
    items = [{"kind": hit.kind, "id": hit.object.id, "title": hit.object.title, "title_html": str(hit.title),
              "excerpt_html": str(hit.excerpt) if hit.excerpt is not None else None,
              "status": getattr(hit.object, "status", None), "updated_at": hit.object.updated_at,
              "url": url_for(".get_ticket", ticket_id=hit.object.id) if hit.kind == "ticket" else None}
             for hit in results.hits]
    following = (url_for(request.endpoint, **{**request.args.to_dict(), "page": results.page + 1})
                 if results.has_next else None)
    return SearchPageSchema().dump({"items": items, "total": results.total, "total_exact": results.exact,
                                    "page": results.page, "next": following})
