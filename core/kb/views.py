"""Staff pages of the knowledge base: the list by category with search, articles with their history,
editing (a new version per save), categories, and the JSON the reply box uses to find and insert articles."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from core.auth.permissions import requires
from core.extensions import db
from core.kb import bp, service
from core.models import KbArticle, KbArticleVersion, KbCategory
from core.sanitize import to_text

QUERY_MAX = 200
ERROR_MESSAGES = {
    "required": _l("This field is required."),
    "too_long": _l("This is too long."),
    "empty": _l("The text is empty once unsafe content (such as scripts) is removed."),
    "taken": _l("A category with this name already exists."),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(), Length(max=service.TITLE_MAX)])
    category = SelectField(_l("Category"), coerce=int)
    body = TextAreaField(_l("Text"), validators=[DataRequired()])
    public = BooleanField(_l("Public: customers see it in the portal"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(0, _("No category"))] + [(c.id, c.name) for c in service.categories()]


class VersionForm(FlaskForm):
    """Acts on the article as the reader saw it: `version` is the one the page showed (a save, restore,
    publish or withdraw based on an older copy is refused)."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class EditArticleForm(ArticleForm, VersionForm):
    pass


class VisibilityForm(VersionForm):
    public = HiddenField(validators=[AnyOf(("0", "1"))])


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), filters=[_strip], validators=[DataRequired(), Length(max=service.CATEGORY_NAME_MAX)])
    position = IntegerField(_l("Position"), default=100, validators=[Optional(), NumberRange(min=0, max=9999)])


def _show_errors(form, error):
    for key, code in error.errors.items():
        getattr(form, key).errors.append(ERROR_MESSAGES[code])


def _article_or_404(article_id):
    return db.get_or_404(KbArticle, article_id)


def search_query(args):
    """The search words of a list or suggestion request (also used by the portal's pages)."""
    return (args.get("q") or "").strip()[:QUERY_MAX]


@bp.get("/")
@requires("kb.view")
def index():
    query = search_query(request.args)
    category_id = request.args.get("category", type=int)
    listing = service.list_articles(query, public_only=False, category_id=category_id)
    return render_template("kb/index.html", query=query, category_id=category_id, listing=listing)


@bp.route("/new", methods=["GET", "POST"])
@requires("kb.edit")
def new_article():
    form = ArticleForm(category=request.args.get("category", 0, type=int))
    status = 200
    if form.validate_on_submit():
        try:
            article = service.create_article(title=form.title.data, body=form.body.data, actor=current_user,
                                             category=db.session.get(KbCategory, form.category.data),
                                             public=form.public.data)
        except service.KbInputError as error:
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Article created."), "info")
            return redirect(url_for("kb.article", article_id=article.id))
    if request.method == "POST":
        status = 400
    return render_template("kb/edit.html", form=form, article=None), status


@bp.get("/<int:article_id>")
@requires("kb.view")
def article(article_id):
    article = _article_or_404(article_id)
    versions = db.session.scalars(
        select(KbArticleVersion).where(KbArticleVersion.article_id == article.id)
        .options(load_only(KbArticleVersion.version, KbArticleVersion.title, KbArticleVersion.public,
                           KbArticleVersion.created_at, KbArticleVersion.author_id),
                 selectinload(KbArticleVersion.author))
        .order_by(KbArticleVersion.version.desc())
    ).all()
    visibility_form = VisibilityForm(version=article.version, public="0" if article.public else "1")
    return render_template("kb/article.html", article=article, versions=versions, visibility_form=visibility_form)


@bp.route("/<int:article_id>/edit", methods=["GET", "POST"])
@requires("kb.edit")
def edit_article(article_id):
    article = _article_or_404(article_id)
    form = EditArticleForm(data={"title": article.title, "body": article.body, "public": article.public,
                                 "category": article.category_id or 0, "version": article.version})
    status = 200
    conflict = False
    if form.validate_on_submit():
        try:
            saved = service.update_article(article, actor=current_user, expected_version=form.version.data,
                                           title=form.title.data, body=form.body.data, public=form.public.data,
                                           category=db.session.get(KbCategory, form.category.data))
        except service.KbInputError as error:
            _show_errors(form, error)
            status = 400
        except service.StaleArticle:
            db.session.rollback()
            article = _article_or_404(article_id)
            # The editor's text stays in the form, next to the current version; the form now carries the
            # current version, so saving again is a decision taken after seeing the other change.
            form.version.raw_data = None
            form.version.data = article.version
            flash(_("Someone else changed this article while you were editing it; it is now version %(version)s. "
                    "Nothing was saved. Your text is kept below, next to the current version: merge the changes, "
                    "then save again.", version=article.version), "error")
            conflict, status = True, 409
        else:
            db.session.commit()
            flash(_("Saved as version %(version)s.", version=article.version) if saved else _("Nothing changed."),
                  "info")
            return redirect(url_for("kb.article", article_id=article.id))
    elif request.method == "POST":
        status = 400
    return render_template("kb/edit.html", form=form, article=article, conflict=conflict), status


@bp.post("/<int:article_id>/visibility")
@requires("kb.edit")
def set_visibility(article_id):
    article = _article_or_404(article_id)
    form = VisibilityForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        saved = service.update_article(article, actor=current_user, expected_version=form.version.data,
                                       public=form.public.data == "1")
    except service.StaleArticle:
        db.session.rollback()
        flash(_("Someone else changed this article in the meantime; nothing was changed. "
                "Check the current version and try again."), "error")
        return redirect(url_for("kb.article", article_id=article_id))
    db.session.commit()
    if saved:
        flash(_("The article is now public: customers see it in the portal.") if article.public
              else _("The article is now internal: only staff see it."), "info")
    return redirect(url_for("kb.article", article_id=article.id))


@bp.get("/<int:article_id>/versions/<int:number>")
@requires("kb.view")
def version(article_id, number):
    article = _article_or_404(article_id)
    old = service.get_version(article, number)
    if old is None:
        abort(404)
    return render_template("kb/version.html", article=article, old=old,
                           restore_form=VersionForm(version=article.version))


@bp.post("/<int:article_id>/versions/<int:number>/restore")
@requires("kb.edit")
def restore(article_id, number):
    article = _article_or_404(article_id)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        saved = service.restore_version(article, number, actor=current_user, expected_version=form.version.data)
    except LookupError:
        abort(404)
    except service.StaleArticle:
        db.session.rollback()
        flash(_("Someone else changed this article in the meantime; nothing was changed. "
                "Check the current version and try again."), "error")
        return redirect(url_for("kb.version", article_id=article_id, number=number))
    db.session.commit()
    if saved:
        flash(_("Version %(old)s restored as version %(new)s.", old=number, new=article.version), "info")
    else:
        flash(_("That version has the same title and text as the current one; nothing changed."), "info")
    return redirect(url_for("kb.article", article_id=article.id))


# Categories ---------------------------------------------------------------------------------------------


@bp.route("/categories", methods=["GET", "POST"])
@requires("kb.edit")
def categories():
    form = CategoryForm()
    status = 200
    if form.validate_on_submit():
        try:
            service.create_category(form.name.data, form.position.data)
        except service.KbInputError as error:
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Category added."), "info")
            return redirect(url_for("kb.categories"))
    if request.method == "POST":
        status = 400
    return _categories_page(form), status


def _categories_page(new_form, edit_form=None, failed=None):
    """The category list; `failed` is the category whose `edit_form` was refused (shown with its errors)."""
    counts = dict(db.session.execute(
        select(KbArticle.category_id, func.count()).where(KbArticle.category_id.is_not(None))
        .group_by(KbArticle.category_id)).all())
    return render_template("kb/categories.html", new_form=new_form, edit_form=edit_form, failed=failed,
                           categories=service.categories(), counts=counts)


@bp.post("/categories/<int:category_id>")
@requires("kb.edit")
def update_category(category_id):
    category = db.get_or_404(KbCategory, category_id)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            service.update_category(category, form.name.data, form.position.data)
        except service.KbInputError as error:
            _show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Category saved."), "info")
            return redirect(url_for("kb.categories"))
    return _categories_page(CategoryForm(formdata=None), form, category_id), 400


@bp.post("/categories/<int:category_id>/delete")
@requires("kb.edit")
def delete_category(category_id):
    category = db.get_or_404(KbCategory, category_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    service.delete_category(category)
    db.session.commit()
    flash(_("Category deleted; its articles are now without a category."), "info")
    return redirect(url_for("kb.categories"))


# JSON for the reply box ---------------------------------------------------------------------------------


@bp.get("/insert/<int:article_id>")
@requires("kb.view")
def insert(article_id):
    """An article's title, plain text and sanitized HTML, to insert into a reply. `public` tells the desk
    whether the text is meant for customers (an internal article may hold what they must not read)."""
    article = _article_or_404(article_id)
    return jsonify(title=article.title, text=to_text(article.body), html=article.body, public=article.public)


@bp.get("/suggest")
@requires("kb.view")
def suggest():
    articles = service.suggest_articles(search_query(request.args), public_only=False)
    return jsonify(articles=[{
        "id": a.id, "title": a.title, "excerpt": service.excerpt(a), "public": a.public,
        "url": url_for("kb.article", article_id=a.id), "insert_url": url_for("kb.insert", article_id=a.id),
    } for a in articles])
