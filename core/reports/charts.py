"""Charts drawn by the site itself as inline SVG: no script, no outside service, so they work on an intranet
and print. Each bar or point may link to the tickets behind it and carries a tooltip (<title>).

The drawings use a narrow coordinate system (380 units wide) and scale with the page, so that their text stays
readable on a phone (about 11 px) and on a laptop (about 16 px).
"""
import math

from markupsafe import Markup, escape

WIDTH = 380
FONT = 12
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 22


def nice_scale(value):
    """(top, intervals): gridlines every 1, 2 or 5 × 10ⁿ, at most five of them, the top at or above ``value``."""
    value = max(value, 1)
    step = 1
    while math.ceil(value / step) > 5:
        power = 10 ** math.floor(math.log10(step))
        step = next(candidate * power for candidate in (2, 5, 10) if candidate * power > step)
    intervals = max(math.ceil(value / step), 1)
    return step * intervals, intervals


def _number(value):
    return f"{value:,.0f}" if abs(value) >= 10 or float(value).is_integer() else f"{value:.1f}"


def _link(href, inner, tip):
    title = f"<title>{escape(tip)}</title>" if tip else ""
    if href:
        return f'<a href="{escape(href)}">{title}{inner}</a>'
    return f"<g>{title}{inner}</g>"


def _svg(height, body, label, kind):
    return Markup(f'<svg class="chart {kind}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
                  f'font-size="{FONT}">{body}</svg>')


def _grid(top, intervals, height):
    plot = height - TOP - BOTTOM
    lines = []
    for i in range(intervals + 1):
        value = top * i / intervals
        y = TOP + plot - plot * i / intervals
        lines.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>')
    return "".join(lines)


def _x_labels(labels, slot, height):
    every = max(1, math.ceil(len(labels) / 8))  # at most about eight labels under the axis
    return "".join(f'<text class="axis" x="{LEFT + slot * (i + 0.5):.1f}" y="{height - 6}" text-anchor="middle">'
                   f'{escape(text)}</text>' for i, text in enumerate(labels) if i % every == 0)


def columns(points, *, label, height=200):
    """Stacked columns, one per point: ``points`` are (x label, [part values], href, tooltip); the parts are
    drawn bottom up with the CSS classes part-0, part-1…"""
    top, intervals = nice_scale(max((sum(parts) for _x, parts, _h, _t in points), default=0))
    plot, slot = height - TOP - BOTTOM, (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bars = []
    for i, (_x, parts, href, tip) in enumerate(points):
        x, base, rects = LEFT + slot * i + slot * 0.15, TOP + plot, []
        for n, value in enumerate(parts):
            h = plot * value / top
            if h > 0:
                rects.append(f'<rect class="part-{n}" x="{x:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}"/>')
            base -= h
        # An invisible full-height target, so that a thin or empty day is still easy to click.
        hit = f'<rect class="hit" x="{LEFT + slot * i:.1f}" y="{TOP}" width="{slot:.1f}" height="{plot}"/>'
        bars.append(_link(href, hit + "".join(rects), tip))
    labels = _x_labels([p[0] for p in points], slot, height)
    return _svg(height, _grid(top, intervals, height) + "".join(bars) + labels, label, "columns")


def line(points, *, label, height=200):
    """A line with its area, one point per (x label, value, href, tooltip)."""
    top, intervals = nice_scale(max((value for _x, value, _h, _t in points), default=0))
    plot, slot = height - TOP - BOTTOM, (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    xy = [(LEFT + slot * (i + 0.5), TOP + plot - plot * value / top) for i, (_x, value, _h, _t) in enumerate(points)]
    body = [_grid(top, intervals, height)]
    if xy:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        body.append(f'<polygon class="area" points="{xy[0][0]:.1f},{TOP + plot} {path} {xy[-1][0]:.1f},{TOP + plot}"/>')
        body.append(f'<polyline class="line" points="{path}"/>')
    for (x, y), (_x, _value, href, tip) in zip(xy, points, strict=True):
        hit = f'<rect class="hit" x="{x - slot / 2:.1f}" y="{TOP}" width="{slot:.1f}" height="{plot}"/>'
        body.append(_link(href, f'{hit}<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="{min(3.0, slot / 3):.1f}"/>', tip))
    return _svg(height, "".join(body) + _x_labels([p[0] for p in points], slot, height), label, "line")


def bars(rows, *, label, row_height=24, label_width=112):
    """Horizontal bars, one per (label, value, value text, href); the value text is written after the bar."""
    top = max((value for _l, value, _t, _h in rows), default=0) or 1
    room = WIDTH - label_width - 118  # what is left for the longest bar, after the room for its text
    height = row_height * len(rows) + 6
    body = []
    for i, (name, value, text, href) in enumerate(rows):
        y = 3 + i * row_height
        w = room * value / top
        name = str(name)
        shown = name if len(name) <= 16 else name[:15] + "…"
        inner = (f'<rect class="hit" x="0" y="{y}" width="{WIDTH}" height="{row_height}"/>'
                 f'<text class="name" x="{label_width - 6}" y="{y + row_height * 0.66:.1f}" text-anchor="end">{escape(shown)}</text>'
                 f'<rect class="part-0" x="{label_width}" y="{y + 4}" width="{max(w, 1 if value else 0):.1f}" height="{row_height - 8}" rx="2"/>'
                 f'<text class="value" x="{label_width + w + 5:.1f}" y="{y + row_height * 0.66:.1f}">{escape(text)}</text>')
        body.append(_link(href, inner, f"{name}: {text}"))
    return _svg(height, "".join(body), label, "bars")
