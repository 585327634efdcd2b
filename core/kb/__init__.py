"""The knowledge base (常见问题解答库): staff read and edit articles here; public ones appear in the portal
(core.kb.portal)."""
from flask import Blueprint

bp = Blueprint("kb", __name__, url_prefix="/kb")

from core.kb import views  # noqa: E402,F401 - the views register themselves on bp
