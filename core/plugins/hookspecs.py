"""Every hook a Kefu plugin can implement. One module, grouped by kind; each docstring has an example.

Registries return lists that the core merges by key (a plugin may replace a core default of the same key;
two plugins may not claim one key). Events return nothing. Call hooks with keyword arguments only.
"""
from core.plugins import hookspec

# --- Set-up ------------------------------------------------------------------------------------------


@hookspec
def kefu_blueprints(app):
    """Return Flask blueprints to register on the app.

    Every view must declare its permission with ``core.auth.permissions.requires`` (or ``public``).

    Example::

        @hookimpl
        def kefu_blueprints(app):
            return [floor_board_bp]
    """


@hookspec
def kefu_admin_views(admin, db):
    """Return Flask-Admin views to add to the admin panel (subclass ``core.admin.views.SecureModelView``).

    Example::

        @hookimpl
        def kefu_admin_views(admin, db):
            return [SecureModelView(Building, db, name=_l("Buildings"), category=_l("Property"))]
    """


@hookspec
def kefu_cli(group):
    """Add commands to the ``kefu`` command line (a click group).

    Example::

        @hookimpl
        def kefu_cli(group):
            @group.command("import-rooms")
            @click.argument("csv_file")
            def import_rooms(csv_file): ...
    """


@hookspec
def kefu_migrations():
    """Return the folder of the plugin's alembic versions (its own branch, ``depends_on`` a core revision).

    Example::

        @hookimpl
        def kefu_migrations():
            return os.path.join(os.path.dirname(__file__), "migrations")
    """


@hookspec
def kefu_demo_data(session, rng):
    """Add demo data for this plugin to ``session`` (``kefu demo``); ``rng`` is a seeded ``random.Random``.

    The core's own demo data (staff of every role, customers, tickets) is added first.

    Example::

        @hookimpl
        def kefu_demo_data(session, rng):
            session.add(Estate(name="翠湖花园"))
    """


# --- Registries --------------------------------------------------------------------------------------


@hookspec
def kefu_permissions():
    """Return ``PermissionSpec`` records for permissions this plugin checks.

    Example::

        @hookimpl
        def kefu_permissions():
            return [PermissionSpec("property.patrol", Label(zh="巡查", en="Patrol"))]
    """


@hookspec
def kefu_roles():
    """Return ``RoleSpec`` records; each maps onto a core level and may add permissions.

    Example::

        @hookimpl
        def kefu_roles():
            return [RoleSpec("property_butler", Label(zh="物业管家", en="Property butler"), level="agent",
                             permissions=("property.patrol",))]
    """


@hookspec
def kefu_ticket_types():
    """Return ``TicketTypeSpec`` records: typed fields, workflow key, default visibility.

    Example::

        @hookimpl
        def kefu_ticket_types():
            return [TicketTypeSpec("property_repair", Label(zh="报修", en="Repair"), workflow="general",
                                   fields=(FieldSpec("room", Label(zh="房号", en="Room"), required=True),))]
    """


@hookspec
def kefu_workflows():
    """Return ``WorkflowSpec`` records (states, transitions, who may take each, what each requires).

    Example::

        @hookimpl
        def kefu_workflows():
            return [WorkflowSpec("repair", Label(zh="报修流程", en="Repair"), initial="new", states=..., transitions=...)]
    """


@hookspec
def kefu_assignment_candidates(ticket):
    """Return ``(user, score, reason)`` tuples of people suited to ``ticket``; higher scores rank first.

    ``reason`` is a ``Label`` shown to the dispatcher. The core adds the team's members by open workload.

    Example::

        @hookimpl
        def kefu_assignment_candidates(ticket):
            butler = butler_of(ticket.fields.get("building"))
            return [(butler, 100, Label(zh="楼栋管家", en="Butler of the building"))] if butler else []
    """


@hookspec
def kefu_sla_policies():
    """Return ``core.sla.policies.SlaPolicySpec`` records: SLA defaults for the tickets they match.

    Match fields left None match any ticket; the most specific policy wins, and at equal specificity the
    admin's own policies win over plugin defaults. Specs are merged by key.

    Example::

        @hookimpl
        def kefu_sla_policies():
            return [SlaPolicySpec("catering_chase", Label(zh="催菜", en="Dish chase"), ticket_type="catering_chase",
                                  targets={"resolution": Target(15, business=False)})]
    """


@hookspec
def kefu_notification_channels():
    """Return channel adapters that send notifications outside the app (SMS, WeCom…).

    An adapter has ``key`` (a short name), ``accepts(user)`` (whether it can reach this user) and
    ``send(user, notification)`` (raise to report a failure; the worker retries). ``notify()`` queues one
    delivery per accepting channel; ``kefu worker`` sends them, each once.

    Example::

        @hookimpl
        def kefu_notification_channels():
            return [SmsChannel(key="sms", gateway=current_app.config["SMS_GATEWAY"])]
    """


# --- User interface ----------------------------------------------------------------------------------


@hookspec
def kefu_nav_items(user):
    """Return ``NavItem`` records for the staff navigation; the core shows those ``user`` may open.

    Example::

        @hookimpl
        def kefu_nav_items(user):
            return [NavItem("floor", Label(zh="楼面看板", en="Floor board"), "catering.board", "catering.board")]
    """


@hookspec
def kefu_template_slot(name, context):
    """Return HTML (a ``Markup`` string) to insert where a template calls ``slot(name, **context)``.

    Return None for slots this plugin does not fill.

    Example::

        @hookimpl
        def kefu_template_slot(name, context):
            if name == "ticket_sidebar":
                return render_template("property/room_panel.html", ticket=context["ticket"])
    """


# --- Ticket events (no return value; called inside the ticket's transaction) ---------------------------


@hookspec
def kefu_ticket_created(ticket, event):
    """A ticket was created; ``event`` is its first ``TicketEvent``.

    Example::

        @hookimpl
        def kefu_ticket_created(ticket, event):
            if ticket.type.key == "property_emergency":
                notify_director(ticket)
    """


@hookspec
def kefu_ticket_transitioned(ticket, event, from_state, to_state):
    """A ticket moved from one workflow state to another.

    Example::

        @hookimpl
        def kefu_ticket_transitioned(ticket, event, from_state, to_state):
            if to_state == "resolved":
                schedule_follow_up(ticket)
    """


@hookspec
def kefu_ticket_assigned(ticket, event):
    """A ticket's assignee or team changed; ``event.data`` has ``from``/``to`` user ids and the teams.

    Example::

        @hookimpl
        def kefu_ticket_assigned(ticket, event):
            if ticket.type.key == "water_repair":
                send_dispatch_sms(ticket.assignee, ticket)
    """


@hookspec
def kefu_ticket_commented(ticket, event):
    """A reply (``event.public``) or an internal note was added to a ticket.

    Example::

        @hookimpl
        def kefu_ticket_commented(ticket, event):
            if event.public:
                send_sms(ticket.customer, event.body)
    """


@hookspec
def kefu_sla_breached(ticket, clock):
    """An SLA target of ``ticket`` was missed (``clock`` is its ``SlaClock``), after the core escalated it.

    Called once per breach by the worker's sweep, inside the transaction that records it.

    Example::

        @hookimpl
        def kefu_sla_breached(ticket, clock):
            if ticket.type.key == "property_lift_trapped":
                notify(director(), "lift_breach", ticket)
    """
