"""What every assignment's feedback pictures share: matplotlib's Agg backend, the Korean font, and
PNG bytes without a date or version in them (the same answers always give the same file).

An assignment draws its own pictures in `solutions/<assignment>/plots.py` (`figure_png(data, lang)`,
given a submission's results JSON); an assignment without one gets no picture.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

KOREAN_FONT = "NanumGothic"  # Debian's fonts-nanum; without it the plots are labelled in English only

__all__ = ["KOREAN_FONT", "has_korean_font", "plt", "png_bytes"]


@functools.cache
def has_korean_font() -> bool:
    """NanumGothic known to matplotlib; a font installed after matplotlib built its cache is added here."""
    if any(font.name == KOREAN_FONT for font in font_manager.fontManager.ttflist):
        return True
    for path in font_manager.findSystemFonts():
        if Path(path).name == f"{KOREAN_FONT}.ttf":
            font_manager.fontManager.addfont(path)
            return True
    return False


def png_bytes(figure: Any) -> bytes:
    """The figure as PNG bytes (no Software metadata), then closed."""
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
