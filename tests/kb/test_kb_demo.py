"""The knowledge base's demo data: categories, public and internal Chinese articles, consistent versions."""
import random

from sqlalchemy import select

from core.extensions import db
from core.kb.demo import add_kb_demo_data
from core.models import KbArticle, KbArticleVersion, KbCategory
from core.sanitize import clean_html


def test_demo_knowledge_base(app):
    with app.app_context():
        add_kb_demo_data(db.session, random.Random(7))
        db.session.commit()
        assert len(db.session.scalars(select(KbCategory)).all()) == 4
        articles = db.session.scalars(select(KbArticle)).all()
        assert 12 <= len(articles) <= 20
        assert {a.public for a in articles} == {True, False}
        assert {a.version for a in articles} == {1, 2}
        assert all(a.category is not None and clean_html(a.body) == a.body for a in articles)
        for article in articles:
            versions = db.session.scalars(select(KbArticleVersion).where(KbArticleVersion.article_id == article.id)
                                          .order_by(KbArticleVersion.version)).all()
            assert [v.version for v in versions] == list(range(1, article.version + 1))
            assert versions[-1].body == article.body and versions[0].created_at <= versions[-1].created_at
        titles = {a.title for a in articles}
        assert {"如何报修？", "如何开具发票？", "服务时间", "投诉流程"} <= titles
