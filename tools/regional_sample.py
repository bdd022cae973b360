"""Write the sample regional target sheets' table (content/regional/…/data/targets.csv).

Plausible, not real, figures for four indicators of the sample Renstra in each of the
38 provinces, varied about the national figures with a fixed seed, so the file is the
same on every run. Past 38 regions (the bench's 514 regencies and cities), the regions
are made-up regencies of the provinces in turn (``32.01``, ``32.02`` …), with the same
kind of figures. Usage: python tools/regional_sample.py [N_REGIONS] [DEST.csv]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

PROVINCES = [
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"),
    ("15", "Jambi"), ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"), ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"), ("33", "Jawa Tengah"), ("34", "Daerah Istimewa Yogyakarta"),
    ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"), ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"), ("75", "Gorontalo"), ("76", "Sulawesi Barat"),
    ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua"), ("92", "Papua Barat"),
    ("93", "Papua Selatan"), ("94", "Papua Tengah"), ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
]  # fmt: skip
"""The 38 provinces with their Kemendagri codes (since 2022)."""
EAST = {"53", "81", "82", "91", "92", "93", "94", "95", "96"}
YEARS = range(2024, 2030)


def regions(count: int) -> list[tuple[str, str]]:
    """``count`` regions with their codes and names: the provinces, or as many made-up
    regencies of them (``32.01 Kabupaten Jawa Barat 1``) when more are asked for."""
    if count <= len(PROVINCES):
        return PROVINCES[:count]
    out = []
    for number in range(count):
        code, name = PROVINCES[number % len(PROVINCES)]
        seq = number // len(PROVINCES) + 1
        out.append((f"{code}.{seq:02d}", f"Kabupaten {name} {seq}"))
    return out


def rows(count: int) -> list[list[str]]:
    rng = random.Random(2025)
    out = [["region", "code", *map(str, YEARS)]]
    for code, _ in regions(count):
        east = code[:2] in EAST
        # Extreme poverty rate (percent): higher in the east, to zero by 2029.
        base = round(rng.uniform(2.5, 6.5) if east else rng.uniform(0.1, 1.6), 2)
        poverty = [base * f for f in (1, 0.72, 0.48, 0.25, 0.11, 0)]
        # Graduation to self-reliance (percent).
        grad0 = round(rng.uniform(5, 12), 1)
        step = rng.choice((1.5, 2, 2.5))
        graduation = [grad0 + i * step for i in range(6)]
        # Districts and cities with elderly- and disability-friendly services (percent).
        friendly0 = round(rng.uniform(8, 40), 1)
        step = rng.choice((8, 9, 10))
        friendly = [min(100.0, friendly0 + i * step) for i in range(6)]
        # Active disaster-preparedness villages (count).
        villages0 = rng.randint(12, 48)
        more = rng.randint(3, 5)
        villages = [villages0 + i * more for i in range(6)]
        for indicator, values, digits in (
            ("IKSS 1.1", poverty, 2),
            ("IKSS 1.2", graduation, 1),
            ("IKSS 2.2", friendly, 1),
            ("IKSS 3.2", villages, 0),
        ):
            out.append([code, indicator, *(f"{v:.{digits}f}" for v in values)])
    return out


def regions_yaml(count: int) -> str:
    return "".join(f'  - {{code: "{c}", name: {n}}}\n' for c, n in regions(count))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else len(PROVINCES)
    dest = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    text = "".join(",".join(row) + "\n" for row in rows(count))
    if dest is None:
        sys.stdout.write(text)
    else:
        dest.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
