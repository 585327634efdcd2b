"""Times the floor board's poll endpoint (GET /catering/board/<area>/data, what each tablet asks every 4 s) on a
floor area of 100 tables with 60 open requests, through the app's test client: median and 95th percentile of N
requests, in milliseconds. Builds its own throwaway SQLite instance (or uses KEFU_DATABASE_URL).

    .venv/bin/python bench/catering_board.py [--runs 200]
"""
import argparse
import os
import statistics
import tempfile
import time

from core import create_app
from core.database import upgrade_schema
from core.extensions import db
from core.models import Role, User
from core.plugins.sync import sync_registry
from core.tickets.service import create_ticket
from plugins.catering.models import DiningTable, FloorArea

PASSWORD = "bench-password"


def build(instance):
    url = os.environ.get("KEFU_DATABASE_URL") or f"sqlite:///{instance}/bench.db"
    app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url, "PLUGINS": ["catering"],
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade_schema()
        sync_registry(app.extensions["kefu"].registry)
        role = db.session.scalar(db.select(Role).where(Role.key == "catering_runner"))
        user = User(email="runner@bench.cn", name="传菜员", kind="staff", roles=[role])
        user.set_password(PASSWORD)
        hall = FloorArea(name="大厅")
        tables = [DiningTable(area=hall, name=f"{n}号台", seats=4, sort_order=n) for n in range(1, 101)]
        db.session.add_all([user, hall, *tables])
        db.session.flush()
        for n, table in enumerate(tables[:60]):
            kind = ("catering_chase", "catering_service")[n % 2]
            fields = {"table": str(table.id), "dish": "清蒸鲈鱼"} if n % 2 == 0 else {"table": str(table.id), "need": "bill"}
            create_ticket(type_key=kind, title=f"{table.name} 请求", fields=fields)
        db.session.commit()
        return app, hall.id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        app, area_id = build(instance)
        client = app.test_client()
        signed = client.post("/login", data={"email": "runner@bench.cn", "password": PASSWORD})
        assert signed.status_code == 302, f"sign-in failed: {signed.status_code}"
        url = f"/catering/board/{area_id}/data"
        assert len(client.get(url).get_json()["tables"]) == 100
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        times.sort()
        print(f"board poll, 100 tables, 60 open requests, {args.runs} requests on "
              f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: median {statistics.median(times):.1f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
