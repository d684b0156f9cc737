"""Charts for the reports, drawn with the project's own CJK font."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # headless: notebooks embed the PNGs, nothing opens a window

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from budgetbook.report.fonts import use_cjk_font

WIDTH = 7.5


def _figure(rows: int = 1) -> tuple[Figure, plt.Axes]:
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(WIDTH, max(2.6, 0.42 * rows + 1.2)))
    return fig, ax


def bars(series: pd.Series, title: str, unit: str = "万元") -> Figure | None:
    """Horizontal bars, largest on top, each labelled with its value."""
    series = series.dropna()
    if series.empty:
        return None
    series = series.sort_values()
    fig, ax = _figure(len(series))
    ax.barh([str(i) for i in series.index], series.values, color="#4472C4")
    for y, v in enumerate(series.values):
        ax.text(v, y, f" {v:,.2f}", va="center", fontsize=9)
    ax.set_title(title)
    ax.set_xlabel(unit)
    ax.margins(x=0.2)
    fig.tight_layout()
    plt.close(fig)
    return fig


def grouped(table: pd.DataFrame, title: str, unit: str = "万元") -> Figure | None:
    """Grouped bars: one group per row (a year), one bar per column (a component)."""
    table = table.dropna(how="all")
    if table.empty:
        return None
    fig, ax = _figure(6)
    table.plot.bar(ax=ax, rot=0, width=0.8)
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.set_xlabel("")
    ax.legend(fontsize=8, ncols=2)
    fig.tight_layout()
    plt.close(fig)
    return fig


def split(series: pd.Series, title: str) -> Figure | None:
    """Two or more parts of a whole as one stacked bar with shares."""
    series = series.dropna()
    if series.empty or series.sum() <= 0:
        return None
    fig, ax = _figure(1)
    left = 0.0
    for (name, value), color in zip(series.items(), ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000"], strict=False):
        ax.barh([0], [value], left=left, color=color, label=f"{name} {value:,.2f}万元（{value / series.sum():.1%}）")
        left += value
    ax.set_yticks([])
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def image(fig: Figure | None):
    """A chart as an inline PNG for the notebook (a note when there was nothing to draw)."""
    import io

    from IPython.display import Image, Markdown

    if fig is None:
        return Markdown("*（文件未载明相关数据，未绘图）*")

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return Image(data=buffer.getvalue(), format="png")
