"""The customer archive (客户信息档案): people and organisations, their contacts, grades and tags, the
confidentiality of each record with the log of every opening of a protected one, and problem-customer flags.

Fields other parts read: `name`, `phone`, `email` and `address` are the record's main contact details
(search indexes them with `CustomerContact.value`); `merged_into_id` set means the record was merged into
another and is kept only so that old links and logs still lead somewhere.
"""
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from core.extensions import db
from core.i18n import Label
from core.models.types import UTCDateTime, utcnow

# 普通 / 秘密 / 机密 / 绝密: who may open a record above "normal" is a permission per level.
CONFIDENTIALITY = ("normal", "secret", "confidential", "top_secret")
GRADE_SCHEMES = ("grade", "credit")  # 客户分级 and 信用分级
CONTACT_KINDS = ("phone", "email", "wechat", "address", "other")

customer_tags = Table(
    "customer_tag",
    db.metadata,
    Column("customer_id", ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CustomerGrade(db.Model):
    """One grade the site offers: scheme "grade" (战略/重点/普通 by default) or "credit" (信用分级)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(20))
    label_zh: Mapped[str] = mapped_column(String(60))
    label_en: Mapped[str] = mapped_column(String(60))
    sort_order: Mapped[int] = mapped_column(Integer, default=100)

    __table_args__ = (UniqueConstraint("scheme", "key", name="uq_customer_grade_scheme_key"),)

    @property
    def label(self):
        return Label(zh=self.label_zh, en=self.label_en)

    def __str__(self):
        return str(self.label)


class Customer(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")  # person | organisation
    name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    phone: Mapped[str | None] = mapped_column(String(40), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    grade: Mapped[str] = mapped_column(String(20), default="ordinary")  # a CustomerGrade key, scheme "grade"
    credit_grade: Mapped[str | None] = mapped_column(String(20))  # a CustomerGrade key, scheme "credit"
    birthday = mapped_column(Date)
    # month * 100 + day of the birthday, kept by the model: the care calendar finds birthdays by it.
    birthday_md: Mapped[int | None] = mapped_column(Integer, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(String(12), default="normal")
    problem: Mapped[bool] = mapped_column(Boolean, default=False)  # a confirmed 劣质客户
    # False for a record made from the public form: nobody proved the contact details belong to whoever
    # typed them, so staff check it before linking the request to an existing customer.
    verified: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    created_at = mapped_column(UTCDateTime, default=utcnow)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation = relationship("Customer", remote_side=[id], foreign_keys=[organisation_id])
    merged_into = relationship("Customer", remote_side=[id], foreign_keys=[merged_into_id])
    tags = relationship("Tag", secondary=customer_tags, order_by="Tag.name")
    contacts = relationship("CustomerContact", back_populates="customer", cascade="all, delete-orphan",
                            order_by="CustomerContact.id")

    # The archive's lists are the records not merged away, paged by (name, id): one index gives them in
    # order and stops at the page's end; its first column also finds what was merged into a record.
    __table_args__ = (Index("ix_customer_live_name", "merged_into_id", "name", "id"),
                      Index("ix_customer_organisation", "organisation_id"))

    @validates("birthday")
    def _keep_birthday_md(self, _key, value):
        self.birthday_md = value.month * 100 + value.day if value is not None else None
        return value

    @property
    def protected(self):
        return self.confidentiality != "normal"

    def __str__(self):
        return self.name


class CustomerContact(db.Model):
    """A further way to reach a customer: a phone, an e-mail address, a WeChat ID or an address, optionally
    of a named person (an organisation's 联系人)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(300))
    name: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    customer = relationship(Customer, back_populates="contacts")


class CustomerAccess(db.Model):
    """One opening of a protected record (借阅卡): who, when, which record, at which level, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id", ondelete="SET NULL"))
    customer_name: Mapped[str] = mapped_column(String(200))  # kept when the record is deleted
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    level: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10))  # desk | api | export
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow)

    customer = relationship(Customer)
    user = relationship("User")

    __table_args__ = (Index("ix_customer_access_customer", "customer_id", "created_at"),
                      Index("ix_customer_access_created", "created_at"))


class CustomerFlag(db.Model):
    """A problem-customer (劣质客户) flag: proposed by an agent with a reason, then confirmed or refused by a
    supervisor; a confirmed flag may later be lifted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="proposed")  # proposed | confirmed | refused | lifted
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    proposed_at = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    lifted_at = mapped_column(UTCDateTime)
    lift_note: Mapped[str | None] = mapped_column(Text)

    customer = relationship(Customer)
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    lifted_by = relationship("User", foreign_keys=[lifted_by_id])
