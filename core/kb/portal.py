"""The knowledge base in the customer portal (常见问题): public articles only, a search, and suggestions while
a customer types a ticket title (deflection). An internal article answers 404 here, as if it did not exist."""
from flask import Blueprint, abort, jsonify, render_template, request, url_for

from core.auth.permissions import requires
from core.kb import service
from core.kb.views import search_query

portal_kb_bp = Blueprint("portal_kb", __name__, url_prefix="/portal/kb")


@portal_kb_bp.get("/")
@requires("portal.access")
def index():
    query = search_query(request.args)
    return render_template("portal/kb_index.html", query=query,
                           listing=service.list_articles(query, public_only=True))


@portal_kb_bp.get("/<int:article_id>")
@requires("portal.access")
def article(article_id):
    article = service.get_article(article_id, public_only=True)
    if article is None:
        abort(404)
    return render_template("portal/kb_article.html", article=article)


@portal_kb_bp.get("/suggest")
@requires("portal.access")
def suggest():
    articles = service.suggest_articles(search_query(request.args), public_only=True)
    return jsonify(articles=[{"id": a.id, "title": a.title, "excerpt": service.excerpt(a),
                              "url": url_for("portal_kb.article", article_id=a.id)} for a in articles])
