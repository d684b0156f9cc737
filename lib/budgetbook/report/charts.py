"""Charts for the reports, drawn with the project's own CJK font.

Every chart is a `data.Chart`: one year and one basis, named in its title. Bars are horizontal
and sorted, labels wrapped rather than cut; a chart with nothing to draw (or whose parts are not
the whole) is the sentence that says so, never an empty axis.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: notebooks embed the PNGs, nothing opens a window

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from budgetbook.report.data import Chart
from budgetbook.report.fonts import use_cjk_font
from budgetbook.report.present import cell_text

WIDTH = 8.0
LABEL_WIDTH = 30  # display columns (a CJK character counts two) before a label wraps


def _figure(rows: int) -> tuple[Figure, plt.Axes]:
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.2, 0.38 * rows + 1.3)))
    return fig, ax


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """A long name on several lines (CJK counted two wide), never cut."""
    lines, line, used = [], "", 0
    for ch in str(text):
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    lines.append(line)
    return "\n".join(lines)


def bars(chart: Chart) -> Figure | None:
    """Horizontal bars, largest on top, each labelled with its value; None when there is nothing to draw."""
    series = chart.series.dropna()
    if chart.note or series.empty or not series.abs().sum():
        return None
    series = series.sort_values()
    kind = "percent" if chart.unit == "%" else "money"
    labels = [wrap_label(str(i)) for i in series.index]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, ax = _figure(max(len(series), int(lines * 0.8)))
    ax.barh(range(len(series)), series.values, color="#4472C4")
    ax.set_yticks(range(len(series)), labels, fontsize=9)
    for y, v in enumerate(series.values):
        ax.text(v, y, f" {cell_text(v, kind)}", va="center", ha="left" if v >= 0 else "right", fontsize=8.5)
    ax.set_title(chart.title, fontsize=12, loc="left")
    ax.set_xlabel(chart.unit)
    ax.margins(x=0.22)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def split(chart: Chart) -> Figure | None:
    """Parts of a whole as one stacked bar with their shares; only when the parts are the whole."""
    series = chart.series.dropna()
    if chart.note or series.empty or series.sum() <= 0 or (series < 0).any():
        return None
    fig, ax = _figure(1)
    left, total = 0.0, series.sum()
    colors = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47"]
    for (name, value), color in zip(series.items(), colors, strict=False):
        share = value / total * 100
        ax.barh([0], [value], left=left, color=color, label=f"{name} {cell_text(value, 'money')}万元（{share:.2f}%）")
        left += value
    ax.set_yticks([])
    ax.set_xlabel(chart.unit)
    ax.set_title(chart.title, fontsize=12, loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncols=2, fontsize=9, frameon=False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def image(chart: Chart, draw=bars):
    """A chart for the notebook: a figure with its title as caption, or its sentence when there is nothing to draw."""
    import base64
    import io

    from IPython.display import HTML

    from budgetbook.report.escape import html_text
    from budgetbook.report.present import note_html

    fig = draw(chart)
    if fig is None:
        return HTML(note_html(chart.note or f"{chart.title}：文件未载明相关数据，未绘图。"))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    title = html_text(chart.title)
    return HTML(
        f"<figure class='bb-chart' style='margin:.5em 0 1.5em'><figcaption style='font-weight:bold'>{title}"
        f"</figcaption><img alt='{title}' style='max-width:100%' src='data:image/png;base64,{data}'/></figure>"
    )
