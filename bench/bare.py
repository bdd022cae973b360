"""The baseline work for a set of rendered HTML documents: WeasyPrint's PDF and a naive
python-docx DOCX of each, one after another, with nothing of plandocs around them.

    python bench/bare.py OUT_DIR FILE.html [FILE.html …]
"""

from __future__ import annotations

import sys
from pathlib import Path


def naive_docx(html: str, target: Path) -> None:
    """The straightforward python-docx build: a paragraph per block, a table per table."""
    import docx
    from lxml import html as lxml_html

    tree = lxml_html.document_fromstring(html)
    document = docx.Document()
    styles = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "li": "List Bullet"}
    for el in tree.body.iter("p", "h1", "h2", "h3", "li", "table"):
        if el.tag == "table":
            rows = el.findall(".//tr")
            width = max(len(r.findall("td") + r.findall("th")) for r in rows)
            table = document.add_table(rows=0, cols=width)
            for tr in rows:
                cells = table.add_row().cells
                for cell, td in zip(cells, tr.findall("td") + tr.findall("th"), strict=False):
                    cell.text = td.text_content()
        elif el.getparent() is not None and el.getparent().tag not in ("td", "th"):
            document.add_paragraph(el.text_content(), style=styles.get(el.tag, "Normal"))
    document.save(str(target))


def main() -> None:
    import weasyprint

    out = Path(sys.argv[1])
    for name in sys.argv[2:]:
        path = Path(name)
        # Relative to the project (build/<lang>/<kind>/x.html), as plandocs lays it out:
        # the same images (the letterhead's logo) in both.
        project = path.resolve().parents[3]
        html = weasyprint.HTML(string=path.read_text(encoding="utf-8"), base_url=f"{project}/")
        html.write_pdf(out / f"{path.stem}.pdf")
        naive_docx(path.read_text(encoding="utf-8"), out / f"{path.stem}.docx")


if __name__ == "__main__":
    main()
