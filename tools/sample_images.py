"""Draw the sample project's pictures with Pillow: the ministry's logo (a simple
emblem made for the sample, not the real one) and the poverty-rate chart of the
Renstra's first chapter. Both carry no words, so one picture serves both languages.

    .venv/bin/python tools/sample_images.py      # rewrites the PNG files

The PNG files are committed; run this only to change them.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
LOGO = ROOT / "assets" / "logo.png"
CHART = ROOT / "content" / "renstra" / "kemensos-2025-2029" / "figures" / "poverty-rate.png"

NAVY = (20, 45, 100, 255)
GOLD = (212, 160, 23, 255)
WHITE = (255, 255, 255, 255)
SCALE = 4  # drawn four times larger, then scaled down: smooth edges


def star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def logo(size: int = 480) -> Image.Image:
    """A round emblem: a navy disc in a gold ring, a white star over two gold arcs (open
    hands holding the star: protection and welfare)."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = big / 2
    draw.ellipse((0, 0, big - 1, big - 1), fill=GOLD)
    ring = big * 0.045
    draw.ellipse((ring, ring, big - ring, big - ring), fill=NAVY)
    inner = big * 0.09
    draw.ellipse((inner, inner, big - inner, big - inner), outline=GOLD, width=int(big * 0.012))
    draw.polygon(star(c, c * 0.9, big * 0.17, big * 0.07), fill=WHITE)
    width = int(big * 0.04)
    for inset in (0.2, 0.27):
        box = (big * inset, big * (inset - 0.08), big * (1 - inset), big * (0.98 - inset))
        draw.arc(box, start=15, end=165, fill=GOLD, width=width)
    return image.resize((size, size), Image.Resampling.LANCZOS)


POVERTY = {2019: 9.41, 2020: 9.78, 2021: 10.14, 2022: 9.54, 2023: 9.36, 2024: 9.03}
"""Poverty rate (percent of the population), March of each year (BPS)."""


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        if Path(name).is_file():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def chart(width: int = 1500, height: int = 750) -> Image.Image:
    """Bars per year on a grid of whole percents; the years and the grid's whole
    numbers read the same in Indonesian and English."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 110, width - 40, 40, height - 90
    top_value = 12
    label = font(34)
    for value in range(0, top_value + 1, 2):
        y = bottom - (bottom - top) * value / top_value
        draw.line((left, y, right, y), fill=(200, 200, 200), width=2)
        text = str(value)
        draw.text((left - 20, y), text, fill="black", font=label, anchor="rm")
    step = (right - left) / len(POVERTY)
    for index, (year, rate) in enumerate(POVERTY.items()):
        x0 = left + index * step + step * 0.2
        x1 = left + (index + 1) * step - step * 0.2
        y = bottom - (bottom - top) * rate / top_value
        draw.rectangle((x0, y, x1, bottom), fill=NAVY[:3] if year < 2024 else GOLD[:3])
        draw.text(((x0 + x1) / 2, bottom + 20), str(year), fill="black", font=label, anchor="mt")
    draw.line((left, bottom, right, bottom), fill="black", width=3)
    return image


def main() -> None:
    LOGO.parent.mkdir(parents=True, exist_ok=True)
    logo().save(LOGO, optimize=True)
    CHART.parent.mkdir(parents=True, exist_ok=True)
    chart().save(CHART, optimize=True, dpi=(200, 200))
    print(f"wrote {LOGO.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
