"""Text analysis for search: Chinese (jieba) plus Latin words, for every search backend.

:func:`tokenize` has three modes:

``plain``
    The text as words: Chinese runs cut by jieba, runs of other letters/digits kept whole and
    case-folded, punctuation and whitespace dropped, NFKC applied (full-width ASCII becomes ASCII).
    Positions are 0, 1, 2, ... in order; offsets point into the original text.
``index``
    The ``plain`` tokens plus, at the position of the token they start in, every overlapping
    character bigram of each Chinese run and every dictionary word of 3+ characters inside a longer
    token, and the last character of the run. jieba cuts a string differently depending on its
    neighbours (扩大客户 -> 扩大/客户, so 大客户 is not a token there), but every bigram of every
    string in the text is indexed, and every character either starts a bigram or ends a run, so a
    prefix search for one character finds all its occurrences. Phrases over the ``plain`` tokens still
    match, since the extras take no position of their own.
``query``
    The terms of :func:`query_terms`, flattened, at positions 0, 1, 2, ...

Searching a typed string ``s`` (a field analysed in ``index`` mode) with 100% recall, exactly:

1. AND every term of ``query_terms(s)``: this finds every document that contains ``s``, and the
   few that hold its bigrams apart;
2. keep the hits for which ``contains(stored_text, s)`` is true.

:class:`ChineseTokenizer` is the Whoosh analyzer: ``index`` mode when Whoosh indexes or highlights,
``query`` mode when Whoosh parses a query. Use ``TEXT(analyzer=ChineseAnalyzer(),
multitoken_query="and")`` so the bigrams of one word are ANDed, not taken as a phrase. Do not
hand quoted Chinese to Whoosh's phrase query: the bigrams of a string that jieba kept as one word
share a position, so ``"渗漏水"`` as a phrase finds nothing; search it as above instead. Whoosh
pickles the analyzer into the index by import path: after moving this module, rebuild the indexes.
"""

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from typing import Iterator, NamedTuple, Sequence

from whoosh.analysis import Token as WhooshToken
from whoosh.analysis import Tokenizer

__all__ = [
    "Token", "segmenter", "tokenize", "index_terms", "query_terms", "normalize", "needle", "contains",
    "ChineseTokenizer", "ChineseAnalyzer",
]

# CJK ideographs (basic, extension A, compatibility, extensions B-H) and 〇.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_HAN}]+)|[^\W_{_HAN}]+")
# Characters that NFKC leaves unchanged (ASCII, common CJK punctuation and quotes, ideographs).
_STABLE = re.compile(r"[\x00-\x7f\u2018-\u201d\u3001-\u3035\u4e00-\u9fff]*")


class Token(NamedTuple):
    text: str
    pos: int
    start: int  # offsets into the original text
    end: int


_lock = threading.Lock()
_jieba = None


def segmenter():
    """The process-wide ``jieba.Tokenizer``, loaded on first use (~0.6 s, ~66 MB), thread-safe.

    Call it when a worker starts to pay that cost before the first request.
    """
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                _jieba = tok
    return _jieba


def _normalized(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """NFKC of ``text``, and the original start and end offset of each of its characters."""
    if unicodedata.is_normalized("NFKC", text):
        return text, range(len(text)), range(1, len(text) + 1)
    out, starts, ends = [], [], []
    i, n = 0, len(text)
    while i < n:
        # Copy stable characters but the last: a combining mark after it may compose with it.
        j = _STABLE.match(text, i).end() - 1
        if j > i:
            out.append(text[i:j])
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
            i = j
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFKC", text[i:j])
        out.append(chunk)
        starts.extend([i] * len(chunk))
        ends.extend([j] * len(chunk))
        i = j
    return "".join(out), starts, ends


class _Run(NamedTuple):
    han: bool
    text: str  # NFKC; case-folded unless Chinese
    starts: Sequence[int]  # original offsets of each character of text
    ends: Sequence[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original offsets of text[i:j]."""
        return self.starts[i], self.ends[j - 1]


def _runs(text: str) -> Iterator[_Run]:
    norm, starts, ends = _normalized(text)
    for m in _RUN.finditer(norm):
        s, e = m.span()
        han = m.group(1) is not None
        yield _Run(han, m.group() if han else m.group().casefold(), starts[s:e], ends[s:e])


# Cuts of runs of Chinese, kept per process: a helpdesk's texts repeat many runs (greetings, canned
# replies, addresses), and jieba costs far more than the lookup. Bounded; each entry is a few tuples.
RUN_CACHE_SIZE = 200_000


@lru_cache(maxsize=RUN_CACHE_SIZE)
def _run_tokens(chars: str, extras: bool) -> tuple[tuple, int]:
    """A run's tokens as (text, word number, start, end) with indices into ``chars``, and its number of
    words (positions)."""
    seg = segmenter()
    out, at, number = [], 0, 0
    for number, word in enumerate(seg.cut(chars)):
        out.append((word, number, at, at + len(word)))
        if extras:
            more = {}
            for n in range(3, len(word)):
                for i in range(at, at + len(word) - n + 1):
                    if seg.FREQ.get(chars[i:i + n]):
                        more.setdefault(chars[i:i + n], (i, i + n))
            for i in range(at, min(at + len(word), len(chars) - 1)):
                more.setdefault(chars[i:i + 2], (i, i + 2))
            if at + len(word) == len(chars) > 1:
                more.setdefault(chars[-1], (len(chars) - 1, len(chars)))
            more.pop(word, None)
            out.extend((w, number, i, j) for w, (i, j) in sorted(more.items(), key=lambda item: item[1]))
        at += len(word)
    return tuple(out), number + 1


def _tokens(text: str, extras: bool) -> Iterator[Token]:
    """``plain`` tokens, each followed by its extras at the same position when ``extras``."""
    pos = 0
    for run in _runs(text):
        if not run.han:
            # Span the whole run: case folding may lengthen a word (ß -> ss).
            yield Token(run.text, pos, *run.span(0, len(run.starts)))
            pos += 1
            continue
        tokens, count = _run_tokens(run.text, extras)
        for word, number, i, j in tokens:
            yield Token(word, pos + number, *run.span(i, j))
        pos += count


@lru_cache(maxsize=RUN_CACHE_SIZE)
def _run_terms(chars: str) -> tuple[str, ...]:
    return tuple(token[0] for token in _run_tokens(chars, True)[0])


def index_terms(text: str) -> list[str]:
    """The texts of ``text``'s ``index`` tokens, in order: what a backend indexes. The same as
    ``[t.text for t in tokenize(text, "index")]``, without positions and offsets, several times faster."""
    terms = []
    for match in _RUN.finditer(unicodedata.normalize("NFKC", text)):
        if match.group(1) is None:
            terms.append(match.group().casefold())
        else:
            terms.extend(_run_terms(match.group()))
    return terms


def _query_segments(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """Per run of ``text``: its query terms with their original offsets."""
    for run in _runs(text):
        if not run.han:
            yield [(run.text, *run.span(0, len(run.starts)))]
        elif len(run.text) <= 2:
            yield [(run.text, *run.span(0, len(run.text)))]
        else:
            seen = {}
            for i in range(len(run.text) - 1):
                seen.setdefault(run.text[i:i + 2], run.span(i, i + 2))
            yield [(g, s, e) for g, (s, e) in seen.items()]


def _query_tokens(text: str) -> Iterator[Token]:
    pos = 0
    for segment in _query_segments(text):
        for term, start, end in segment:
            yield Token(term, pos, start, end)
            pos += 1


_MODES = {
    "plain": lambda text: _tokens(text, False),
    "index": lambda text: _tokens(text, True),
    "query": _query_tokens,
}


def tokenize(text: str, mode: str = "plain") -> list[Token]:
    """Tokens of ``text`` in ``mode`` ("plain", "index" or "query"; see the module docstring)."""
    try:
        return list(_MODES[mode](text))
    except KeyError:
        raise ValueError(f"unknown mode {mode!r}") from None


def query_terms(text: str) -> list[list[str]]:
    """Index terms that every document containing ``text`` holds, one list per segment of ``text``.

    Segments are the runs of Chinese characters and of other letters/digits, in order. AND all the
    terms to get candidates with 100% recall, then check them with :func:`contains`:

    - a Latin/digit word: ``[word]``, case-folded and NFKC, e.g. ``Ｒｏｕｔｅｒ`` -> ``["router"]``;
    - one or two Chinese characters: ``[run]``, e.g. ``漏水`` -> ``["漏水"]``;
    - three or more: its distinct overlapping bigrams, e.g. ``大客户`` -> ``["大客", "客户"]``.

    To rank whole-word matches first, add the ``plain`` tokens of ``text`` as optional terms: they
    are indexed wherever jieba found the same word, as a token or a sub-word of a longer one.

    A single Chinese character is a term only where jieba leaves it alone (了, or 水 in 水电) or where
    it ends a run of Chinese. To find all its occurrences, search the terms that start with it (a
    prefix search): every other occurrence starts a bigram.
    """
    return [[term for term, _, _ in segment] for segment in _query_segments(text)]


def normalize(*texts: str) -> str:
    """``texts`` as :func:`contains` compares them: runs of letters/digits (NFKC, Latin case-folded)
    between ``|``, and ``||`` between two texts, so that no match spans two of them. Store this
    beside a document to check a query with :func:`needle` as a plain substring test."""
    return "|" + "||".join("|".join(run.text for run in _runs(text)) for text in texts) + "|"


def needle(query: str) -> str | None:
    """The substring of :func:`normalize`'s output that a text holding ``query`` contains (None for a
    query of punctuation only). Latin words at the ends are fenced by ``|``: they match whole words."""
    runs = list(_runs(query))
    if not runs:
        return None
    text = "|".join(run.text for run in runs)
    if not runs[0].han:
        text = "|" + text
    if not runs[-1].han:
        text += "|"
    return text


def contains(text: str, query: str) -> bool:
    """Whether ``query`` occurs in ``text``, both normalised as the tokens are.

    Punctuation and whitespace separate words and are otherwise ignored, so ``WiFi密码`` is in
    ``WiFi 密码忘了`` and in ``wifi-密码``. A Latin word matches a whole word only (``fi`` is not in
    ``WiFi``); Chinese matches anywhere in a run of Chinese (``大客户`` is in ``扩大客户群``).
    """
    wanted = needle(query)
    return wanted is not None and wanted in normalize(text)


class ChineseTokenizer(Tokenizer):
    """Whoosh tokenizer: ``index`` mode, or ``query`` mode when Whoosh parses a query.

    Tokens come case-folded: add no LowercaseFilter, and no stop list.
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if tokenize and mode != "query" and not positions and not chars and not keeporiginal:
            # Indexing a field without positions (frequencies only): the terms are all Whoosh needs.
            t.boost, t.stopped = 1.0, False
            for text in index_terms(value):
                t.text = text
                yield t
            return
        if tokenize:
            tokens = _MODES["query" if mode == "query" else "index"](value)
        else:
            tokens = [Token(unicodedata.normalize("NFKC", value).casefold(), 0, 0, len(value))]
        for tok in tokens:
            t.text = tok.text
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = tok.text
            if positions:
                t.pos = start_pos + tok.pos
            if chars:
                t.startchar = start_char + tok.start
                t.endchar = start_char + tok.end
            yield t


def ChineseAnalyzer() -> ChineseTokenizer:
    """The analyzer for Whoosh TEXT fields holding Chinese or mixed text."""
    return ChineseTokenizer()
