"""One upload page for every CSV import in the admin panel (customers, and the plugins' estates, accounts,
shipments…): the file, an "import the good rows only" choice, and a table of every problem with its line and
column. Mount one per import:

    CsvImportView(name=_l("Import rooms"), category=_l("Property"), columns=ROOM_COLUMNS,
                  save_row=save_room, endpoint="property_room_import")
"""
from flask import flash, request
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from core.admin.views import SecureMixin
from core.csvio import export_csv, import_csv
from core.extensions import db
from core.models import audit


class CsvUploadForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))])
    good_rows_only = BooleanField(_l("Import the good rows only (rows with problems are left out)"))


class CsvImportView(SecureMixin, BaseView):
    """A Flask-Admin page that imports `columns` with `save_row(values, line)` (see core.csvio.import_csv).

    Open to accounts holding `permission` (the admin panel's by default); every import that saved rows is
    committed and written to the audit log."""

    def __init__(self, *, name, columns, save_row, endpoint, category=None, url=None, permission="admin.access",
                 description=None):
        super().__init__(name=name, category=category, endpoint=endpoint, url=url or f"/admin/{endpoint}")
        self.columns = tuple(columns)
        self.save_row = save_row
        self.permission = permission
        self.description = description

    @expose("/", methods=("GET", "POST"))
    def index(self):
        form = CsvUploadForm()
        report = None
        status = 200
        if form.validate_on_submit():
            upload = form.file.data
            report = import_csv(upload.stream, self.columns, self.save_row, good_rows_only=form.good_rows_only.data)
            if report.imported:
                audit.record("csv.import", actor=current_user, ip=request.remote_addr, view=self.endpoint,
                             filename=upload.filename, total=report.total, imported=report.imported,
                             problems=len(report.problems))
            db.session.commit()
            if report.imported:
                flash(ngettext("%(num)d row imported.", "%(num)d rows imported.", report.imported), "success")
            elif report.problems:
                flash(_("Nothing was imported. Correct the rows listed below and upload the file again, or choose "
                        "to import the good rows only."), "error")
            if report.problems:
                status = 400 if not report.imported else 200
        elif request.method == "POST":
            status = 400
        return self.render("admin/kefu_csv_import.html", form=form, report=report, columns=self.columns,
                           description=self.description), status

    @expose("/template.csv")
    def template(self):
        """An empty file with the headers, to fill in."""
        return export_csv(self.columns, (), filename=f"{self.endpoint}.csv")
