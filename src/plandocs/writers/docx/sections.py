"""Page kinds onto Word sections: orientation, page numbering, header and footer.

A ``<section data-page="cover|front|body|landscape">`` whose kind differs from the one
before starts a Word section with its own page numbering (none on the cover, i, ii … in
the front matter, 1, 2 … from the body) and orientation. The header carries the running
title, the footer the page number (a ``PAGE`` field) and the draft line; a draft's
watermark goes into every header once all sections exist. A reference document's own
header and footer, if it has any, are kept.
"""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_TAB_ALIGNMENT

import plandocs.writers.docx.ooxml as ooxml
from plandocs.writers.docx.inline import Fmt, Inline


class Sections(Inline):
    """Page kinds, headers and footers."""

    def start_page(self, kind: str) -> None:
        if kind == self.page_kind:
            return
        first = self.page_kind is None
        if not first:
            self.document.add_section(WD_SECTION.NEW_PAGE)
            self.section_start = True
        self.page_kind = kind
        section = self.document.sections[-1]
        landscape = kind == "landscape"
        # A section turned the other way has its own footer: its page number's right
        # tab stands at its own text width.
        sections = self.document.sections
        turned = (
            len(sections) > 1 and (sections[-2].orientation == WD_ORIENT.LANDSCAPE) != landscape
        )
        short, long_ = sorted((section.page_width, section.page_height))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
        if kind == "cover":
            section.header.is_linked_to_previous = False
            section.footer.is_linked_to_previous = False
            ooxml.page_number_format(section, "decimal", None)
        elif kind == "front":
            self.own_header_footer(section)
            ooxml.page_number_format(section, "lowerRoman", 1)
        elif kind == "body":
            if first or turned:
                self.own_header_footer(section)
            ooxml.page_number_format(section, "decimal", 1)
        else:
            if first or turned:
                self.own_header_footer(section)
            ooxml.page_number_format(section, "decimal", None)

    def own_header_footer(self, section: Any) -> None:
        """A header with the running title and a footer with the page number at its
        right end (a right tab stop), so the draft line stands at its left on the same
        line, each in its own place, as in the PDF.

        With a reference document its own header and footer are kept instead, if it
        has any.
        """
        if self.keep_page_setup and self.reference_header_footer:
            return
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        head = section.header.paragraphs[0]
        head._p.style = self.style_id("Header")
        if self.header_text:
            self.run(head, self.header_text, Fmt())
        foot = section.footer.paragraphs[0]
        foot._p.style = self.style_id("Footer")
        width = ooxml.text_width(section)
        foot.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
        self.run(foot, "\t", Fmt())
        ooxml.field_runs(foot, "PAGE", "1", self.word_lang)

    def finish(self) -> None:
        """Footers and stamps that go on every page, once all sections exist."""
        if self.page_kind is None:
            section = self.document.sections[0]
            if not section.footer.paragraphs[0].text:
                self.own_header_footer(section)
        if self.draft_mark or self.draft_line:
            for index, section in enumerate(self.document.sections):
                # A linked header shows its predecessor's, stamp included.
                if index > 0 and section.header.is_linked_to_previous:
                    continue
                section.header.is_linked_to_previous = False
                section.footer.is_linked_to_previous = False
                if self.draft_mark:
                    ooxml.watermark(section.header, self.draft_mark, index + 1)
                if self.draft_line:
                    self.draft_footer(section.footer)

    def draft_footer(self, footer: Any) -> None:
        """The draft line at the left of the footer's line (before the page number's
        tab); in a reference document's footer, a line of its own."""
        foot = footer.paragraphs[0]
        if self.keep_page_setup and self.reference_header_footer:
            foot = footer.add_paragraph()
        foot._p.style = self.style_id("Footer")
        run = self.run(foot, self.draft_line, Fmt())
        p_pr = foot._p.pPr
        if p_pr is not None:
            p_pr.addnext(run._r)
        else:
            foot._p.insert(0, run._r)
