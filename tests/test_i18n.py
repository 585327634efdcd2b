"""Languages: the Chinese catalogue is complete, templates hold no untranslated words, pages follow the
reader's language (site default, session choice, the account's saved choice), and a bad default is refused.
"""
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from glob import glob

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import render_template_string, session

from core import create_app
from core.config import ConfigError
from core.extensions import db
from core.i18n import Label
from core.models import User
from tests.conftest import BASE_CONFIG
from tests.helpers import create_user, login, post_form

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The same keywords as `make extract-messages`: Babel's defaults plus the lazy forms.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@dataclass(frozen=True)
class Catalogue:
    """One Chinese catalogue and the source it translates: the core's (core/ and themes/), or a plugin's."""

    name: str
    root: str  # where extraction starts
    scope: tuple  # top folders under root that belong to this catalogue (empty: all of root)
    mapping: str  # the babel.cfg used by `make extract-messages`

    @property
    def po(self):
        base = os.path.join(ROOT, "core") if self.name == "core" else self.root
        return os.path.join(base, "translations", "zh", "LC_MESSAGES", "messages.po")


CATALOGUES = [Catalogue("core", ROOT, ("core", "themes"), os.path.join(ROOT, "babel.cfg"))] + [
    Catalogue(os.path.basename(os.path.dirname(init)), os.path.dirname(init), (),
              os.path.join(ROOT, "plugins", "babel.cfg"))
    for init in sorted(glob(os.path.join(ROOT, "plugins", "*", "__init__.py")))
]


def read_catalogue(path):
    with open(path, "rb") as handle:
        return read_po(handle, locale="zh")


def extracted_msgids(catalogue=CATALOGUES[0]):
    """What Babel extracts for one catalogue with the mapping `make extract-messages` uses: {msgid: first place}."""
    with open(catalogue.mapping, encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, catalogue.mapping)

    def in_scope(path):
        return not catalogue.scope or os.path.relpath(path, catalogue.root).split(os.sep)[0] in catalogue.scope

    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        catalogue.root, method_map, options_map, keywords=KEYWORDS, directory_filter=in_scope
    ):
        msgid = message[0] if isinstance(message, tuple) else message  # a plural is keyed by its singular
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def key(entry_id):
    return entry_id[0] if isinstance(entry_id, (tuple, list)) else entry_id


def forms(entry_string):
    """Every translated form of an entry: one string, or one per plural form."""
    return list(entry_string) if isinstance(entry_string, (tuple, list)) else [entry_string]


# Catalogues --------------------------------------------------------------------------------------------

each_catalogue = pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda catalogue: catalogue.name)


def test_the_core_extractor_finds_the_core_strings():
    assert len(extracted_msgids()) > 50, "the extractor found almost nothing: is babel.cfg still right?"


@each_catalogue
def test_every_source_string_has_a_chinese_translation(catalogue):
    extracted = extracted_msgids(catalogue)
    if not extracted:
        return  # a plugin without strings of its own needs no catalogue
    assert os.path.exists(catalogue.po), f"{catalogue.po} is missing: run `make extract-messages`"
    entries = read_catalogue(catalogue.po)
    assert not entries.fuzzy
    problems = []
    for msgid, where in sorted(extracted.items()):
        entry = entries.get(msgid)
        if entry is None:
            problems.append(f"{where}: {msgid!r} is not in the zh catalogue (run `make extract-messages`)")
        elif entry.fuzzy:
            problems.append(f"{where}: {msgid!r} is fuzzy")
        elif not all(text and text.strip() for text in forms(entry.string)):
            problems.append(f"{where}: {msgid!r} has no Chinese translation")
    assert not problems, "\n".join(problems)


def existing_catalogues():
    return [catalogue for catalogue in CATALOGUES if os.path.exists(catalogue.po)]


@pytest.mark.parametrize("catalogue", existing_catalogues(), ids=lambda catalogue: catalogue.name)
def test_catalogue_holds_only_strings_the_code_uses(catalogue):
    extracted = extracted_msgids(catalogue)
    stale = sorted(key(entry.id) for entry in read_catalogue(catalogue.po)
                   if entry.id and key(entry.id) not in extracted)
    assert not stale, f"no longer in the code (run `make extract-messages`): {stale}"


@pytest.mark.parametrize("catalogue", existing_catalogues(), ids=lambda catalogue: catalogue.name)
def test_translations_keep_the_placeholders(catalogue):
    mismatched = [
        (entry.id, text)
        for entry in read_catalogue(catalogue.po)
        if entry.id
        for text in forms(entry.string)
        if Counter(PLACEHOLDER.findall(key(entry.id))) != Counter(PLACEHOLDER.findall(text))
    ]
    assert not mismatched


def test_no_two_catalogues_translate_one_string_differently():
    """The site merges the core's and every enabled plugin's catalogue into one: a string two of them translate
    differently would show one plugin's word on another's pages (or the core's). A plugin whose meaning differs
    says so in its English (“Home owner”, not “Owner”)."""
    translations = {}
    for catalogue in existing_catalogues():
        for entry in read_catalogue(catalogue.po):
            if entry.id and forms(entry.string)[0]:
                translations.setdefault(key(entry.id), {})[catalogue.name] = forms(entry.string)
    clashes = {msgid: by for msgid, by in translations.items() if len({tuple(f) for f in by.values()}) > 1}
    assert not clashes


@pytest.mark.parametrize("catalogue", existing_catalogues(), ids=lambda catalogue: catalogue.name)
def test_compiled_catalogue_matches_the_po_file(catalogue):
    mo = catalogue.po[: -len(".po")] + ".mo"
    assert os.path.exists(mo), f"{os.path.relpath(mo, ROOT)} is missing: run `make translations`"
    with open(mo, "rb") as handle:
        compiled = {key(entry.id): forms(entry.string) for entry in read_mo(handle) if entry.id}
    source = {key(entry.id): forms(entry.string) for entry in read_catalogue(catalogue.po) if entry.id}
    assert compiled == source, "messages.mo differs from messages.po: run `make translations`"


# Template lint -----------------------------------------------------------------------------------------

TEMPLATES = sorted(
    glob(os.path.join(ROOT, "core", "templates", "**", "*.html"), recursive=True)
    + glob(os.path.join(ROOT, "themes", "*", "templates", "**", "*.html"), recursive=True)
    + glob(os.path.join(ROOT, "plugins", "*", "templates", "**", "*.html"), recursive=True)
)
# Words that stay as they are in every language.
ALLOWED_WORDS = {
    "English",  # the language switcher names each language in that language
    "简体中文",
    "客",  # the logo's glyph (brand-mark), not a label
}
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
HTML_TAG = re.compile(r"<[^>]*>")
# Attributes whose values people read; other attribute values (classes, names, codes) are not text.
TEXT_ATTRIBUTE = re.compile(r"""\b(?:title|alt|placeholder|aria-label|label)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
WORD = re.compile(r"[A-Za-z]{2,}|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@pytest.fixture(scope="module")
def jinja_env(tmp_path_factory):
    # With PLUGINS given, building the app does not touch the database.
    app = create_app({**BASE_CONFIG, "INSTANCE_PATH": str(tmp_path_factory.mktemp("lint-instance"))})
    return app.jinja_env


def tokens(env, source):
    return [(kind, value) for _line, kind, value in env.lex(source) if kind != "whitespace"]


def attribute_blocks(env, sources):
    """Blocks a template opens inside an HTML tag: what a child template puts there is an attribute value."""
    names = set()
    for source in sources:
        markup = ""
        stream = tokens(env, source)
        for (kind, value), (_kind, following) in zip(stream, stream[1:], strict=False):
            if kind == "data":
                markup += value
            elif kind == "name" and value == "block" and markup.rfind("<") > markup.rfind(">"):
                names.add(following)
    return names


def template_text(env, source, skipped_blocks=frozenset()):
    """The text of a template that a reader sees and no Jinja expression produces."""
    parts, skipping = [], False
    stream = tokens(env, source)
    for (kind, value), (_kind, following) in zip(stream, stream[1:] + [("eof", "")], strict=True):
        if kind == "data" and not skipping:
            parts.append(value)
        elif kind != "data":
            parts.append("\0")
            if kind == "name" and value == "block":
                skipping = following in skipped_blocks
            elif kind == "name" and value == "endblock":
                skipping = False
    markup = HTML_COMMENT.sub(" ", "".join(parts))
    visible = []

    def strip_tag(match):
        visible.extend(a or b for a, b in TEXT_ATTRIBUTE.findall(match.group(0)))
        return " "

    visible.append(HTML_TAG.sub(strip_tag, markup))
    return ENTITY.sub(" ", " ".join(visible))


@pytest.fixture(scope="module")
def skipped_blocks(jinja_env):
    sources = []
    for path in TEMPLATES:
        with open(path, encoding="utf-8") as handle:
            sources.append(handle.read())
    return attribute_blocks(jinja_env, sources)


def test_there_are_templates_to_lint():
    assert any(path.endswith(os.path.join("auth", "login.html")) for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: os.path.relpath(path, ROOT))
def test_template_text_goes_through_gettext(jinja_env, skipped_blocks, path):
    with open(path, encoding="utf-8") as handle:
        text = template_text(jinja_env, handle.read(), skipped_blocks)
    words = [word for word in WORD.findall(text) if word not in ALLOWED_WORDS]
    assert not words, f"wrap these in {{{{ _(...) }}}}: {words}"


def test_lint_finds_words_outside_gettext(jinja_env):
    source = ('<p title="Hint">{{ _("Fine") }} Hello <b class="x">工单</b>{# note #}<!-- note --> &amp; #</p>'
              '<button value="en">English</button>')
    assert WORD.findall(template_text(jinja_env, source)) == ["Hint", "Hello", "工单", "English"]


def test_lint_reads_blocks_filling_an_attribute_as_attribute_values(jinja_env):
    parent = '<body class="x {% block body_class %}{% endblock %}"><h1>{% block title %}{% endblock %}</h1>'
    child = '{% extends "parent" %}{% block body_class %}narrow{% endblock %}{% block title %}Welcome{% endblock %}'
    skipped = attribute_blocks(jinja_env, [parent, child])
    assert skipped == {"body_class"}
    assert WORD.findall(template_text(jinja_env, child, skipped)) == ["Welcome"]


# Pages -------------------------------------------------------------------------------------------------


def page(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_login_page_is_chinese_by_default(client):
    text = page(client.get("/login"))
    assert '<html lang="zh-CN">' in text
    assert "<title>登录 · 客服系统</title>" in text
    assert "Sign in" not in text


def test_login_page_is_english_when_the_site_default_is_english(make_app):
    text = page(make_app(DEFAULT_LOCALE="en").test_client().get("/login"))
    assert '<html lang="en">' in text
    assert "<title>Sign in · Kefu helpdesk</title>" in text
    assert "登录" not in text


def test_visitor_switches_language_for_the_session(client):
    response = post_form(client, "/language", {"language": "en", "next": "/login"}, form_url="/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    text = page(client.get("/login"))
    assert '<html lang="en">' in text and "Sign in" in text

    post_form(client, "/language", {"language": "zh", "next": "/login"}, form_url="/login")
    assert "登录" in page(client.get("/login"))


def test_language_switch_needs_the_csrf_token(client):
    assert client.post("/language", data={"language": "en", "next": "/login"}).status_code == 400
    assert '<html lang="zh-CN">' in page(client.get("/login"))


@pytest.mark.parametrize(("saved", "in_session", "expected"), [("en", "zh", "My profile"), ("zh", "en", "个人资料")])
def test_signed_in_users_saved_language_wins_over_the_session(app, client, saved, in_session, expected):
    create_user(app, "agent@example.com", "agent", locale=saved)
    login(client, "agent@example.com")
    with client.session_transaction() as browser_session:
        browser_session["locale"] = in_session
    assert f"<h1>{expected}</h1>" in page(client.get("/profile"))


def test_signed_in_users_choice_is_saved_on_the_account(app, client):
    user_id = create_user(app, "agent@example.com", "agent")
    login(client, "agent@example.com")
    text = page(client.get("/profile"))
    assert "<h1>个人资料</h1>" in text and "客服专员" in text  # the role's Label, in Chinese

    post_form(client, "/language", {"language": "en", "next": "/profile"}, form_url="/profile")
    with app.app_context():
        assert db.session.get(User, user_id).locale == "en"

    other_browser = app.test_client()
    login(other_browser, "agent@example.com")
    text = page(other_browser.get("/profile"))
    assert "<h1>My profile</h1>" in text and "Agent" in text


def test_language_chosen_before_signing_in_is_kept(app, client):
    create_user(app, "agent@example.com", "agent")
    post_form(client, "/language", {"language": "en", "next": "/login"}, form_url="/login")
    login(client, "agent@example.com")
    assert "<h1>My profile</h1>" in page(client.get("/profile"))


def test_admin_panel_follows_the_language(app, client):
    create_user(app, "admin@example.com", "admin")
    login(client, "admin@example.com")
    text = page(client.get("/admin/"))
    for label in ("客服管理后台", "概览", "账号", "小组", "工单类型", "操作日志", "插件", "员工账号"):
        assert label in text, label
    text = page(client.get("/admin/admin_teams/"))
    # Flask-Admin's own catalogue (zh_Hans_CN) for its buttons, ours for the columns.
    for label in (">列表</a>", ">创建</a>", ">搜索</button>", "主管", "成员"):
        assert label in text, label

    post_form(client, "/language", {"language": "en", "next": "/admin/admin_teams/"}, form_url="/admin/")
    text = page(client.get("/admin/admin_teams/"))
    for label in (">List</a>", ">Create</a>", ">Search</button>", "Supervisor", "Members", "Audit log", "Plugins"):
        assert label in text, label
    assert "操作日志" not in text and "列表" not in text


def test_admin_role_names_follow_the_language(app, client):
    create_user(app, "admin@example.com", "admin")
    login(client, "admin@example.com")
    assert "质检" in page(client.get("/admin/admin_roles/"))
    post_form(client, "/language", {"language": "en", "next": "/admin/"}, form_url="/admin/")
    assert "Quality inspector" in page(client.get("/admin/admin_roles/"))


def render_in(app, language, source, **context):
    with app.test_request_context():
        session["locale"] = language
        return render_template_string(source, **context)


def test_label_shows_the_readers_language(app):
    label = Label(zh="回访", en="Follow-up")
    assert render_in(app, "zh", "{{ label }}", label=label) == "回访"
    assert render_in(app, "en", "{{ label }}", label=label) == "Follow-up"
    assert render_in(app, "en", "{{ label }}", label=Label(zh="<紧急>", en="<Urgent>")) == "&lt;Urgent&gt;"
    with app.app_context():  # no request: the site's default
        assert str(label) == "回访"


def test_dates_are_formatted_for_the_language_in_china_time(app):
    late_evening_utc = datetime(2024, 2, 9, 16, 5, tzinfo=timezone.utc)  # already 10 February in Beijing
    source = '{{ when|datetimeformat("short") }} | {{ day|dateformat("long") }}'
    context = {"when": late_evening_utc, "day": date(2024, 2, 10)}
    assert render_in(app, "zh", source, **context) == "2024/2/10 00:05 | 2024年2月10日"
    english = render_in(app, "en", source, **context).replace("\u202f", " ")
    assert english == "2/10/24, 12:05 AM | February 10, 2024"


# Configuration -----------------------------------------------------------------------------------------


def test_unknown_default_locale_is_refused(instance_path):
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE 'fr'"):
        create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance_path), "DEFAULT_LOCALE": "fr"})


def test_unknown_default_locale_from_the_environment_is_refused(instance_path, monkeypatch):
    monkeypatch.setenv("KEFU_DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE 'fr'"):
        create_app({**BASE_CONFIG, "INSTANCE_PATH": str(instance_path)})
