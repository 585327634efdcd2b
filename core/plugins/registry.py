"""Merges what the registry hooks return into one lookup per kind, remembering which plugin gave what.

A plugin may replace a core default by returning a spec with the same key; two plugins may not claim
the same key (the site would depend on load order), which stops start-up with a message naming both.
"""
from core.errors import StartupError
from core.plugins.specs import LEVELS
from core.search.fields import check_plugin_key

CORE = "core"


class RegistryError(StartupError):
    pass


def _merge(pm, hook_name, kind):
    specs, owners = {}, {}
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        for spec in impl.function() or ():
            key = spec.key
            owner = owners.get(key)
            if owner is None or owner == CORE:
                specs[key], owners[key] = spec, impl.plugin_name
            elif impl.plugin_name != CORE:
                raise RegistryError(f"{kind} {key!r} is declared by both plugin {owner!r} and plugin {impl.plugin_name!r}")
    ordered = dict(sorted(specs.items(), key=lambda item: (getattr(item[1], "sort_order", 0), item[0])))
    return ordered, {key: (None if owner == CORE else owner) for key, owner in owners.items()}


class Registry:
    """Permissions, roles, ticket types, workflows, scheduled jobs, search fields, KPIs, lookups and notification
    kinds of the core and the enabled plugins."""

    def __init__(self, pm):
        self.permissions, self.permission_owner = _merge(pm, "kefu_permissions", "permission")
        self.roles, self.role_owner = _merge(pm, "kefu_roles", "role")
        self.workflows, self.workflow_owner = _merge(pm, "kefu_workflows", "workflow")
        self.ticket_types, self.ticket_type_owner = _merge(pm, "kefu_ticket_types", "ticket type")
        self.scheduled_jobs, self.scheduled_job_owner = _merge(pm, "kefu_scheduled_jobs", "scheduled job")
        self.search_fields, self.search_field_owner = _merge(pm, "kefu_search_fields", "search field")
        self.kpis, self.kpi_owner = _merge(pm, "kefu_kpis", "KPI")
        self.lookups, self.lookup_owner = _merge(pm, "kefu_lookups", "lookup")
        self.notification_kinds, self.notification_kind_owner = _merge(pm, "kefu_notification_kinds",
                                                                        "notification kind")
        self._check()

    def _check(self):
        for role in self.roles.values():
            unknown = [p for p in role.permissions if p not in self.permissions]
            if unknown:
                raise RegistryError(f"role {role.key!r} names unknown permissions: {', '.join(unknown)}")
        for spec in self.ticket_types.values():
            if spec.workflow not in self.workflows:
                raise RegistryError(f"ticket type {spec.key!r} names unknown workflow {spec.workflow!r}")
            keys = {field.key for field in spec.fields}
            for field in spec.fields:
                if field.type == "lookup" and field.source not in self.lookups:
                    raise RegistryError(f"field {spec.key}.{field.key} names unknown lookup {field.source!r}")
                for other in (field.parent, field.required_if and field.required_if[0]):
                    if other and other not in keys:
                        raise RegistryError(f"field {spec.key}.{field.key} names unknown field {other!r}")
            for step in self.workflows[spec.workflow].transitions:
                missing = [key for key in step.field_keys if key not in keys]
                if missing:
                    raise RegistryError(f"step {step.key!r} of workflow {spec.workflow!r} requires the field "
                                        f"{missing[0]!r}, which ticket type {spec.key!r} does not declare")
        for spec in self.search_fields.values():
            problem = check_plugin_key(spec.key)
            if problem:
                raise RegistryError(f"search field {spec.key!r} of plugin {self.search_field_owner[spec.key]!r}: {problem}")
        for workflow in self.workflows.values():
            for step in workflow.transitions:
                if isinstance(step.approver, str) and step.approver not in self.permissions:
                    raise RegistryError(f"step {step.key!r} of workflow {workflow.key!r} names unknown approver "
                                        f"permission {step.approver!r}")

    def role_permissions(self, role_key):
        """A role's permissions: those of the core role of its level, plus its own."""
        role = self.roles[role_key]
        inherited = ()
        if role.key != role.level and role.level in self.roles and role.level in LEVELS:
            inherited = self.roles[role.level].permissions
        return sorted(set(inherited) | set(role.permissions))

    def workflow_for(self, type_key):
        return self.workflows[self.ticket_types[type_key].workflow]
