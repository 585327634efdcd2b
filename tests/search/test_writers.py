"""The outbox and its single writer: every path that changes indexed data records it in its own transaction;
many processes writing at once lose nothing and never hit Whoosh's LockError; readers never wait; a missing
or broken index is rebuilt in the background while searches say so."""
import os
import subprocess
import sys
import textwrap
import time

from sqlalchemy import select

from core.extensions import db
from core.models import Customer, SearchOutbox, User
from core.search.indexer import apply_outbox, pending
from core.search.service import search
from core.tickets.relations import merge, set_tags
from core.tickets.service import add_comment, create_ticket, update_ticket
from tests.helpers import create_user

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def outbox(app):
    with app.app_context():
        return sorted(db.session.execute(select(SearchOutbox.kind, SearchOutbox.object_id)).all())


def test_each_change_is_recorded_in_its_own_transaction(make_app):
    app = make_app(SEARCH_APPLY="worker")  # the rows stay for the test to read
    manager_id = create_user(app, "boss@example.cn", "manager")
    with app.app_context():
        manager = db.session.get(User, manager_id)
        customer = Customer(name="许天佑")
        db.session.add(customer)
        ticket = create_ticket(type_key="inquiry", title="咨询", customer=customer)
        other = create_ticket(type_key="inquiry", title="又一个")
        db.session.commit()
        ticket_id, other_id, customer_id = ticket.id, other.id, customer.id
        db.session.execute(SearchOutbox.__table__.delete())
        db.session.commit()
        steps = [
            lambda: add_comment(ticket, actor=manager, body="回复", public=True),
            lambda: add_comment(ticket, actor=manager, body="备注", public=False),
            lambda: update_ticket(ticket, actor=manager, changes={"title": "新标题"}),
            lambda: set_tags(ticket, ["VIP"], actor=manager),
            lambda: setattr(db.session.get(Customer, customer_id), "phone", "13800138000"),
            lambda: merge(other, ticket, actor=manager),
        ]
        expected = [[("ticket", ticket_id)]] * 4 + [[("customer", customer_id)]] + [sorted([("ticket", other_id), ("ticket", ticket_id)])]
        for step, wanted in zip(steps, expected, strict=True):
            step()
            db.session.rollback()  # a rolled-back change leaves nothing behind
            assert outbox(app) == []
            step()
            db.session.commit()
            assert sorted(set(outbox(app))) == wanted
            db.session.execute(SearchOutbox.__table__.delete())
            db.session.commit()
        # A change that no document shows records nothing (a customer's grade, a ticket's watchers).
        db.session.get(Customer, customer_id).grade = "key"
        db.session.get(type(ticket), ticket_id).watchers.append(manager)
        db.session.commit()
        assert outbox(app) == []


def test_the_session_hook_sees_inserts_updates_and_deletes(app):
    def rows():
        return set(db.session.execute(select(SearchOutbox.kind, SearchOutbox.object_id)).all())

    with app.app_context():
        ticket = create_ticket(type_key="inquiry", title="咨询")
        db.session.flush()
        assert rows() == {("ticket", ticket.id)}  # in the flush's own transaction
        for change in (lambda: setattr(ticket, "title", "新标题"), lambda: db.session.delete(ticket.events[0])):
            db.session.execute(SearchOutbox.__table__.delete())
            change()
            db.session.flush()
            assert rows() == {("ticket", ticket.id)}
        db.session.rollback()
        assert rows() == set()


WRITER = textwrap.dedent("""
    import sys
    from core import create_app
    from core.extensions import db
    from core.tickets.service import create_ticket, add_comment
    app = create_app({"SECRET_KEY": "x", "PLUGINS": [], "INSTANCE_PATH": sys.argv[1],
                      "SQLALCHEMY_DATABASE_URI": sys.argv[2], "SEARCH_BACKEND": sys.argv[3],
                      "SEARCH_APPLY": "inline"})
    name, count = sys.argv[4], int(sys.argv[5])
    with app.app_context():
        for i in range(count):
            ticket = create_ticket(type_key="inquiry", title=f"写入{name}号{i}", body=f"token{name}x{i}")
            db.session.commit()
            add_comment(ticket, actor=None, body=f"reply{name}x{i}", public=True)
            db.session.commit()
    print("done", name)
""")


def test_two_processes_writing_at_once_lose_nothing(search_app_factory, backend_name, tmp_path):
    app = search_app_factory()
    manager = create_user(app, "boss@example.cn", "manager")
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    count = 40
    env = {**os.environ, "PYTHONPATH": ROOT}
    processes = [subprocess.Popen([sys.executable, str(script), app.instance_path, app.config["SQLALCHEMY_DATABASE_URI"],
                                   backend_name, name, str(count)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    outputs = [process.communicate(timeout=900) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "LockError" not in err and "Traceback" not in err, err
    with app.app_context():
        apply_outbox()  # what one writer left while the other held the lock (the worker's job does this)
        assert pending() == 0
        reader = db.session.get(User, manager)
        for name in ("a", "b"):
            for i in range(count):
                for word in (f"token{name}x{i}", f"reply{name}x{i}"):
                    hits = search(reader, word).hits
                    assert [hit.object.title for hit in hits] == [f"写入{name}号{i}"], word


def test_readers_never_wait_for_the_writer(search_app, backend_name):
    manager = create_user(search_app, "boss@example.cn", "manager")
    with search_app.app_context():
        create_ticket(type_key="inquiry", title="燃气泄漏", body="闻到煤气味")
        db.session.commit()
        backend = search_app.extensions["kefu_search"].backend
        with backend.writer_lock() as mine:  # another writer is busy
            assert mine
            with search_app.app_context():
                assert [hit.object.title for hit in search(db.session.get(User, manager), "煤气").hits] == ["燃气泄漏"]
                assert apply_outbox() is None  # and a second writer steps aside instead of waiting
        db.session.rollback()


def test_a_missing_index_is_rebuilt_in_the_background(search_app, backend_name):
    from core.search.backends import IndexUnavailable

    manager = create_user(search_app, "boss@example.cn", "manager")
    index = search_app.extensions["kefu_search"]
    with search_app.app_context():
        create_ticket(type_key="inquiry", title="燃气泄漏", body="闻到煤气味")
        db.session.commit()
        _lose_the_index(index.backend)
        try:
            search(db.session.get(User, manager), "煤气")
        except IndexUnavailable:
            pass
        else:
            raise AssertionError("a search answered without an index")
    assert index.check() is not None
    index.rebuild_thread.join(timeout=300)
    with search_app.app_context():
        assert [hit.object.title for hit in search(db.session.get(User, manager), "煤气").hits] == ["燃气泄漏"]
    assert index.check() is None


def _lose_the_index(backend):
    if backend.name == "whoosh":
        folder = backend.live_folder()
        for name in os.listdir(folder):  # a broken index: its files emptied
            with open(os.path.join(folder, name), "w"):
                pass
    else:
        from core.models import SearchState

        db.session.execute(SearchState.__table__.delete())
        db.session.commit()


def test_after_commit_a_background_thread_applies_the_change(search_app_factory):
    app = search_app_factory(SEARCH_APPLY="background")
    manager = create_user(app, "boss@example.cn", "manager")
    with app.app_context():
        create_ticket(type_key="inquiry", title="后台写入", body="异步索引")
        db.session.commit()
    for _ in range(1200):  # waits for the thread, not for a time: ends as soon as the row is applied
        with app.app_context():
            if not pending():
                break
        time.sleep(0.05)
    with app.app_context():
        assert pending() == 0
        assert [hit.object.title for hit in search(db.session.get(User, manager), "异步索引").hits] == ["后台写入"]
