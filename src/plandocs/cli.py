"""The command line: parse options, call the library, map problems to exit codes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from plandocs import LANGUAGES, __version__
from plandocs.writers import FORMATS


def _split_formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}"
        )
    return names


def _common(func: Any) -> Any:
    """Options shared by build and watch."""
    options = [
        click.option(
            "--lang",
            type=click.Choice([*LANGUAGES, "all"]),
            default="all",
            show_default=True,
            help="Which language to build.",
        ),
        click.option(
            "--format",
            "formats",
            default=",".join(FORMATS),
            show_default=True,
            callback=_split_formats,
            help="Comma-separated output formats.",
        ),
        click.option(
            "--project",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("."),
            help="The project folder (holding plandocs.yaml).",
        ),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(min=1),
            default=None,
            help="Documents built at once, in separate processes  [default: the number of cores]",
        ),
        click.option("--draft", is_flag=True, help="Stamp every page as a draft."),
        click.option(
            "--pdfa", is_flag=True, help="Write PDF/A-3b for the archive (also `pdf.archive`)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _langs(lang: str) -> tuple[str, ...]:
    return LANGUAGES if lang == "all" else (lang,)


@click.group()
@click.version_option(__version__, prog_name="plandocs")
def main() -> None:
    """plandocs: bilingual Word and PDF documents from plan content."""


@main.command()
@_common
@click.option("--force", is_flag=True, help="Rebuild everything, changed or not.")
@click.option("--explain", is_flag=True, help="Say why each output is rebuilt.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def build(
    lang: str,
    formats: tuple[str, ...],
    project: Path,
    jobs: int | None,
    draft: bool,
    pdfa: bool,
    force: bool,
    explain: bool,
    paths: tuple[Path, ...],
) -> None:
    """Build what changed (all documents, or those under PATHS) into build/<lang>/."""
    from plandocs.build import build as run_build
    from plandocs.report import Reporter

    reporter = Reporter(explain=explain)
    try:
        report = run_build(
            project,
            _langs(lang),
            formats,
            paths,
            on_event=reporter.event,
            force=force,
            jobs=jobs or os.cpu_count() or 1,
            draft=draft,
            pdfa=pdfa,
        )
    except KeyboardInterrupt:
        reporter.interrupted()
        raise SystemExit(130) from None
    reporter.finish(report)
    raise SystemExit(0 if report.ok else 1)


@main.command()
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The project folder (holding plandocs.yaml).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--report", is_flag=True, help="Also print translation coverage per document.")
def check(project: Path, strict: bool, report: bool) -> None:
    """Validate the whole project without writing documents."""
    from plandocs.check import check_project
    from plandocs.report import print_check

    result = check_project(project)
    print_check(project, result, report)
    failed = result.errors or (strict and result.warnings)
    raise SystemExit(1 if failed else 0)


@main.command()
@_common
def watch(
    lang: str, formats: tuple[str, ...], project: Path, jobs: int | None, draft: bool, pdfa: bool
) -> None:
    """Build, then rebuild on every change until interrupted (Ctrl-C)."""
    from plandocs.watch import watch_project

    watch_project(
        project,
        _langs(lang),
        formats,
        jobs=jobs or os.cpu_count() or 1,
        draft=draft,
        pdfa=pdfa,
        echo=click.echo,
    )
