"""Writes what the registries declare into the database: permissions, roles and ticket types.

Run by `kefu init`, `kefu db upgrade` and `kefu plugins enable`. Code owns keys, labels, levels and
workflows; the site owns what an admin changed (a role's extra permissions, a type's public/active flags).
"""
from sqlalchemy import select

from core.extensions import db
from core.models import Permission, Role, TicketType


def _by_key(model):
    return {row.key: row for row in db.session.scalars(select(model))}


def sync_registry(registry):
    permissions = _by_key(Permission)
    for key, spec in registry.permissions.items():
        row = permissions.get(key) or Permission(key=key)
        row.plugin = registry.permission_owner[key]
        row.label_zh, row.label_en = spec.label.zh, spec.label.en
        permissions[key] = row
        db.session.add(row)

    roles = _by_key(Role)
    for key, spec in registry.roles.items():
        row = roles.get(key) or Role(key=key, declared_permissions=[])
        row.plugin = registry.role_owner[key]
        row.level = spec.level
        row.label_zh, row.label_en = spec.label.zh, spec.label.en
        declared = set(registry.role_permissions(key))
        if key == "admin":
            declared = set(registry.permissions) - {"portal.access"}
        previously = set(row.declared_permissions or ())
        current = {p.key for p in row.permissions}
        wanted = (current | (declared - previously)) - (previously - declared)
        row.permissions = [permissions[p] for p in sorted(wanted) if p in permissions]
        row.declared_permissions = sorted(declared)
        db.session.add(row)

    types = _by_key(TicketType)
    for key, spec in registry.ticket_types.items():
        row = types.get(key)
        if row is None:
            row = TicketType(key=key, public=spec.public, active=True, sort_order=spec.sort_order)
        row.plugin = registry.ticket_type_owner[key]
        row.label_zh, row.label_en = spec.label.zh, spec.label.en
        row.workflow = spec.workflow
        db.session.add(row)
    db.session.commit()
