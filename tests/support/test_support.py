"""Tests of the real-service helpers themselves."""

from __future__ import annotations

import os
import smtplib
import struct
import subprocess
import time
from email.message import EmailMessage

import pytest
import sqlalchemy as sa

from .browser import LiveServer
from .postgres import PostgresServer
from .smtp import SmtpSink


@pytest.fixture(scope="module")
def pg():
    with PostgresServer() as server:
        yield server


def test_postgres_clone_from_template(pg):
    pg.drop_database("support_tmpl")
    pg.create_database("support_tmpl")
    with pg.connect("support_tmpl", autocommit=True) as conn:
        conn.execute("CREATE TABLE ticket (id serial PRIMARY KEY, subject text NOT NULL)")
        conn.execute("INSERT INTO ticket (subject) VALUES (%s), (%s)", ["打印机坏了", "VPN"])

    try:
        t0 = time.monotonic()
        pg.create_database("support_clone", template="support_tmpl")
        clone_seconds = time.monotonic() - t0
        print(f"postgres start {pg.start_seconds}s, clone {clone_seconds:.3f}s")

        # The clone has the template's data, through SQLAlchemy + psycopg 3.
        engine = sa.create_engine(pg.url("support_clone"))
        try:
            with engine.begin() as conn:
                rows = conn.execute(sa.text("SELECT subject FROM ticket ORDER BY id")).all()
                assert [r.subject for r in rows] == ["打印机坏了", "VPN"]
                conn.execute(sa.text("DELETE FROM ticket"))
        finally:
            engine.dispose()

        # Changing the clone leaves the template alone.
        with pg.connect("support_tmpl") as conn:
            assert conn.execute("SELECT count(*) FROM ticket").fetchone()[0] == 2
    finally:
        pg.drop_database("support_clone")
        pg.drop_database("support_tmpl")

    with pg.connect() as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert not names & {"support_clone", "support_tmpl"}


def test_postgres_url_is_sqlalchemy_psycopg(pg):
    assert pg.url("x").startswith("postgresql+psycopg://")
    assert pg.url("kefu_db").endswith("/kefu_db")
    engine = sa.create_engine(pg.url())
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW server_encoding")).scalar() == "UTF8"
            if not pg.external:
                assert conn.execute(sa.text("SHOW fsync")).scalar() == "off"
    finally:
        engine.dispose()


def test_postgres_stop_removes_directory():
    if PostgresServer().external:
        pytest.skip("KEFU_TEST_POSTGRES_URL is set")
    server = PostgresServer().start()
    tmpdir = server.tmpdir
    server.stop()
    assert not os.path.exists(tmpdir)


def test_smtp_sink_receives_utf8_mail():
    msg = EmailMessage()
    msg["From"] = "客服 <support@kefu.example>"
    msg["To"] = "user@example.com"
    msg["Subject"] = "您的工单 #42 已更新"
    msg.set_content("您好，\n\n工单已处理。\n")

    with SmtpSink() as sink:
        with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
            smtp.send_message(msg)
        [got] = sink.wait_for(1, timeout=5)

    assert got.mail_from == "support@kefu.example"
    assert got.rcpt_tos == ["user@example.com"]
    assert got.subject == "您的工单 #42 已更新"
    assert got.message["To"] == "user@example.com"
    assert got.message["From"].addresses[0].display_name == "客服"
    assert got.text == "您好，\n\n工单已处理。\n"
    # Non-ASCII header went over the wire RFC 2047-encoded.
    assert b"=?utf-8?" in got.raw.lower()


def test_smtp_sink_wait_for_times_out():
    with SmtpSink() as sink:
        with pytest.raises(TimeoutError):
            sink.wait_for(1, timeout=0.2)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.browser
def test_chromium_renders_chinese_page(tmp_path, browser):
    def app(environ, start_response):
        body = (
            "<!doctype html><html lang='zh-CN'><meta charset='utf-8'>"
            "<title>客服中心</title><body><h1 id='t'>欢迎使用客服系统</h1>"
            "<p>Path: " + environ["PATH_INFO"] + "</p></body></html>"
        ).encode()
        start_response(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]

    shot = tmp_path / "page.png"
    with LiveServer(app) as server:
        assert server.url.startswith("http://127.0.0.1:")
        page = browser.new_page(viewport={"width": 800, "height": 600})
        try:
            page.goto(server.url + "/hello")
            assert page.title() == "客服中心"
            assert page.text_content("#t") == "欢迎使用客服系统"
            assert "Path: /hello" in page.inner_text("body")
            page.screenshot(path=str(shot))
        finally:
            page.close()

    data = shot.read_bytes()
    assert _png_size(data) == (800, 600)
    assert len(data) > 6000  # a blank 800x600 page is ~2.7 kB, this one ~12 kB


def test_cjk_font_installed():
    # Without one, Chinese renders as boxes in screenshots.
    out = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip(), "no CJK font: run `bash scripts/install-system-deps.sh`"
