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


FONT_FAMILY = "BudgetbookCJK"


def font_path() -> str:
    return str(resources.files("mplfonts").joinpath("fonts", FONT_FILE))


def embedded_font_css(text: str) -> str:
    """A <style> with the packaged font cut down to the CJK characters of `text`, as a data URL.

    HTML reports then read the same on machines without Chinese fonts (servers, fresh
    containers); a subset of a report's few hundred characters is some tens of KB.
    """
    import base64
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    chars = "".join(sorted({ch for ch in text if ord(ch) > 0x2E7F}))
    if not chars:
        return ""
    font = TTFont(font_path())
    options = subset.Options()
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"<style>@font-face{{font-family:'{FONT_FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');}}"
        f"body,body *{{font-family:'{FONT_FAMILY}',system-ui,sans-serif !important;}}</style>"
    )
