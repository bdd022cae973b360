"""DOCX with python-docx, built from the same HTML tree as the PDF.

Every block element is mapped onto a named Word style from the style source
(:mod:`plandocs.render.styles`), so an editor gets a normal Word document. The writer
is :class:`plandocs.writers.docx.writer.DocxWriter`; the conversion goes, lowest first:
``ooxml`` (WordprocessingML pieces), ``numbering``, ``revisions``, ``anchors``,
``template`` (the styled empty document), then the walk over the HTML tree — ``body``
(its state, paragraphs), ``inline`` (runs), ``sections`` (page kinds), ``tables``,
``convert`` (the blocks). This package module imports nothing, so a submodule never
pulls in another through it.
"""
