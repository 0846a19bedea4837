"""Server-rendered SVG charts of the console's pages (nothing fetched or built at run time).

``stacked_columns`` draws a value per category per x (runs by status per day, calls per
model per day); ``bars`` one horizontal bar per row (step durations); ``budget_columns`` a
bot's spend per day against its daily budget (a dashed line; days over it in red), with named
axes. Every text goes through
``escape``; each shape carries a ``<title>`` with its exact value, and the charts are ``role="img"``
with a label, so a screen reader reads the title and the data table beside it.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#3b7dd8", "#ef8f00", "#2e7d32", "#c62828", "#6a1b9a", "#00838f", "#757575", "#ad1457"]
COL_W, COL_GAP, PLOT_H, LEFT, BOTTOM, TOP = 26, 8, 160, 44, 34, 10


def stacked_columns(title: str, xs: list[str], series: dict[str, dict[str, float]], *,
                    colours: dict[str, str] | None = None, unit: str = "") -> SafeString:
    """A column per ``xs`` value, stacked by the keys of ``series`` ({category: {x: value}});
    a legend below. Empty categories are left out; an empty chart says so."""
    series = {name: values for name, values in series.items() if any(values.values())}
    if not xs or not series:
        return mark_safe(f'<p class="gb-empty">{escape(title)}: no data yet.</p>')
    colours = {**{name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}, **(colours or {})}
    totals = [sum(values.get(x, 0) for values in series.values()) for x in xs]
    top = max(totals) or 1
    width = LEFT + len(xs) * (COL_W + COL_GAP) + 10
    legend_y = TOP + PLOT_H + BOTTOM
    height = legend_y + 18 * ((len(series) + 3) // 4) + 4
    parts = [_svg_open(title, max(width, 420), height),
             f'<text x="0" y="{TOP + 8}" font-size="11">{escape(_number(top))}{escape(unit)}</text>',
             f'<text x="0" y="{TOP + PLOT_H}" font-size="11">0</text>',
             f'<line x1="{LEFT - 4}" y1="{TOP + PLOT_H}" x2="{width}" y2="{TOP + PLOT_H}" stroke="#b0bec5"/>']
    for i, x in enumerate(xs):
        left = LEFT + i * (COL_W + COL_GAP)
        base = TOP + PLOT_H
        for name, values in series.items():
            value = values.get(x, 0)
            if not value:
                continue
            h = value / top * PLOT_H
            base -= h
            parts.append(f'<rect class="gb-segment" data-series="{escape(name)}" data-x="{escape(x)}" x="{left}" '
                         f'y="{base:.1f}" width="{COL_W}" height="{h:.1f}" fill="{colours[name]}">'
                         f'<title>{escape(x)} · {escape(name)}: {escape(_number(value))}{escape(unit)}</title></rect>')
        parts.append(_x_label(i, xs, left))
    for i, name in enumerate(series):
        lx, ly = (i % 4) * 130, legend_y + (i // 4) * 18
        parts.append(f'<rect x="{lx}" y="{ly - 10}" width="10" height="10" fill="{colours[name]}"/>'
                     f'<text x="{lx + 14}" y="{ly}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def bars(title: str, rows: list[tuple[str, float, str]]) -> SafeString:
    """One horizontal bar per ``(label, value, text)`` row, scaled to the largest value."""
    if not rows:
        return mark_safe(f'<p class="gb-empty">{escape(title)}: no data yet.</p>')
    top = max(value for _, value, _ in rows) or 1
    height = len(rows) * 22 + 4
    parts = [_svg_open(title, 640, height)]
    for i, (label, value, text) in enumerate(rows):
        y = i * 22
        w = value / top * 300
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{escape(label[:34])}</text>'
                     f'<rect class="gb-bar" x="230" y="{y + 3}" width="{w:.1f}" height="16">'
                     f'<title>{escape(label)}: {escape(text)}</title></rect>'
                     f'<text x="{235 + w:.1f}" y="{y + 15}" font-size="12">{escape(text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def budget_columns(title: str, xs: list[str], spent: dict[str, float], limit: float) -> SafeString:
    """A column per day of ``xs`` for the dollars ``spent`` that day, a dashed line at the daily
    ``limit``; columns over it are red (``gb-over``). The axes are named (day; dollars spent)."""
    top = max([limit, *spent.values()]) * 1.1 or 1
    width = max(LEFT + len(xs) * (COL_W + COL_GAP) + 90, 420)
    base, height = TOP + PLOT_H, TOP + PLOT_H + BOTTOM + 14
    limit_y = base - limit / top * PLOT_H
    parts = [_svg_open(title, width, height, css="gb-budget"),
             f'<text class="gb-axis-name" x="0" y="{TOP - 1}" font-size="11">dollars spent</text>',
             f'<text x="0" y="{TOP + 12}" font-size="11">{escape(_number(top))} $</text>',
             f'<text x="0" y="{base}" font-size="11">0</text>',
             f'<line x1="{LEFT - 4}" y1="{base}" x2="{width - 80}" y2="{base}" stroke="#b0bec5"/>',
             f'<text class="gb-axis-name" x="{width - 76}" y="{base + 4}" font-size="11">day</text>']
    for i, x in enumerate(xs):
        left = LEFT + i * (COL_W + COL_GAP)
        value = float(spent.get(x, 0))
        if value:
            h = value / top * PLOT_H
            over = value > limit
            parts.append(f'<rect class="gb-segment{" gb-over" if over else ""}" data-x="{escape(x)}" x="{left}" '
                         f'y="{base - h:.1f}" width="{COL_W}" height="{h:.1f}" fill="{"#c62828" if over else PALETTE[0]}">'
                         f'<title>{escape(x)}: {escape(_number(value))} $ of {escape(_number(limit))} $'
                         f'{" (over the budget)" if over else ""}</title></rect>')
        parts.append(_x_label(i, xs, left))
    parts.append(f'<line class="gb-limit" x1="{LEFT - 4}" y1="{limit_y:.1f}" x2="{width - 80}" y2="{limit_y:.1f}" '
                 f'stroke="#c62828" stroke-dasharray="5 3"><title>daily budget: {escape(_number(limit))} $</title></line>'
                 f'<text x="{width - 76}" y="{limit_y + 4:.1f}" font-size="11" fill="#c62828">budget '
                 f'{escape(_number(limit))} $</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()


def _svg_open(title: str, width: int, height: int, *, css: str = "") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="gb-chart{" " + css if css else ""}" role="img" '
            f'aria-label="{escape(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}">')


def _x_label(i: int, xs: list[str], left: float) -> str:
    """The day under column ``i`` (about seven labels a chart, and the last), else nothing."""
    if i % max(1, len(xs) // 7) == 0 or i == len(xs) - 1:
        return f'<text x="{left}" y="{TOP + PLOT_H + 14}" font-size="10">{escape(xs[i][-5:])}</text>'
    return ""


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.4g}"
