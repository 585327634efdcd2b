"""KPIs evaluated for a period and a scope, with the target that applies (the site's REPORT_TARGETS first, then
the KPI's own) and the value written for a reader: "no data" when there was nothing to measure."""
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from core.errors import StartupError
from core.reports.kpis import TARGET_OPS, KpiResult, Target


def parse_target(text):
    """">= 50" → Target(">=", 50.0); raises ValueError."""
    raw = str(text).strip()
    for op in sorted(TARGET_OPS, key=len, reverse=True):
        if raw.startswith(op):
            return Target(op, float(raw[len(op):].strip()))
    raise ValueError(f"a target looks like '>= 50', not {text!r}")


def check_site_targets(app):
    """Start-up check of REPORT_TARGETS: each key a known KPI, each value a target."""
    kpis = app.extensions["kefu"].registry.kpis
    for key, text in (app.config.get("REPORT_TARGETS") or {}).items():
        if key not in kpis:
            raise StartupError(f"REPORT_TARGETS names unknown KPI {key!r}; known: {', '.join(kpis)}")
        try:
            parse_target(text)
        except ValueError as exc:
            raise StartupError(f"REPORT_TARGETS[{key!r}]: {exc}") from None


def target_of(spec):
    site = (current_app.config.get("REPORT_TARGETS") or {}).get(spec.key)
    return parse_target(site) if site is not None else spec.target


@dataclass(frozen=True)
class Measured:
    spec: object
    result: KpiResult
    target: Target | None

    @property
    def met(self):
        return self.target.met(self.result.value) if self.target else None

    @property
    def below_target(self):
        return self.met is False

    @property
    def text(self):
        return format_value(self.spec.unit, self.result.value)

    @property
    def target_text(self):
        return f"{self.target.op} {format_value(self.spec.unit, self.target.value)}" if self.target else ""


def measure(spec, period, scope):
    return Measured(spec, spec.compute(period, scope), target_of(spec))


def measure_all(period, scope, keys=None):
    kpis = current_app.extensions["kefu"].registry.kpis
    return [measure(spec, period, scope) for key, spec in kpis.items() if keys is None or key in keys]


def _number(value, digits):
    return format_decimal(round(value, digits), format="#,##0" + ("." + "0" * digits if digits else ""))


def format_value(unit, value):
    """A KPI value as text in the reader's language; "no data" for None (never 0 %)."""
    if value is None:
        return _("no data")
    if unit == "percent":
        return _("%(value)s %%", value=_number(value, 1))
    if unit == "count":
        return _number(value, 0)
    if unit == "minutes":
        if value >= 48 * 60:
            return _("%(value)s days", value=_number(value / 1440, 1))
        if value >= 120:
            return _("%(value)s h", value=_number(value / 60, 1))
        return _("%(value)s min", value=_number(value, 1))
    if unit == "hours":
        return _("%(value)s h", value=_number(value, 1))
    if unit == "score":
        return _("%(value)s points", value=_number(value, 1))
    if unit == "per_100":
        return _("%(value)s per 100", value=_number(value, 2))
    return _("¥%(value)s", value=_number(value, 2))
