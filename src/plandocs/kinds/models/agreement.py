"""The ``agreement`` model: a Perjanjian Kinerja (PK), ``content/pk/<slug>/pk.yaml``.

Its facts (:class:`plandocs.model.agreement.AgreementFacts`) name the Renstra and the
year; the Renstra is loaded through the pipeline (its plan.yaml and data tables become
inputs of the PK) and every indicator, target and budget is drawn from it, checked by the
cascade rules of :func:`plandocs.model.agreement.resolve`. The templates get ``pk``: the
parties, the indicators grouped by the target they measure, the budgets and their total
(:func:`plandocs.kinds.cycle.agreement_view`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.content.folders import warn_ignored
from plandocs.content.validate import validate
from plandocs.content.yamlfile import YamlDoc, parse_yaml
from plandocs.errors import ContentError, ContentErrors
from plandocs.kinds.cycle import agreement_view, languages, renstra_named
from plandocs.kinds.letterhead import letterhead, logo, logo_files
from plandocs.kinds.origins import agreement_origins
from plandocs.kinds.parts import part_digests, part_input
from plandocs.kinds.spec import KindSpec
from plandocs.kinds.templates import kind_env
from plandocs.model.agreement import Agreement, AgreementFacts, resolve
from plandocs.model.document import Origin, SingleDocument
from plandocs.model.renstra import Renstra
from plandocs.project import Project
from plandocs.render.env import document_scope
from plandocs.render.page import (
    RenderedDocument,
    document_context,
    draft_stamp,
    render_page,
    render_text,
)
from plandocs.render.sandbox import freeze
from plandocs.safety.paths import present
from plandocs.safety.reader import read_bytes, read_text

SHAPES = frozenset({"single"})


@dataclass
class AgreementDocument(SingleDocument):
    """A PK, resolved against its Renstra."""

    slug: str
    folder: Path
    doc: YamlDoc
    agreement: Agreement
    renstra: Renstra
    project_languages: tuple[str, ...] = ("id", "en")
    kind_files: tuple[Path, ...] = field(default_factory=tuple)

    rows: dict[Path, dict[str, str]] = field(default_factory=dict)
    """Per table of the Renstra split by rows: the digest of each committed indicator's
    row, which stands in for the whole table (:meth:`row_inputs`)."""

    @property
    def facts(self) -> AgreementFacts:
        return self.agreement.facts

    def fact_files(self) -> list[Path]:
        """Its own facts and the Renstra's — of the Renstra's targets tables only those
        its targets come from, and not one it depends on by rows: what a report on this
        PK is made from."""
        year = self.facts.year
        tables = {p.path for p in self.renstra.target_at.values()} - {self.renstra.doc.path}
        used = {self.renstra.target_at[(c.code, year)].path for c in self.agreement.committed}
        return [
            self.doc.path,
            *(
                p
                for p in self.renstra.fact_files()
                if p not in self.rows and (p not in tables or p in used)
            ),
        ]

    def row_inputs(self, rel: Callable[[Path], str]) -> dict[str, str]:
        """The rows of the Renstra's targets table this PK shows, in place of the table:
        editing another indicator's targets there does not rebuild it."""
        return {
            part_input(rel(Path(os.path.realpath(path))), "code", code): digest
            for path, rows in self.rows.items()
            for code, digest in rows.items()
        }

    def sources(self, lang: str) -> list[Path]:
        return [*self.fact_files(), *self.kind_files]

    def languages(self) -> list[str]:
        return languages(self.facts.single_language, self.project_languages)

    def language_error(self, lang: str) -> ContentError | None:
        return None

    def prose_files(self) -> dict[str, list[Any]]:
        return {}

    def single_language(self) -> str | None:
        return self.facts.single_language

    def fact_expressions(self) -> dict[str, str]:
        return {}

    def indicator_values(self) -> dict[str, set[str]]:
        return {}

    def view(self, lang: str) -> dict[str, Any]:
        return agreement_view(self.agreement, self.renstra, self.slug, lang)


def load(project: Project, spec: KindSpec, folder: Path) -> AgreementDocument:
    """The PK in ``folder``, resolved against the Renstra it names; every problem of the
    cascade (an unknown indicator, a target that differs without a revision, budgets
    that do not add up) at its line, all at once."""
    path = folder / spec.facts
    if not present(path):
        raise ContentError(
            f"no {spec.facts} in this folder; a performance agreement starts from it "
            f"(`plandocs new {spec.name} <name>` makes one from the kind's example)",
            folder,
        )
    warn_ignored(folder, (spec.facts,), f"a performance agreement reads only {spec.facts}")
    doc = parse_yaml(read_text(path, "YAML file"), path)
    facts = validate(doc, AgreementFacts, {"number_style": project.settings.number_style})
    renstra = renstra_named(facts.renstra, doc)
    agreement, errors = resolve(
        facts,
        doc,
        renstra.plan,
        renstra.target_at,
        f"content/renstra/{facts.renstra}",
        renstra.folder,
    )
    if errors:
        raise ContentErrors(errors)
    return AgreementDocument(
        folder.name, folder, doc, agreement, renstra, tuple(project.settings.languages),
        spec.files, _rows(agreement, renstra),
    )  # fmt: skip


def _rows(agreement: Agreement, renstra: Renstra) -> dict[Path, dict[str, str]]:
    """The digests of the rows of a CSV targets table the PK's targets come from (a
    workbook, or a table the quick reading cannot split, stays a whole input)."""
    found: dict[Path, dict[str, str]] = {}
    year = agreement.facts.year
    for item in agreement.committed:
        place = renstra.target_at.get((item.code, year))
        path = place.path if place is not None else None
        if path is None or path == renstra.doc.path or path.suffix.lower() != ".csv":
            continue
        if path not in found:
            found[path] = part_digests(read_bytes(path, "data file"), path.suffix, "code")
        if item.code not in found[path]:
            return {}
    return {
        path: {c.code: rows[c.code] for c in agreement.committed if c.code in rows}
        for path, rows in found.items()
    }


load_facts = load
"""A report that refers to the PK needs all of it: it has no prose to leave unread."""


def origins(document: AgreementDocument, lang: str) -> list[Origin]:
    """Where each value the PK prints in ``lang`` is written (for ``plandocs review``)."""
    return agreement_origins(document.agreement, document.renstra, lang)


def render(
    project: Project, spec: KindSpec, document: AgreementDocument, lang: str, draft: bool = False
) -> RenderedDocument:
    """The PK in ``lang``: the statement page, the signatures, the annex."""
    with document_scope(project.settings, lang, document.doc.path):
        return _render(project, spec, document, lang, draft)


def _render(
    project: Project, spec: KindSpec, document: AgreementDocument, lang: str, draft: bool
) -> RenderedDocument:
    env, settings, facts = kind_env(project, spec), project.settings, document.facts
    context: dict[str, Any] = {"pk": freeze(document.view(lang))}
    stamp = draft_stamp(settings, facts.status, facts.version, draft)
    used = document_context(env, context, settings, lang, stamp, facts.date)
    org = settings.org(lang)
    context["author"] = f"{org.unit}, {org.name}"
    context["letterhead"] = freeze(letterhead(project, lang))
    context["logo"] = freeze(logo(project))
    pattern = spec.title_pattern(lang)
    title = render_text(env, pattern, context, spec.kind_file, spec.title_line).strip()
    context["title"] = context["document_title"] = title
    html, templates = render_page(env, spec.template_name(lang), context)
    return RenderedDocument(
        html=html,
        title=title,
        lang=lang,
        author=context["author"],
        source=document.doc.path,
        templates=(*templates, *used, *logo_files(project)),
        date=facts.date,
        today=stamp.date if stamp and stamp.today else None,
    )
