"""The portal's account forms. Requests use the ticket type's own fields and are read from the raw form."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from core.auth.forms import _strip

PASSWORD_MIN = 8


class SignUpForm(FlaskForm):
    name = StringField(_l("Your name"), filters=[_strip], validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[Optional(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(max=200),
        Length(min=PASSWORD_MIN, message=_l("The password needs at least %(n)d characters.", n=PASSWORD_MIN))])


class LinkRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[_strip], validators=[DataRequired(), Length(max=254)])
