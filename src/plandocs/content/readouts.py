"""Finding and loading meeting readouts: ``content/readouts/<slug>/``."""

from __future__ import annotations

from pathlib import Path

from plandocs import LANGUAGES
from plandocs.content.prose import load_prose
from plandocs.content.validate import validate
from plandocs.content.yamlfile import load_yaml
from plandocs.errors import ContentError
from plandocs.model import Lang, Prose, Readout, ReadoutFacts

FACTS_FILE = "readout.yaml"


def load_readout(folder: Path) -> Readout:
    """Load one readout folder: its facts and whichever language files it has."""
    facts_path = folder / FACTS_FILE
    if not facts_path.is_file():
        raise ContentError(
            f"no {FACTS_FILE} in this readout folder; add one with at least `city` and `date`",
            folder,
        )
    doc = load_yaml(facts_path)
    facts = validate(doc, ReadoutFacts)
    prose: dict[str, Prose] = {}
    errors: dict[str, ContentError] = {}
    lang: Lang
    for lang in LANGUAGES:  # type: ignore[assignment]
        path = folder / f"{lang}.md"
        if path.is_file():
            try:
                prose[lang] = load_prose(path, lang)
            except ContentError as exc:
                errors[lang] = exc
    if not prose and not errors:
        raise ContentError(
            "this readout has no prose; add id.md and/or en.md beside readout.yaml", folder
        )
    return Readout(
        slug=folder.name,
        folder=folder,
        facts=facts,
        facts_doc=doc,
        prose=prose,
        prose_errors=errors,
    )
