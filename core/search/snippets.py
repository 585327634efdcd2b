"""Highlighted excerpts for search results: the text around the first match, HTML-escaped, each match in
<mark>. Matching follows the index: full-width and case folded, Latin words whole, Chinese anywhere."""
import re

from markupsafe import Markup, escape

from core.search.analysis import _HAN, _normalized, _runs

WIDTH = 120  # characters of excerpt
_WORD_CHARACTER = re.compile(rf"[^\W_{_HAN}]")  # what continues a Latin word (Chinese next to it does not)


def _folded(text):
    """`text` NFKC and case-folded character by character, with each character's offsets in `text`."""
    norm, starts, ends = _normalized(text)
    chars = [c.casefold() if len(c.casefold()) == 1 else c for c in norm]
    return "".join(chars), starts, ends


def _pieces(queries):
    """The runs of the query strings: what is looked for in the text (Latin: whole words)."""
    pieces = set()
    for query in queries:
        for run in _runs(query):
            pieces.add((run.text, run.han))
    return sorted(pieces, key=lambda piece: -len(piece[0]))


def matches(text, queries):
    """Sorted, non-overlapping (start, end) spans of `text` that match a piece of `queries`."""
    folded, starts, ends = _folded(text)
    spans = []
    for piece, han in _pieces(queries):
        at = folded.find(piece)
        while at >= 0:
            end = at + len(piece)
            whole = han or ((at == 0 or not _WORD_CHARACTER.match(folded[at - 1]))
                            and (end == len(folded) or not _WORD_CHARACTER.match(folded[end])))
            if whole:
                spans.append((starts[at], ends[end - 1]))
            at = folded.find(piece, at + 1)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text, spans, offset=0):
    out, at = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        start, end = max(start, 0), min(end, len(text))
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def highlight(text, queries):
    """All of `text` (a title), escaped, with its matches marked."""
    return _marked(text, matches(text, queries))


def excerpt(texts, queries, width=WIDTH):
    """About `width` characters of the first of `texts` that has a match, around its first match, escaped
    and marked; the start of the first text when none matches; None when all are empty. `texts` may be an
    iterator: a text is read only when none before it matches."""
    first, spans = None, []
    for text in texts:
        if not text or not text.strip():
            continue
        text = " ".join(text.split())
        first = first or text
        spans = matches(text, queries)
        if spans:
            break
    else:
        if first is None:
            return None
        text = first
    start = max(0, min((spans[0][0] if spans else 0) - width // 3, len(text) - width))
    end = min(len(text), start + width)
    piece = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return Markup(prefix) + _marked(piece, spans, offset=start) + Markup(suffix)
