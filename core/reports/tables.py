"""Report tables: what a report page shows, and what its CSV and XLSX exports and the monthly e-mail contain,
built once. A cell keeps its number (for spreadsheets) and its text (for pages), a link to the tickets behind
it, and whether it misses its target."""
import csv
import io
from dataclasses import dataclass, field
from urllib.parse import quote

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BELOW_TARGET_FILL = PatternFill("solid", fgColor="FFE8E1")


@dataclass(frozen=True)
class Cell:
    value: object  # a number, a text, or None (no data)
    text: str
    href: str | None = None
    below_target: bool = False
    note: str = ""  # shown beside the value on the page (a target, a definition)


@dataclass
class Table:
    title: str
    columns: list  # header texts
    rows: list = field(default_factory=list)  # lists of Cell
    emphasis: set = field(default_factory=set)  # indexes of rows shown in bold (totals, teams)


def text_cell(text):
    return Cell(str(text), str(text))


def _plain(cell):
    """What a spreadsheet gets: the number rounded as the page shows it, else the text ("no data")."""
    if isinstance(cell.value, bool) or cell.value is None:
        return cell.text
    if isinstance(cell.value, float):
        return round(cell.value, 2)
    return cell.value


def csv_bytes(tables):
    """UTF-8 with a byte-order mark, so that Excel opens Chinese correctly; tables one after another."""
    out = io.StringIO()
    writer = csv.writer(out)
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.columns)
        writer.writerows([_plain(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(title, used):
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or _("Report")
    name, n = clean, 2
    while name in used:
        name, n = f"{clean[:25]} {n}", n + 1
    used.add(name)
    return name


def xlsx_bytes(tables):
    """One sheet per table: a title row, a bold header, numbers as numbers, cells below target shaded."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(table.columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, row in enumerate(table.rows):
            sheet.append([_plain(cell) for cell in row])
            for column, cell in enumerate(row, start=1):
                target = sheet.cell(row=index + 3, column=column)
                if cell.below_target:
                    target.fill = BELOW_TARGET_FILL
                if index in table.emphasis:
                    target.font = Font(bold=True)
        for column in range(1, len(table.columns) + 1):
            width = max([len(str(table.columns[column - 1]))] +
                        [len(str(_plain(row[column - 1]))) for row in table.rows if len(row) >= column])
            sheet.column_dimensions[get_column_letter(column)].width = min(max(10, width * 1.6), 60)
        sheet.freeze_panes = "B3"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(tables, filename, fmt):
    """A CSV or XLSX download of ``tables``; ``filename`` without extension (may be Chinese)."""
    if fmt == "csv":
        body, mimetype = csv_bytes(tables), "text/csv; charset=utf-8"
    else:
        body, mimetype = xlsx_bytes(tables), XLSX_TYPE
    name = f"{filename}.{fmt}"
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
