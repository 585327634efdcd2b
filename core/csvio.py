"""CSV import and export for the core and the plugins: the files people make and open in Excel.

An import reads UTF-8 (with or without the BOM that Excel's "CSV UTF-8" writes) and GB18030, the superset of
GBK that Excel in China saves by default. It checks every row and lists every problem with its line and
column. With problems, nothing is imported unless the caller asked for the good rows only. Headers are
matched by the column's key or its label in either language, so a file exported in Chinese imports on an
English desk and back.

An export writes UTF-8 with a BOM (so that Excel shows Chinese), headers in the reader's language, and
defuses cells that Excel would run as formulas; an import restores them.
"""
import codecs
import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.i18n import Label

# Excel runs a cell that starts with one of these as a formula ("CSV injection"); an export puts an
# apostrophe before such a cell, which Excel hides, and an import takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_of(max_length):
    """A column's ``parse`` for free text of at most ``max_length`` characters."""
    def parse(text):
        if len(text) > max_length:
            raise ValueError(_("At most %(n)d characters.", n=max_length))
        return text
    return parse


@dataclass(frozen=True)
class CsvColumn:
    key: str
    label: Label  # the header, accepted in either language (and the key itself)
    required: bool = False
    # parse(text) -> value, for a cell with text in it (an empty cell gives None); raises ValueError with a
    # message for the user.
    parse: Callable = str
    # format(value) -> text for an export; None is always written as an empty cell.
    format: Callable | None = None


class RowError(ValueError):
    """A row-level problem found by save_row; `column` is the key of the column it concerns, if one does."""

    def __init__(self, message, column=None):
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class RowProblem:
    line: int  # the line of the file where the row starts (the header is usually line 1); 0: the whole file
    column: str | None  # the header of the cell as written in the file, or None for the whole row
    message: str


@dataclass
class ImportReport:
    total: int  # data rows in the file (blank rows are not counted)
    imported: int
    problems: list = field(default_factory=list)  # RowProblem records, in file order

    @property
    def ok(self):
        return not self.problems


class _FileProblem(Exception):
    """The file cannot be read as a table at all (empty, not text, no usable header)."""

    def __init__(self, *problems):
        super().__init__(problems[0].message)
        self.problems = list(problems)


def _decode(data):
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise _FileProblem(RowProblem(0, None, _("The file is not text in UTF-8 or GB18030 (GBK). Save it from "
                                                 "Excel as \"CSV UTF-8\" and try again."))) from None


def _header_key(text):
    return " ".join(text.split()).casefold()


def _map_header(header, line, columns):
    """({position: column}, {key: header as written}) for the header row; raises _FileProblem naming every
    unknown, repeated or missing column."""
    names = {}
    for column in columns:
        for name in (column.key, column.label.zh, column.label.en):
            names[_header_key(name)] = column
    problems, by_position, seen = [], {}, {}
    for position, text in enumerate(header):
        if not text.strip():
            continue
        column = names.get(_header_key(text))
        if column is None:
            problems.append(RowProblem(line, text.strip(), _("Unknown column. The columns are: %(names)s.",
                                                             names=", ".join(str(c.label) for c in columns))))
        elif column.key in seen:
            problems.append(RowProblem(line, text.strip(), _("This column appears twice.")))
        else:
            seen[column.key] = text.strip()
            by_position[position] = column
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(RowProblem(line, str(column.label), _("This required column is missing.")))
    if not problems and not by_position:
        problems.append(RowProblem(line, None, _("The first line must be the header with the column names.")))
    if problems:
        raise _FileProblem(*problems)
    return by_position, seen


def _records(text):
    """(line where the record starts, cells) for each record; a record the csv module cannot read (an
    unclosed quote, a cell over the size limit) comes as (line, None)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield start, None
            continue
        yield start, cells


def _cell_text(raw):
    text = raw.strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        return text[1:]  # what export_csv defused
    return text


def _parse_row(cells, line, by_position, headers, columns):
    """(values by key, problems) for one data row."""
    problems = []
    if any(c.strip() for c in cells[max(by_position) + 1:]):
        problems.append(RowProblem(line, None, _("This row has more cells than the header has columns.")))
    texts = {column.key: "" for column in columns}
    for position, column in by_position.items():
        if position < len(cells):
            texts[column.key] = _cell_text(cells[position])
    values = {}
    for column in columns:
        text = texts[column.key]
        if not text:
            values[column.key] = None
            if column.required:
                problems.append(RowProblem(line, headers.get(column.key, str(column.label)), _("A value is required.")))
            continue
        try:
            values[column.key] = column.parse(text)
        except ValueError as exc:
            problems.append(RowProblem(line, headers.get(column.key, str(column.label)), str(exc)))
    return values, problems


def import_csv(stream, columns, save_row, *, good_rows_only=False):
    """Read a CSV file (a binary stream, bytes or text) and call save_row(values, line) for each good row;
    `values` has every column's key, None where the cell is empty or the column absent.

    save_row adds rows to db.session and raises RowError for a row it refuses. Each row is saved in a
    savepoint, so a refused row leaves nothing behind. With problems and not `good_rows_only`, everything is
    rolled back and `imported` is 0. The caller commits."""
    columns = tuple(columns)
    data = stream.read() if hasattr(stream, "read") else stream
    try:
        text = _decode(data)
        records = _records(text)
        header = next(((line, cells) for line, cells in records if cells is None or any(c.strip() for c in cells)), None)
        if header is None:
            raise _FileProblem(RowProblem(0, None, _("The file is empty.")))
        line, cells = header
        if cells is None:
            raise _FileProblem(RowProblem(line, None, _("The first line must be the header with the column names.")))
        by_position, headers = _map_header(cells, line, columns)
    except _FileProblem as problem:
        return ImportReport(0, 0, problem.problems)

    report = ImportReport(0, 0)
    outer = db.session.begin_nested()
    for line, cells in records:
        if cells is not None and not any(c.strip() for c in cells):
            continue  # Excel leaves rows of empty cells at the end
        report.total += 1
        if cells is None:
            report.problems.append(RowProblem(line, None, _("This line cannot be read: a quote is not closed, or "
                                                            "a cell is too long.")))
            continue
        values, problems = _parse_row(cells, line, by_position, headers, columns)
        if not problems:
            problems = _save(save_row, values, line, headers, columns)
        report.problems.extend(problems)
        if not problems:
            report.imported += 1
    if report.total == 0:
        report.problems.append(RowProblem(0, None, _("The file has a header but no rows.")))
    if report.problems and not good_rows_only:
        outer.rollback()
        report.imported = 0
    else:
        outer.commit()
    return report


def _save(save_row, values, line, headers, columns):
    labels = {column.key: str(column.label) for column in columns}
    savepoint = db.session.begin_nested()
    try:
        save_row(values, line)
        db.session.flush()
    except RowError as exc:
        savepoint.rollback()
        column = headers.get(exc.column, labels.get(exc.column, exc.column)) if exc.column else None
        return [RowProblem(line, column, str(exc))]
    except IntegrityError:
        savepoint.rollback()
        return [RowProblem(line, None, _("This row conflicts with a record that already exists."))]
    savepoint.commit()
    return []


# Export -----------------------------------------------------------------------------------------------------


def _text(column, value):
    if value is None:
        return ""
    if column.format is not None:
        text = column.format(value)
    elif isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, (date, datetime)):
        text = value.isoformat()
    elif isinstance(value, (list, tuple, set, frozenset)):
        text = ", ".join(str(item) for item in value)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _value(row, key):
    return row.get(key) if isinstance(row, Mapping) else getattr(row, key, None)


def export_csv(columns, rows, filename="export.csv"):
    """A download of `rows` (mappings or objects, read by column key) as UTF-8 CSV with a BOM, headers in
    the current language. Rows are written as they are read, so a long export does not sit in memory."""
    columns = tuple(columns)
    # Read the language now: the rows are written after the view returned, when the account behind the
    # request may no longer be loaded.
    header = [str(column.label) for column in columns]

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")

        def flush():
            text = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return text.encode("utf-8")

        writer.writerow(header)
        yield codecs.BOM_UTF8 + flush()
        for row in rows:
            writer.writerow([_text(column, _value(row, column.key)) for column in columns])
            yield flush()

    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})
