"""The knowledge base (常见问题解答库): articles in categories, internal or public, every edit a version."""
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models.types import UTCDateTime, utcnow


class KbCategory(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=100)

    def __str__(self):
        return self.name


class KbArticle(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("kb_category.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # sanitized HTML
    public: Mapped[bool] = mapped_column(Boolean, default=False)  # shown in the portal
    version: Mapped[int] = mapped_column(Integer, default=1)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow)

    category = relationship(KbCategory)
    author = relationship("User")
    versions = relationship("KbArticleVersion", back_populates="article", order_by="KbArticleVersion.version.desc()",
                            lazy="dynamic")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_kb_article_public_updated", "public", "updated_at"),)


class KbArticleVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_article.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(Boolean)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    article = relationship(KbArticle, back_populates="versions")
    author = relationship("User")

    __table_args__ = (UniqueConstraint("article_id", "version", name="uq_kb_article_version"),)
