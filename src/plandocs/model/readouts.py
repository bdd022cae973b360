"""Finding and loading meeting readouts: ``content/readouts/<slug>/``."""

from __future__ import annotations

from pathlib import Path

from plandocs import LANGUAGES
from plandocs.content.folders import warn_ignored
from plandocs.content.prose import Lang, Prose, load_prose
from plandocs.content.validate import validate
from plandocs.content.yamlfile import parse_yaml
from plandocs.errors import ContentError
from plandocs.model.readout import Readout, ReadoutFacts
from plandocs.safety.paths import present
from plandocs.safety.reader import read_text

FACTS_FILE = "readout.yaml"


def load_readout(folder: Path, facts_file: str = FACTS_FILE) -> Readout:
    """Load one readout folder: its facts and whichever language files it has."""
    facts_path = folder / facts_file
    if not present(facts_path):
        raise ContentError(
            f"no {facts_file} in this readout folder; add one with at least `city` and `date`",
            folder,
        )
    known = (facts_file, *(f"{lang}.md" for lang in LANGUAGES))
    warn_ignored(folder, known, f"a readout reads `{facts_file}`, `id.md` and `en.md`")
    doc = parse_yaml(read_text(facts_path, "YAML file"), facts_path)
    facts = validate(doc, ReadoutFacts)
    prose: dict[str, Prose] = {}
    errors: dict[str, ContentError] = {}
    lang: Lang
    for lang in LANGUAGES:  # type: ignore[assignment]
        path = folder / f"{lang}.md"
        if present(path):
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
