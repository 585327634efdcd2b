"""The search box's language, parsed into words, phrases and field filters (no database here).

    漏水 楼上                     both words, anywhere (Chinese words match inside longer text too)
    "账单金额"  “包裹 破损”        a phrase: these words in this order, punctuation and case aside
    status:open  状态：处理中      a filter: field name (English or Chinese), a colon (":" or "："), a value
    tag:漏水,投诉                 several values of one filter: any of them
    customer:"王 先生"            a value with spaces goes in quotes
    created:2026-03  updated:>=2026-03-01  created:2026-01-01..2026-01-31   date ranges

Which values a filter accepts is checked later (core.search.plan), against the site's states, people and
plugins. Anything wrong is a QueryError with a message for the user.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from core.search.fields import CORE_FIELDS

MAX_LENGTH = 500
MAX_ITEMS = 30
OPENING_QUOTES = {'"': '"', "“": "”", "「": "」"}
_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]{1,8})[:：]")
_SPACE = re.compile(r"\s+")


class QueryError(ValueError):
    """A query that cannot be searched; `message` says why, for the user; `code` for the API."""

    def __init__(self, code, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Text:
    text: str
    phrase: bool  # quoted: the words in this order


@dataclass(frozen=True)
class Filter:
    field: str  # a core filter name or a plugin search field key
    values: tuple  # any of them
    raw: str  # as typed, for messages


@dataclass(frozen=True)
class ParsedQuery:
    texts: tuple
    filters: tuple

    @property
    def empty(self):
        return not self.texts and not self.filters


def field_names(plugin_fields):
    """{name a user may type (lowercase): canonical field} for the core's filters and the plugins' fields."""
    names = {}
    for key, zh in CORE_FIELDS.items():
        names[key] = names[zh] = key
    for spec in plugin_fields:
        names[spec.key] = spec.key
        for label in (spec.label.zh, spec.label.en):
            names.setdefault(label.casefold(), spec.key)
    return names


def _closing(text, start):
    """The index of the quote closing the one at `start`."""
    end = text.find(OPENING_QUOTES[text[start]], start + 1)
    if end < 0:
        raise QueryError("unbalanced_quote", _("A quotation mark is not closed: %(text)s", text=text[start:start + 20]))
    return end


def _value(text, i):
    """(value, next index) of a filter value starting at `i`: quoted, or up to the next space."""
    if i < len(text) and text[i] in OPENING_QUOTES:
        end = _closing(text, i)
        return text[i + 1:end].strip(), end + 1
    match = _SPACE.search(text, i)
    end = match.start() if match else len(text)
    value = text[i:end]
    for quote in OPENING_QUOTES:
        if quote in value or OPENING_QUOTES[quote] in value:
            raise QueryError("unbalanced_quote", _("A quotation mark is not closed: %(text)s", text=value[:20]))
    return value, end


def parse(text, plugin_fields=()):
    """A ParsedQuery of `text`; raises QueryError. Empty text is an empty query (the caller decides)."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise QueryError("too_long", _("The search is too long: at most %(n)d characters.", n=MAX_LENGTH))
    names = field_names(plugin_fields)
    texts, filters = [], []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        if text[i] in OPENING_QUOTES:
            end = _closing(text, i)
            phrase = text[i + 1:end].strip()
            if phrase:
                texts.append(Text(phrase, True))
            i = end + 1
            continue
        match = _FIELD.match(text, i)
        name = match and names.get(match.group(1).casefold())
        if match and (name or match.group(1).isascii()):
            if not name:
                word, _end = _value(text, i)
                raise QueryError("unknown_field", _(
                    "Unknown filter %(field)s: (filters: %(fields)s). To search for the text itself, put it in "
                    "quotes: \"%(text)s\"", field=match.group(1), fields=", ".join(sorted(set(names.values()))),
                    text=word))
            value, i = _value(text, match.end())
            values = tuple(v.strip() for v in re.split(r"[,，]", value) if v.strip())
            if not values:
                raise QueryError("empty_value", _("%(field)s: needs a value, such as %(field)s:%(example)s",
                                                  field=match.group(1), example=_example(name)))
            filters.append(Filter(name, values, text[match.start():i]))
            continue
        word, i = _value(text, i)
        texts.append(Text(word, False))
    if len(texts) + len(filters) > MAX_ITEMS:
        raise QueryError("too_many", _("The search has too many words and filters: at most %(n)d.", n=MAX_ITEMS))
    return ParsedQuery(tuple(texts), tuple(filters))


def _example(field):
    return {"status": "open", "type": "complaint", "priority": "urgent", "channel": "phone", "assignee": "me",
            "team": "1", "customer": "13800001234", "tag": "VIP", "created": "2026-03",
            "updated": ">=2026-03-01"}.get(field, "…")
