"""What the in-process page benchmarks share: a signed-in test client, timing a page (wall clock and this process's
CPU), and the SQL statements one request runs. The scripts beside this one use it; run them, not this.
"""
import os
import statistics
import time

from sqlalchemy import event

from core.demo.data import DEMO_PASSWORD
from core.extensions import db
from core.serving import settle


def signed_in(app, email):
    """A test client signed in as ``email``, in a process settled as wsgi.py settles the served ones (the search
    index is not checked: a seeded instance's would be rebuilt in the background, under the measurement)."""
    settle()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
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


def time_pages(client, paths, runs, requests):
    """Print each named page's median wall-clock and CPU ms over ``runs`` runs of ``requests`` requests."""
    print(f"load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    for name, path in paths.items():
        timings = sorted(timed(client, path, requests) for _ in range(runs))
        wall, cpu = [w for w, _c in timings], sorted(c for _w, c in timings)
        print(f"{name:<36} wall {statistics.median(wall):7.1f} ms (runs {' / '.join(f'{w:.0f}' for w in wall)})"
              f"   cpu {statistics.median(cpu):6.1f} ms   {path}")
    print(f"load average after:  {' '.join(f'{n:.2f}' for n in os.getloadavg())}")


def print_statements(app, client, path, top=12):
    """Print the slowest statements of one request of ``path`` and the total."""
    captured = statements(app, client, path)
    for ms, statement in sorted(captured, reverse=True)[:top]:
        print(f"{ms:8.1f}  {statement}")
    print(f"{len(captured)} statements, {sum(ms for ms, _ in captured):.1f} ms in SQL")
