"""Search speed on a seeded instance: single words and phrases (p50/p95 of core.search.service.search, the
whole call: parsing, the index, the permission check, excerpts), and what the outbox adds to a ticket save.

    KEFU_INSTANCE_PATH=… [KEFU_SEARCH_BACKEND=postgresql KEFU_SQLALCHEMY_DATABASE_URI=…] \
        .venv/bin/python bench/search_bench.py [--runs 3] [--queries 60] [--saves 50]

Each run searches every query once as the manager (sees every ticket) and once as agent1 (own and team
tickets: the permission filter at work); the report is the median over runs of each run's p50 and p95.
Queries are words and phrases taken from the seeded tickets themselves (so each finds something), drawn
with a fixed seed. The save benchmark creates tickets (then deletes them) with and without the outbox hook.
"""
import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import delete, event, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from core import create_app  # noqa: E402
from core.extensions import db  # noqa: E402
from core.models import SearchOutbox, Ticket, TicketEvent, User  # noqa: E402
from core.search import outbox  # noqa: E402
from core.search.analysis import segmenter, tokenize  # noqa: E402
from core.search.service import search  # noqa: E402
from core.tickets.service import create_ticket  # noqa: E402

WORDS = ["漏水", "发票", "停水", "快递", "投诉", "维修", "账单", "退款", "物业", "燃气", "电梯", "噪音", "停车", "包裹",
         "水压", "催菜", "理赔", "电费", "水表", "上门"]
PHRASES = ["账单金额", "包裹破损", "水管漏水", "师傅上门", "尽快处理", "电梯故障", "水费账单", "快递丢失", "停车位",
           "发票开具", "物业费", "维修进度"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def sample_queries(count, rng):
    """Words and two-word phrases found in seeded ticket titles, plus the fixed lists."""
    titles = db.session.scalars(select(Ticket.title).where(Ticket.id % 97 == 0).limit(2000)).all()
    words, phrases = list(WORDS), list(PHRASES)
    for title in titles:
        tokens = [t.text for t in tokenize(title) if len(t.text) >= 2 and not t.text.isascii()]
        words += tokens
        phrases += [a + b for a, b in zip(tokens, tokens[1:], strict=False)]
    rng.shuffle(words)
    rng.shuffle(phrases)
    return words[:count], [f'"{p}"' for p in phrases[:count]]


def time_queries(user, queries):
    seconds = []
    for text in queries:
        started = time.perf_counter()
        search(user, text)
        seconds.append((time.perf_counter() - started) * 1000)
    return percentile(seconds, 0.5), percentile(seconds, 0.95)


def time_saves(count, hooked):
    if not hooked:
        event.remove(Session, "after_flush", outbox._record)
    made, seconds, cpu = [], [], []
    try:
        for i in range(count):
            started, started_cpu = time.perf_counter(), time.process_time()
            ticket = create_ticket(type_key="inquiry", title=f"压测工单 {i}", body="您好，我家水表读数不对，麻烦查一下。")
            db.session.commit()
            seconds.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            made.append(ticket.id)
    finally:
        if not hooked:
            event.listen(Session, "after_flush", outbox._record)
        db.session.execute(delete(TicketEvent).where(TicketEvent.ticket_id.in_(made)))
        db.session.execute(delete(Ticket).where(Ticket.id.in_(made)))
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.object_id.in_(made)))
        db.session.commit()
    return round(statistics.median(seconds), 2), round(statistics.median(cpu), 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=60, help="0: only the ticket save")
    parser.add_argument("--saves", type=int, default=50)
    args = parser.parse_args()
    app = create_app({"SEARCH_APPLY": "worker"})  # saves are timed without the writer: that is another process
    with app.app_context():
        segmenter()
        if args.queries:
            search_speed(app, args)
        if args.saves:
            with_hook = [time_saves(args.saves, True) for _ in range(args.runs)]
            without = [time_saves(args.saves, False) for _ in range(args.runs)]
            for i, what in enumerate(("wall clock", "CPU")):
                hooked, bare = statistics.median(r[i] for r in with_hook), statistics.median(r[i] for r in without)
                print(f"ticket save ({what}), median of run medians: with the outbox {hooked:.2f} ms, without "
                      f"{bare:.2f} ms: the outbox adds {hooked - bare:.2f} ms (runs {with_hook} / {without})")


def search_speed(app, args):
    """p50/p95 of words and phrases, per user, median over runs."""
    with app.app_context():
        backend = app.extensions["kefu_search"].backend
        print(f"backend {backend.name}, documents {backend.count():,}, load average {os.getloadavg()}")
        words, phrases = sample_queries(args.queries, random.Random(2026))
        people = {email: db.session.scalar(select(User).where(User.email == email))
                  for email in ("manager@demo.kefu.local", "agent1@demo.kefu.local")}
        rows = {}
        for run in range(args.runs):
            for email, user in people.items():
                for name, queries in (("word", words), ("phrase", phrases)):
                    rows.setdefault((email, name), []).append(time_queries(user, queries))
            print(f"run {run + 1} done, load average {os.getloadavg()}")
        print(f"{'user':<26}{'kind':<8}{'p50 ms (runs)':<32}{'p95 ms (runs)':<32}median p50 / p95")
        for (email, name), results in rows.items():
            p50s, p95s = [r[0] for r in results], [r[1] for r in results]
            print(f"{email:<26}{name:<8}{', '.join(f'{v:.1f}' for v in p50s):<32}{', '.join(f'{v:.1f}' for v in p95s):<32}"
                  f"{statistics.median(p50s):.1f} / {statistics.median(p95s):.1f}")


if __name__ == "__main__":
    main()
