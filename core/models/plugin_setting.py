"""Which plugins the site has switched on. Read once when an app is built; changes apply on restart."""
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from core.extensions import db
from core.models.types import UTCDateTime, utcnow


class PluginSetting(db.Model):
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
