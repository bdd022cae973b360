"""Draw the sample project's picture with Pillow: the ministry's logo (a simple emblem
made for the sample, not the real one). It carries no words, so one picture serves both
languages. (The Renstra's poverty-rate figure is drawn from plan.yaml's facts by
plandocs itself: a ```{chart} bar``` block.)

    .venv/bin/python tools/sample_images.py      # rewrites the PNG files

The PNG files are committed; run this only to change them.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
LOGO = ROOT / "assets" / "logo.png"

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


def main() -> None:
    LOGO.parent.mkdir(parents=True, exist_ok=True)
    logo().save(LOGO, optimize=True)
    print(f"wrote {LOGO.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
