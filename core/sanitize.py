"""Untrusted text from staff, customers, e-mail and the API becomes safe HTML here, once, before it is stored.

Plain text keeps its line breaks; HTML keeps a small set of formatting tags and loses everything that could
run script or load from elsewhere (event handlers, javascript: links, images, styles, iframes).
"""
import html as html_module
import re

import nh3
from markupsafe import escape

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote", "code", "pre",
                "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def clean_html(text):
    """Sanitized HTML for a reply, note, ticket description or article body."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _TAG.search(text):
        return str(escape(text)).replace("\r\n", "\n").replace("\n", "<br>")
    return nh3.clean(text, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


def to_text(html):
    """The words of sanitized HTML, for search and previews."""
    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", html or "")
    return html_module.unescape(nh3.clean(text, tags=set())).strip()
