"""A CJK font the project brings itself (the mplfonts package), so charts never show boxes."""

from __future__ import annotations

from functools import cache
from importlib import resources

import matplotlib
from matplotlib import font_manager

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def use_cjk_font() -> str:
    """Register the packaged Noto Sans CJK SC with matplotlib and make it the default; its name."""
    path = resources.files("mplfonts").joinpath("fonts", FONT_FILE)
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [name]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
