"""The command line: parse options, call the library, map problems to exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from plandocs import LANGUAGES, __version__


def _split_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from plandocs.writers import FORMATS

    names = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return names


@click.group()
@click.version_option(__version__, prog_name="plandocs")
def main() -> None:
    """plandocs: bilingual Word and PDF documents from plan content."""


@main.command()
@click.option(
    "--lang",
    type=click.Choice([*LANGUAGES, "all"]),
    default="all",
    show_default=True,
    help="Which language to build.",
)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,html",
    show_default=True,
    callback=_split_formats,
    help="Comma-separated output formats.",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The project folder (holding plandocs.yaml).",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def build(lang: str, formats: tuple[str, ...], project: Path, paths: tuple[Path, ...]) -> None:
    """Build documents (all, or those under PATHS) into build/<lang>/."""
    from plandocs.build import build as run_build
    from plandocs.report import Reporter

    reporter = Reporter()
    langs = LANGUAGES if lang == "all" else (lang,)
    report = run_build(project, langs, formats, paths, on_event=reporter.event)
    reporter.finish(report)
    raise SystemExit(0 if report.ok else 1)
