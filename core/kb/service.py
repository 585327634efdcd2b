"""The knowledge base's rules: every change of an article is a new numbered version, a save based on an older
copy is refused (nothing is overwritten), bodies are sanitized before they are stored, and search and
suggestions (for staff and for customers) go through one place.

Functions work in the caller's transaction; the caller commits.
"""
from typing import NamedTuple

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.orm import load_only
from sqlalchemy.orm.exc import StaleDataError

from core.extensions import db
from core.models import KbArticle, KbArticleVersion, KbCategory, utcnow
from core.sanitize import clean_html, to_text
from core.search.analysis import tokenize

TITLE_MAX = 200
CATEGORY_NAME_MAX = 80
SUGGESTIONS = 5
LIST_LIMIT = 300  # a list page shows at most this many articles; a search narrows it
# Words around the ones that matter in what a customer types ("我想问一下燃气表不走字怎么办"): they match
# nearly every article. Question words are also skipped inside longer words (怎么办, 为什么).
QUESTION_WORDS = ("怎么", "怎样", "如何", "什么", "为何", "请问", "能否", "是否", "哪里", "多久")
FILLER_WORDS = frozenset({"可以", "一下", "我想", "我要", "我家", "家里", "我们", "你们", "你好", "您好", "谢谢",
                          "没有", "这个", "那个", "现在", "已经", "还是", "很多", "时候"})
SUGGEST_TERMS = 12


class KbInputError(ValueError):
    """Input that cannot be saved; `errors` maps a field name to a message key (see views)."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


class StaleArticle(Exception):
    """The article changed since the editor loaded it; nothing was saved."""


def _clean_title(title, errors):
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = "required"
    elif len(title) > TITLE_MAX:
        errors["title"] = "too_long"
    return title


def _clean_body(body, errors):
    # A browser sends a textarea's line breaks as CRLF: the same text must not look like a change.
    body = clean_html((body or "").replace("\r\n", "\n"))
    if not to_text(body):
        errors["body"] = "empty"  # also what is left of a body that was nothing but script
    return body


def _snapshot(article, actor, now):
    row = KbArticleVersion(article=article, version=article.version, title=article.title, body=article.body,
                           public=article.public, author=actor, created_at=now)
    db.session.add(row)
    return row


def create_article(*, title, body, actor, category=None, public=False, now=None):
    errors = {}
    title, body = _clean_title(title, errors), _clean_body(body, errors)
    if errors:
        raise KbInputError(errors)
    now = now or utcnow()
    article = KbArticle(title=title, body=body, category=category, public=bool(public), author=actor,
                        created_at=now, updated_at=now)
    db.session.add(article)
    db.session.flush()  # the version counter starts at 1 on insert
    _snapshot(article, actor, now)
    db.session.flush()
    return article


def update_article(article, *, actor, expected_version, now=None, **changes):
    """Apply `changes` (title, body, category, public) as a new version; None when nothing changed.

    Raises StaleArticle when `expected_version` is not the stored one, also when another request saved
    between this one's read and write (the UPDATE matches no row then)."""
    if int(expected_version) != article.version:
        raise StaleArticle()
    errors, wanted = {}, {}
    if "title" in changes:
        wanted["title"] = _clean_title(changes["title"], errors)
    if "body" in changes:
        wanted["body"] = _clean_body(changes["body"], errors)
    if "public" in changes:
        wanted["public"] = bool(changes["public"])
    if errors:
        raise KbInputError(errors)
    changed = {key: value for key, value in wanted.items() if getattr(article, key) != value}
    if "category" in changes and changes["category"] is not article.category:
        changed["category"] = changes["category"]
    if not changed:
        return None
    for key, value in changed.items():
        setattr(article, key, value)
    article.updated_at = now or utcnow()
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise StaleArticle() from exc
    return _snapshot(article, actor, article.updated_at)


def restore_version(article, number, *, actor, expected_version, now=None):
    """Copy an old version's title and text into a new version. Visibility stays as it is: publishing or
    withdrawing an article is a decision of its own, not a side effect of a restore."""
    old = get_version(article, number)
    if old is None:
        raise LookupError(number)
    return update_article(article, actor=actor, expected_version=expected_version, now=now,
                          title=old.title, body=old.body)


def get_version(article, number):
    return db.session.scalar(select(KbArticleVersion).where(KbArticleVersion.article_id == article.id,
                                                            KbArticleVersion.version == number))


def get_article(article_id, *, public_only):
    """The article, or None when it does not exist or (for customers) is internal."""
    article = db.session.get(KbArticle, article_id)
    if article is None or (public_only and not article.public):
        return None
    return article


# Categories ---------------------------------------------------------------------------------------------


def categories():
    return db.session.scalars(select(KbCategory).order_by(KbCategory.position, KbCategory.name)).all()


def _clean_category(name, position, category=None):
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = "required"
    elif len(name) > CATEGORY_NAME_MAX:
        errors["name"] = "too_long"
    else:
        same = db.session.scalar(select(KbCategory).where(func.lower(KbCategory.name) == name.lower()))
        if same is not None and same is not category:
            errors["name"] = "taken"
    if errors:
        raise KbInputError(errors)
    return name, int(position if position is not None else 100)


def create_category(name, position=None):
    name, position = _clean_category(name, position)
    category = KbCategory(name=name, position=position)
    db.session.add(category)
    db.session.flush()
    return category


def update_category(category, name, position=None):
    category.name, category.position = _clean_category(name, position, category)
    db.session.flush()
    return category


def delete_category(category):
    """The category goes; its articles stay, without a category (the foreign key sets it to NULL)."""
    db.session.delete(category)
    db.session.flush()


# Search -------------------------------------------------------------------------------------------------

LIST_COLUMNS = load_only(KbArticle.id, KbArticle.title, KbArticle.public, KbArticle.version,
                         KbArticle.category_id, KbArticle.updated_at)


def search_articles(query, *, public_only, category_id=None, limit=None):
    """Articles holding every whitespace-separated word of `query` in their title or text, newest first;
    case-insensitive substrings, so any Chinese string a reader can see is found."""
    statement = select(KbArticle).options(LIST_COLUMNS)
    if public_only:
        statement = statement.where(KbArticle.public.is_(True))
    if category_id is not None:
        statement = statement.where(KbArticle.category_id == category_id)
    for word in (query or "").split():
        statement = statement.where(or_(KbArticle.title.icontains(word, autoescape=True),
                                        KbArticle.body.icontains(word, autoescape=True)))
    statement = statement.order_by(KbArticle.updated_at.desc(), KbArticle.id.desc())
    return db.session.scalars(statement.limit(limit) if limit else statement).all()


class Listing(NamedTuple):
    categories: list  # every category, for a filter
    groups: list  # (category or None, its articles) in the categories' order; no category comes last
    count: int
    truncated: bool  # more than LIST_LIMIT matched


def list_articles(query, *, public_only, category_id=None):
    """What a list page shows: the matching articles (at most LIST_LIMIT) grouped by category."""
    rows = categories()
    articles = search_articles(query, public_only=public_only, category_id=category_id, limit=LIST_LIMIT + 1)
    shown = articles[:LIST_LIMIT]
    by_category = {}
    for article in shown:
        by_category.setdefault(article.category_id, []).append(article)
    groups = [(category, by_category[category.id]) for category in rows if category.id in by_category]
    if None in by_category:
        groups.append((None, by_category[None]))
    return Listing(rows, groups, len(shown), len(articles) > LIST_LIMIT)


def _worth_looking_up(term):
    # Short Latin words (do, an, id) are parts of too many others to mean anything in a LIKE.
    return (len(term) >= (3 if term.isascii() else 2) and term not in FILLER_WORDS
            and not any(q in term for q in QUESTION_WORDS))


def suggestion_terms(text):
    """The words of free text (a ticket title being typed) worth looking up: jieba's words of two or more
    characters, then the two-character words inside the longer Chinese ones (开发票 holds 发票, which jieba
    does not cut out); at most SUGGEST_TERMS."""
    words = [token.text for token in tokenize(text or "") if _worth_looking_up(token.text)]
    inner = [word[i:i + 2] for word in words if len(word) > 2 and not word.isascii() for i in range(len(word) - 1)]
    terms = []
    for term in words + inner:
        if term not in terms and _worth_looking_up(term):
            terms.append(term)
    return terms[:SUGGEST_TERMS]


def suggest_articles(text, *, public_only, limit=SUGGESTIONS):
    """The articles that best answer free text, for deflection in the portal and for the reply box: each
    word found in the title counts two, in the text one; best score first, then the newest."""
    terms = suggestion_terms(text)
    if not terms:
        return []
    score = literal(0)
    for term in terms:
        score = (score + case((KbArticle.title.icontains(term, autoescape=True), 2), else_=0)
                 + case((KbArticle.body.icontains(term, autoescape=True), 1), else_=0))
    statement = select(KbArticle).options(load_only(KbArticle.id, KbArticle.title, KbArticle.body,
                                                    KbArticle.public)).where(score > 0)
    if public_only:
        statement = statement.where(KbArticle.public.is_(True))
    statement = statement.order_by(score.desc(), KbArticle.updated_at.desc(), KbArticle.id.desc()).limit(limit)
    return db.session.scalars(statement).all()


def excerpt(article, length=80):
    text = " ".join(to_text(article.body).split())
    return text if len(text) <= length else text[:length] + "…"
