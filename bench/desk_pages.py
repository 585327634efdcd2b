"""Times the staff helpdesk's pages in-process on a seeded site, through the whole Flask stack, and lists the SQL
of one request of each: what a desk page costs before gunicorn and the network add theirs.

    KEFU_INSTANCE_PATH=/tmp/kefu-bench-100k python bench/desk_pages.py [--user manager] [--ticket ID] [--runs 3]

Medians of --runs runs of --requests requests each (after a warm-up request), wall clock and this process's CPU.
"""
import argparse

from inprocess import print_statements, signed_in, time_pages
from sqlalchemy import func, select

from core import create_app
from core.demo.data import demo_email
from core.extensions import db
from core.models import Ticket


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user", default="manager", help="demo user: manager, supervisor1, agent1, …")
    parser.add_argument("--ticket", type=int, help="the ticket page to time (default: the middle ticket)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        ticket = args.ticket or db.session.scalar(select(func.max(Ticket.id))) // 2
    client = signed_in(app, demo_email(args.user))
    paths = {
        "queue, mine": "/desk/",
        "queue, team": "/desk/?queue=team",
        "queue, unassigned": "/desk/?queue=unassigned",
        "queue, all": "/desk/?queue=all",
        "ticket page": f"/desk/tickets/{ticket}",
    }
    time_pages(client, paths, args.runs, args.requests)
    for name, path in paths.items():
        print(f"\nSQL of one request of {name}, slowest first (ms):")
        print_statements(app, client, path, top=8)


if __name__ == "__main__":
    main()
