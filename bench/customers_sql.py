"""Times the customer archive's queries in-process on a seeded instance: the desk list (first page and a later
one, search by name and by phone, grade and tag filters) as an agent and as a manager, and one run of the
customer-care generation. Median of N runs each, in milliseconds.

    KEFU_INSTANCE_PATH=/tmp/kefu-bench-100k .venv/bin/python bench/customers_sql.py [--runs 30]
"""
import argparse
import statistics
import time
from datetime import timedelta

from sqlalchemy import select

from core import create_app
from core.care.service import generate_care_tasks
from core.customers import listing
from core.extensions import db
from core.models import CareTask, Customer, User, utcnow


def _median_ms(action, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    app = create_app()
    with app.test_request_context():
        count = db.session.scalar(select(db.func.count(Customer.id)))
        sample = db.session.scalar(select(Customer).where(Customer.phone.is_not(None)).order_by(Customer.id.desc()))
        middle = db.session.scalar(select(Customer.name).order_by(Customer.name).offset(count // 2).limit(1))
        print(f"{count:,} customer records; median of {args.runs} runs")
        for email in ("agent1@demo.kefu.local", "manager@demo.kefu.local"):
            user = db.session.scalar(select(User).where(User.email == email))
            later = listing._encode(middle, 0)
            cases = {
                "first page": {},
                "a page in the middle": None,
                "name search (2 characters)": {"q": sample.name[:2]},
                "phone search (7 digits)": {"q": sample.phone[:7]},
                "grade = key": {"grade": "key"},
                "tag = VIP": {"tag": "VIP"},
            }
            for label, filters in cases.items():
                if filters is None:
                    ms = _median_ms(lambda user=user, later=later: listing.page(user, {}, later), args.runs)
                else:
                    ms = _median_ms(lambda user=user, filters=filters: listing.page(user, filters), args.runs)
                print(f"  {email.split('@')[0]:<8} {label:<28} {ms:8.1f} ms")
        db.session.rollback()
        db.session.query(CareTask).delete()
        db.session.commit()
        started = time.perf_counter()
        created = generate_care_tasks(utcnow() + timedelta(days=0))
        first = (time.perf_counter() - started) * 1000
        again = _median_ms(lambda: generate_care_tasks(utcnow()), 5)
        print(f"  care generation: {created:,} tasks in {first:.0f} ms; a second run (nothing new) {again:.0f} ms")


if __name__ == "__main__":
    main()
