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
def kefu_lookups():
    """Return ``LookupSpec`` records: choices from the plugin's own records for "lookup" ticket fields.

    ``options(parent)`` lists the choices under a parent field's value (estate → building → unit → room);
    ``resolve(value)`` gives a value's label and its parent's value, or None for an unknown value. Fields name
    a lookup as ``FieldSpec(..., type="lookup", source="<key>", parent="<field key>")``; the desk, the portal
    and the API (``GET /api/v1/lookups/<key>?parent=``) offer and check the choices the same way.

    Example::

        @hookimpl
        def kefu_lookups():
            return [LookupSpec("catering.table", Label(zh="台号", en="Table"),
                               options=lambda parent: [Choice(str(t.id), Label(zh=t.name, en=t.name))
                                                       for t in tables_of_room(parent)],
                               resolve=lambda value: table_label_and_room(value))]
    """


@hookspec
def kefu_workflows():
    """Return ``WorkflowSpec`` records (states, transitions, who may take each, what each requires).

    A transition may require "comment", "assignee", "field:<key>" (the ticket type's field must have a value,
    given with the step or already on the ticket) and "approval" (taken once someone holding ``approver``, a
    permission key or ``approver(ticket)``, granted it; see ``core.workflow.approvals``).

    Example::

        @hookimpl
        def kefu_workflows():
            return [WorkflowSpec("claim", Label(zh="理赔流程", en="Claims"), initial="open", states=..., transitions=(
                Transition("pay", Label(zh="赔付", en="Pay out"), ("checking",), "paid", "ticket.transition",
                           requires=("field:amount", "approval"),
                           approver=lambda ticket: "logistics.approve_claims" if Decimal(ticket.fields["amount"]) > 2000
                           else "ticket.assign"),
            ))]
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


@hookspec(firstresult=True)
def kefu_escalation_contacts(ticket, level):
    """Return the users an escalation of ``ticket`` to ``level`` (1 or 2) reaches, or None for the core's
    default (level 1: the team's supervisor, else the managers; level 2: the managers).

    Used by the SLA sweep and by a desk escalation; the first plugin that returns a list wins.

    Example::

        @hookimpl
        def kefu_escalation_contacts(ticket, level):
            if ticket.type.key == "catering_chase":
                return runner_leaders(ticket) if level == 1 else floor_managers(ticket)
    """


@hookspec
def kefu_sla_policies():
    """Return ``core.sla.policies.SlaPolicySpec`` records: SLA defaults for the tickets they match.

    Match fields left None match any ticket; ``ticket_fields`` also matches values of the type's own fields (a
    commitment per kind of fault). The most specific policy wins, and at equal specificity the admin's own
    policies win over plugin defaults. Specs are merged by key.

    Example::

        @hookimpl
        def kefu_sla_policies():
            return [SlaPolicySpec("catering_chase", Label(zh="催菜", en="Dish chase"), ticket_type="catering_chase",
                                  targets={"resolution": Target(15, business=False)}),
                    SlaPolicySpec("water_leak", Label(zh="漏水抢修", en="Leak repair"), ticket_type="water_repair",
                                  ticket_fields={"fault": "leak"}, targets={"resolution": Target(24 * 60, business=False)})]
    """


@hookspec
def kefu_notification_channels():
    """Return channel adapters that send notifications outside the app (SMS, WeCom…).

    An adapter has ``key`` (a short name), ``accepts(user)`` (whether it can reach this user) and
    ``send(user, notification)`` (raise to report a failure; the worker retries). ``notify()`` queues one
    delivery per accepting channel; ``kefu worker`` sends them, each once. An adapter that can also reach
    customers has ``accepts_customer(customer)`` and ``send_to_customer(customer, message)`` (a
    ``CustomerMessage``: subject, body, kind, ticket), used by ``core.notifications.notify_customer``. The
    core's "email" and "sms" (the SMS outbox) channels may be replaced by a plugin's of the same key.

    Example::

        @hookimpl
        def kefu_notification_channels():
            return [SmsChannel(key="sms", gateway=current_app.config["SMS_GATEWAY"])]
    """


@hookspec
def kefu_notification_kinds():
    """Return ``NotificationKind`` records: what the bell, the notifications page and the e-mail say for each
    kind a plugin passes to ``core.notifications.notify``. A kind nobody declares is shown by its key.

    Example::

        @hookimpl
        def kefu_notification_kinds():
            return [NotificationKind("catering.dish_late", Label(zh="%(table)s 号台的菜超时未上",
                                                                 en="A dish for table %(table)s is late"))]
    """


@hookspec
def kefu_care_reminders(start, end):
    """Return ``CareReminder`` records for days from ``start`` to ``end`` (dates, both included).

    The customer-care calendar shows them beside birthdays and festivals, and the daily generation turns
    each into a task for staff (once per customer, kind and day), as many days ahead as the site's
    "reminders" care rule says.

    Example::

        @hookimpl
        def kefu_care_reminders(start, end):
            return [CareReminder(meter.customer_id, meter.inspection_due, "water.meter_inspection",
                                 Label(zh="水表年检", en="Meter inspection"), note=meter.number)
                    for meter in meters_due_between(start, end)]
    """


@hookspec
def kefu_kpis():
    """Return ``core.reports.kpis.KpiSpec`` records: measures for the dashboard, the appraisal report and exports.

    ``compute(period, scope)`` returns a ``KpiResult``: ``value`` None when the period has nothing to measure
    (shown as "no data"), and ``tickets``, a ``select()`` of ``Ticket.id`` behind the number, which the
    dashboard links to. ``scope.ticket_conditions()`` narrows a ticket query to the scope's agent, team, type,
    category, channel and customer grade. A result that misses its ``target`` is shown as below target. The
    core's own measures come through this hook too (trylast); a plugin may replace one by its key.

    Example::

        @hookimpl
        def kefu_kpis():
            def compute(period, scope):
                complaints = (select(Ticket.id).where(Ticket.category == "complaint", *scope.ticket_conditions(),
                              Ticket.created_at >= period.start, Ticket.created_at < period.end))
                visited = complaints.where(Ticket.id.in_(select(FollowUp.ticket_id).where(FollowUp.done_at.is_not(None))))
                return KpiResult.rate(count(visited), count(complaints), tickets=visited)

            return [KpiSpec("property.complaint_follow_up_rate", Label(zh="投诉处理回访率", en="Complaint follow-up rate"),
                            Label(zh="本期投诉中已回访的比例", en="Share of the period's complaints followed up"),
                            compute, unit="percent", target=Target(">=", 50))]
    """


@hookspec
def kefu_scheduled_jobs():
    """Return ``core.plugins.specs.ScheduledJob`` records: periodic work that ``kefu worker`` runs.

    Each job runs every ``every`` seconds (at most once per worker round), in one worker at a time: the
    worker takes a lease on the job first, and a lease left by a killed worker expires. ``run(now)`` gets a
    UTC-aware datetime, commits its own work and returns how many things it did (or None). It must be
    idempotent: claim each row with a conditional UPDATE, so that a job repeated after a crash does nothing
    twice. The core's own jobs (SLA sweep, notification delivery) come through this hook too.

    Example::

        @hookimpl
        def kefu_scheduled_jobs():
            return [ScheduledJob("catering.dish_chase", Label(zh="催菜提醒", en="Dish chase"), every=60,
                                 run=chase_late_dishes)]

        def chase_late_dishes(now):
            late = db.session.scalars(select(Order.id).where(Order.served_at.is_(None),
                                                             Order.ordered_at <= now - timedelta(minutes=15),
                                                             Order.chased_at.is_(None))).all()
            chased = 0
            for order_id in late:
                claimed = db.session.execute(update(Order).where(Order.id == order_id, Order.chased_at.is_(None))
                                             .values(chased_at=now)).rowcount
                if claimed:
                    notify(floor_manager(), "dish_late", order=order_id)
                    chased += 1
                db.session.commit()
            return chased
    """


@hookspec
def kefu_search_fields():
    """Return ``SearchFieldSpec`` records: values of a ticket that the search indexes, each searchable as
    ``key:value`` (exact, case-insensitive) and as full text.

    ``extract(ticket)`` returns the ticket's values (a string, a list of strings, or None). The search index's
    writer calls it, in an app context, whenever the ticket is indexed again, so it may read the plugin's own
    tables through ``db.session``. When the plugin's own objects change what ``extract`` returns for some
    tickets (a shipment's consignee edited), call ``core.search.queue_reindex(ticket_ids)`` in the same
    transaction: the change is written to the search outbox and reaches the index when that commits.

    Example::

        @hookimpl
        def kefu_search_fields():
            return [SearchFieldSpec("waybill", Label(zh="运单号", en="Waybill number"),
                                    extract=lambda ticket: ticket.fields.get("waybill"))]

        def change_consignee(shipment, name):
            shipment.consignee = name
            queue_reindex([ticket.id for ticket in shipment.tickets])
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

    Return None for slots this plugin does not fill. Slots of the core: ``page_banner`` (top of every page, for
    notices such as a planned outage), ``page_footer``, ``ticket_sidebar`` (``ticket``).

    Example::

        @hookimpl
        def kefu_template_slot(name, context):
            if name == "ticket_sidebar":
                return render_template("property/room_panel.html", ticket=context["ticket"])
    """


# --- Events (no return value; called inside the transaction of the change) ---------------------------------


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
def kefu_customer_merged(kept, merged):
    """Customer record ``merged`` was merged into ``kept``: move the plugin's own rows that point at it.

    Called inside the merge's transaction, after the core moved tickets, contacts and portal accounts.

    Example::

        @hookimpl
        def kefu_customer_merged(kept, merged):
            db.session.execute(update(Resident).where(Resident.customer_id == merged.id)
                               .values(customer_id=kept.id))
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


@hookspec
def kefu_survey_submitted(ticket, survey):
    """A customer's satisfaction survey was answered (link, portal, API, or by the agent in the follow-up).

    ``survey`` has ``quality``, ``attitude`` and ``speed`` (1–5), ``comment``, ``channel`` and ``is_bad`` (a
    score of 2 or less: an investigation was opened for the supervisor). Called inside the transaction that
    records it.

    Example::

        @hookimpl
        def kefu_survey_submitted(ticket, survey):
            if survey.is_bad and ticket.type.key == "property_repair":
                notify(office_director(), "bad_repair_rating", ticket)
    """
