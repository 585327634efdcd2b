"""The knowledge base (常见问题解答库): staff read and edit articles; public ones appear in the portal."""
from flask import Blueprint, render_template
from sqlalchemy import select

from core.auth.permissions import requires
from core.extensions import db
from core.models import KbArticle

bp = Blueprint("kb", __name__, url_prefix="/kb")


@bp.get("/")
@requires("kb.view")
def index():
    articles = db.session.scalars(select(KbArticle).order_by(KbArticle.updated_at.desc()).limit(100)).all()
    return render_template("kb/index.html", articles=articles)
