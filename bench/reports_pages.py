"""Times the report pages in-process on a seeded site: each page requested through the whole Flask stack (sign-in
session, view, SQL, templates, SVG), signed in as the demo manager.

    KEFU_INSTANCE_PATH=/tmp/kefu-bench-1m python bench/reports_pages.py [--month 2026-11] [--runs 3] [--requests 10]

Each run requests every page --requests times after one warm-up request; a run's figure is the median of its
requests, and the result is the median of the runs (each run beside it). Wall-clock time and the CPU time of
this process (the page's own work, SQLite included, whatever else the shared machine runs) are both given, with
the machine's load average before and after. Then the SQL statements of one
dashboard request with their times, slowest first.
"""
import argparse
from datetime import date, timedelta

from inprocess import print_statements, signed_in, time_pages

from core import create_app
from core.demo.data import demo_email


def last_full_month():
    first = date.today().replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default=last_full_month())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    app = create_app()
    client = signed_in(app, demo_email("manager"))
    month = f"period=month&month={args.month}"
    quarter_of = (int(args.month[5:]) - 1) // 3 + 1
    paths = {
        "dashboard, month": f"/reports/?{month}",
        "dashboard, month, one team": f"/reports/?{month}&team=1",
        "dashboard, month, team and channel": f"/reports/?{month}&team=1&channel=phone",
        "monthly summary": f"/reports/summary?{month}",
        "appraisal, month": f"/reports/appraisal?{month}",
        "appraisal, quarter": f"/reports/appraisal?period=quarter&quarter={args.month[:4]}-Q{quarter_of}",
        "tickets behind the backlog": f"/reports/tickets?kpi=backlog&{month}",
    }
    time_pages(client, paths, args.runs, args.requests)
    print("\nSQL of one dashboard request, slowest first (ms):")
    print_statements(app, client, paths["dashboard, month"])

if __name__ == "__main__":
    main()
