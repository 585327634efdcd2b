"""Languages: Flask-Babel set-up, the locale choice, and Label for texts that come with both languages.

Core and plugin UI strings go through gettext (`_`). Labels that plugins declare in code (roles, ticket types,
fields) and that the database stores carry both languages and are shown with `Label`, which picks the
current locale when it is turned into text.
"""
from dataclasses import dataclass

from flask import current_app, has_app_context, has_request_context, session
from flask_babel import Babel, get_locale
from flask_login import current_user


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def __str__(self):
        return self.en if current_language() == "en" else self.zh

    def __html__(self):
        from markupsafe import escape

        return str(escape(str(self)))


def current_language():
    """The language of the request, or of ``force_locale`` in a worker (e-mails in the recipient's language)."""
    if not has_app_context():
        return "zh"
    locale = get_locale()
    return locale.language if locale else current_app.config["DEFAULT_LOCALE"]


# Babel's name for each language: Flask-Admin ships its Chinese catalogue as zh_Hans_CN, and gettext
# falls back from zh_Hans_CN to our own "zh" catalogue.
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def chosen_language():
    """The user's own choice, then this browser session's choice, then the site's default."""
    languages = current_app.config["LANGUAGES"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("locale") if has_request_context() else None
    if chosen in languages:
        return chosen
    return current_app.config["DEFAULT_LOCALE"]


def select_locale():
    return BABEL_LOCALES.get(chosen_language(), chosen_language())


HTML_LANG = {"zh": "zh-CN", "en": "en"}


def init_app(app, translation_dirs):
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_dirs)
    # One Babel per app: flask-babel caches the loaded catalogues on its Babel object, and apps with other
    # plugins (and so other catalogues) must not share that cache.
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals["html_lang"] = lambda: HTML_LANG.get(current_language(), "zh-CN")
    app.jinja_env.globals["current_language"] = current_language
