"""Times the desk's queue queries in-process on a seeded site and prints their query plans.

    KEFU_INSTANCE_PATH=/tmp/kefu-bench-100k python bench/queue_sql.py [--runs 50] [--user EMAIL ...]

For each user and queue (mine, team, unassigned, all): the median time of core.tickets.queues.page (the
first page of 50 with its capped count, customers and assignees loaded as the desk loads them) and of the
capped count alone (the desk counts every queue on each page), each run in a fresh request context like a
request of its own. Then every SQL statement of one page with its plan: EXPLAIN QUERY PLAN on SQLite,
EXPLAIN on PostgreSQL.
"""
import argparse
import re
import statistics
import time

from sqlalchemy import event, func, select
from sqlalchemy.orm import selectinload

from core import create_app
from core.extensions import db
from core.models import Ticket, TicketEvent, User
from core.tickets import queues

DEFAULT_USERS = ("manager@demo.kefu.local", "agent1@demo.kefu.local")
PAGE_OPTIONS = (selectinload(Ticket.customer), selectinload(Ticket.assignee))


def first_page(queue, sort):
    return lambda user: queues.page(user, queue, sort=sort, options=PAGE_OPTIONS)


def queue_count(queue):
    return lambda user: queues.capped_count(queues.queue_query(user, queue))


def timed(app, user_id, work, runs):
    """Median milliseconds of work(user) over `runs` fresh request contexts, and its last result."""
    times, result = [], None
    for _ in range(runs):
        with app.test_request_context():
            user = db.session.get(User, user_id)
            start = time.perf_counter()
            result = work(user)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def statements_of(app, user_id, work):
    """The SQL statements (with parameters) that work(user) runs."""
    captured = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        captured.append((statement, parameters))

    with app.test_request_context():
        user = db.session.get(User, user_id)
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            work(user)
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    return captured


def plan(app, statement, parameters):
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            depth = {0: -1}
            lines = []
            for node, parent, _unused, detail in rows:
                depth[node] = depth.get(parent, -1) + 1
                lines.append("  " * depth[node] + detail)
            return lines
        return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--user", action="append", help="e-mail of a staff account; repeat for several "
                        f"(default: {', '.join(DEFAULT_USERS)})")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--sort", default="updated", choices=tuple(queues.SORTS))
    args = parser.parse_args()

    app = create_app()
    with app.app_context():
        users = [(email, db.session.scalar(select(User.id).where(User.email == email)))
                 for email in args.user or DEFAULT_USERS]
        tickets = db.session.scalar(select(func.count(Ticket.id)))
        events = db.session.scalar(select(func.count(TicketEvent.id)))
        print(f"{db.engine.dialect.name}: {tickets:,} tickets, {events:,} events; median of {args.runs} runs, "
              f"sort={args.sort}")
    missing = [email for email, user_id in users if user_id is None]
    if missing:
        raise SystemExit(f"no account {', '.join(missing)}")

    for email, user_id in users:
        print(f"\n{email}")
        print(f"  {'queue':<12} {'page ms':>9} {'count ms':>9} {'rows':>5} {'count':>6}")
        for queue in queues.QUEUES:
            page_ms, result = timed(app, user_id, first_page(queue, args.sort), args.runs)
            count_ms, _ = timed(app, user_id, queue_count(queue), args.runs)
            shown = f"{result.count}{'+' if result.count_capped else ''}"
            print(f"  {queue:<12} {page_ms:>9.2f} {count_ms:>9.2f} {len(result.tickets):>5} {shown:>6}")

    for email, user_id in users:
        for queue in queues.QUEUES:
            print(f"\n=== {email}, queue={queue}")
            for statement, parameters in statements_of(app, user_id, first_page(queue, args.sort)):
                print("  SQL: " + re.sub(r"\s+", " ", statement).strip())
                print(f"  parameters: {parameters}")
                for line in plan(app, statement, parameters):
                    print("    " + line)


if __name__ == "__main__":
    main()
