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
import os
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import event

from core import create_app
from core.demo.data import DEMO_PASSWORD, demo_email
from core.extensions import db


def last_full_month():
    first = date.today().replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


def signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"csrf_token": token, "email": demo_email("manager"), "password": DEMO_PASSWORD})
    assert response.status_code == 302, "sign-in failed: run `kefu demo` on this instance first"
    return client


def timed(client, path, requests):
    """(median wall-clock ms, median CPU ms of this process) of ``requests`` requests of ``path``."""
    assert client.get(path).status_code == 200, path  # warm-up, and the page must work
    wall, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, path
    return statistics.median(wall), statistics.median(cpu)


def statements(app, client, path):
    captured = []

    def before(conn, cursor, statement, parameters, context, executemany):
        context._bench_start = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        captured.append(((time.perf_counter() - context._bench_start) * 1000, " ".join(statement.split())[:160]))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return captured


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default=last_full_month())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    app = create_app()
    client = signed_in(app)
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
    print(f"load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    for name, path in paths.items():
        runs = sorted(timed(client, path, args.requests) for _ in range(args.runs))
        wall, cpu = [w for w, _c in runs], sorted(c for _w, c in runs)
        print(f"{name:<36} wall {statistics.median(wall):7.1f} ms (runs {' / '.join(f'{w:.0f}' for w in wall)})"
              f"   cpu {statistics.median(cpu):6.1f} ms   {path}")
    print(f"load average after:  {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print("\nSQL of one dashboard request, slowest first (ms):")
    captured = statements(app, client, paths["dashboard, month"])
    for ms, statement in sorted(captured, reverse=True)[:12]:
        print(f"{ms:8.1f}  {statement}")
    print(f"{len(captured)} statements, {sum(ms for ms, _ in captured):.1f} ms in SQL")


if __name__ == "__main__":
    main()
