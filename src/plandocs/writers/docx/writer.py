"""The DOCX writer: the styled empty document of the language, the HTML walked onto it,
the source anchors, the properties, and a package with the same bytes for the same
document.

This module does not import python-docx at the top (the conversion modules do, and are
imported only when a DOCX is written), so finding the writer stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from plandocs.render.i18n import WORD_LANGS
from plandocs.render.page import RenderedDocument, created_at
from plandocs.writers.base import Writer, Written

_BASES: dict[tuple[str, str, str], bytes] = {}


class DocxWriter(Writer):
    """python-docx, from the same HTML tree as the PDF (see :mod:`plandocs.writers.docx`)."""

    name = "docx"
    suffix = ".docx"

    def _base(self, reference: Path | None, word_lang: str) -> bytes:
        """The empty, styled document every DOCX of this language starts from.

        Setting up the styles costs more than writing a readout, so it is done once
        per process, settings, language and reference document, and kept as bytes.
        """
        from plandocs.safety.reader import digest, read_bytes
        from plandocs.writers.docx.template import MAX_REFERENCE_BYTES, base_document

        data: bytes | None = None
        if reference is not None:
            # Through the project's reader: the reference is an input of every DOCX.
            data = read_bytes(reference, "Word reference document", MAX_REFERENCE_BYTES)
        key = (self.settings.model_dump_json(), word_lang, digest(data) if data else "")
        if key not in _BASES:
            document = base_document(self.settings, word_lang, data)
            buffer = io.BytesIO()
            document.save(buffer)
            _BASES[key] = buffer.getvalue()
        return _BASES[key]

    def write_to(self, doc: RenderedDocument, path: Path) -> Written:
        document = self._document(doc)
        _write_package(document, path, created_at(doc.date))
        return Written()

    def dry_run(self, doc: RenderedDocument) -> None:
        """Everything writing ``doc`` does short of the file: the converter over every
        element, and every part serialized (what ``plandocs check`` runs)."""
        for _name, _blob in _package_entries(self._document(doc)):
            pass

    def _document(self, doc: RenderedDocument) -> Any:
        import docx
        from lxml import html as lxml_html

        from plandocs.writers.docx.body import Ctx
        from plandocs.writers.docx.convert import Converter

        reference = self.project.reference_docx
        word_lang = WORD_LANGS[doc.lang]
        document = docx.Document(io.BytesIO(self._base(reference, word_lang)))
        converter = Converter(
            document,
            word_lang,
            doc.source,
            self.settings,
            self.root,
            page_labels=dict(self.options.page_labels),
            keep_page_setup=bool(reference),
        )
        tree = lxml_html.document_fromstring(doc.html)
        converter.block(tree.body, Ctx())
        converter.finish()
        if converter.anchors:
            from plandocs.writers.docx.anchors import add_part

            add_part(document, self.project.rel(doc.source), doc.lang, converter.anchors, doc.part)
        props = document.core_properties
        props.title = doc.title
        props.language = word_lang
        props.author = doc.author
        props.last_modified_by = doc.author
        props.comments = ""
        props.revision = 1
        stamp = created_at(doc.date)
        props.created = stamp
        props.modified = stamp
        return document


def _package_entries(document: Any) -> list[tuple[str, bytes]]:
    """The package's entries as python-docx would save them, in its order: the content
    types, the package's relationships, then each part and its relationships."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    entries: list[tuple[str, bytes]] = []

    class Collect:  # python-docx's physical writer, keeping the entries in memory
        def write(self, uri: Any, blob: bytes) -> None:
            entries.append((uri.membername, blob))

    PackageWriter._write_content_types_stream(Collect(), parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(Collect(), package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(Collect(), parts)  # type: ignore[arg-type]
    return entries


def _write_package(document: Any, path: Path, stamp: dt.datetime) -> None:
    """Write the package with fixed entry times, so the same document gives the same
    bytes (python-docx's own save stamps every entry with the current time)."""
    when = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, blob in _package_entries(document):
            entry = zipfile.ZipInfo(name, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, blob)
