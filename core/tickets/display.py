"""Names of a ticket's type, state, step, priority and channel in the reader's language (template globals)."""
from flask import current_app

from core.i18n import Label

PRIORITY_LABELS = {
    "urgent": Label(zh="紧急", en="Urgent"),
    "high": Label(zh="高", en="High"),
    "normal": Label(zh="普通", en="Normal"),
    "low": Label(zh="低", en="Low"),
}
CHANNEL_LABELS = {
    "phone": Label(zh="客服热线", en="Phone"),
    "walk_in": Label(zh="营业厅/前台", en="Walk-in"),
    "email": Label(zh="电子邮件", en="E-mail"),
    "web": Label(zh="在线留言", en="Web form"),
    "portal": Label(zh="客户门户", en="Portal"),
    "chat": Label(zh="在线咨询", en="Chat"),
    "wechat": Label(zh="微信平台", en="WeChat"),
    "sms": Label(zh="短信", en="SMS"),
    "api": Label(zh="接口", en="API"),
    "system": Label(zh="系统", en="System"),
}


def state_name(ticket, state_key):
    """The label of any state of the ticket's workflow (for timeline entries)."""
    registry = current_app.extensions["kefu"].registry
    spec = registry.ticket_types.get(ticket.type.key)
    try:
        return registry.workflows[spec.workflow].state(state_key).label if spec else state_key
    except KeyError:
        return state_key


def step_name(ticket, transition_key):
    """The label of a step (transition) of the ticket's workflow (for approvals and their events)."""
    registry = current_app.extensions["kefu"].registry
    spec = registry.ticket_types.get(ticket.type.key)
    steps = registry.workflows[spec.workflow].transitions if spec else ()
    return next((step.label for step in steps if step.key == transition_key), transition_key)


def state_label(ticket):
    return state_name(ticket, ticket.status)


def init_app(app):
    from core.tickets.fields import display_value, form_field_name, lookup_choices
    from core.workflow.approvals import permission_label

    app.jinja_env.globals.update(
        display_value=display_value,
        form_field_name=form_field_name,
        lookup_choices=lookup_choices,
        state_label=state_label,
        state_name=state_name,
        step_name=step_name,
        permission_label=permission_label,
        priority_label=lambda key: PRIORITY_LABELS.get(key, key),
        channel_label=lambda key: CHANNEL_LABELS.get(key, key),
    )
