"""The site's customer grades (客户分级) and credit grades (信用分级): rows the admin keeps, read once per
request."""
from flask import g, has_request_context
from sqlalchemy import select

from core.extensions import db
from core.models import CustomerGrade


def grades(scheme):
    """The grades of `scheme` ("grade" or "credit") in the site's order."""
    cache = g.setdefault("kefu_customer_grades", {}) if has_request_context() else {}
    if scheme not in cache:
        query = select(CustomerGrade).where(CustomerGrade.scheme == scheme).order_by(CustomerGrade.sort_order,
                                                                                    CustomerGrade.id)
        cache[scheme] = db.session.scalars(query).all()
    return cache[scheme]


def find_grade(scheme, text):
    """The grade whose key or label (either language) is `text`, or None."""
    wanted = (text or "").strip().casefold()
    for grade in grades(scheme):
        if wanted in (grade.key.casefold(), grade.label_zh.casefold(), grade.label_en.casefold()):
            return grade
    return None


def grade_label(scheme, key):
    """The label of a grade key, or the key itself when the site no longer has that grade."""
    if not key:
        return ""
    grade = next((grade for grade in grades(scheme) if grade.key == key), None)
    return grade.label if grade is not None else key


def grade_choices(scheme="grade"):
    """Select choices for an optional grade field in an admin form: "any", then the site's grades."""
    return [("", "—"), *((grade.key, str(grade.label)) for grade in grades(scheme))]
