"""The command line: parse options, call the library, map problems to exit codes."""

from __future__ import annotations

import contextlib
import functools
import os
import shlex
import sys
from collections.abc import Callable
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


def _parse_shard(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    import re

    match = re.fullmatch(r"([0-9]{1,6})/([0-9]{1,6})", value)  # ASCII digits only: not "²/³"
    if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"{value!r}; write I/N with 1 ≤ I ≤ N, e.g. 2/4")
    return int(match.group(1)), int(match.group(2))


def _common(func: Any) -> Any:
    """Options shared by build, watch and preview."""
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


def _no_traceback(func: Callable[..., Any]) -> Callable[..., Any]:
    """A bug in plandocs ends the command with one line and exit status 2, never a
    traceback (problems in the project are reported by the commands themselves)."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (SystemExit, KeyboardInterrupt, click.exceptions.ClickException):
            raise
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            from plandocs.errors import REPORT_HINT, describe

            print(
                f"plandocs: error: {type(exc).__name__}: {describe(exc)}; {REPORT_HINT}",
                file=sys.stderr,
            )
            raise SystemExit(2) from None

    return run


def _langs(lang: str) -> tuple[str, ...]:
    return LANGUAGES if lang == "all" else (lang,)


@click.group()
@click.version_option(__version__, prog_name="plandocs")
def main() -> None:
    """plandocs: bilingual Word and PDF documents from plan content."""
    # A terminal that cannot show a character (a Latin-1 console, a file name that is
    # not UTF-8) gets an escape, never an encoding traceback.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="backslashreplace")


@main.command()
@_common
@click.option("--force", is_flag=True, help="Rebuild everything, changed or not.")
@click.option("--explain", is_flag=True, help="Say why each output is rebuilt.")
@click.option(
    "--compare",
    metavar="REV",
    default=None,
    help="Also write <slug>.changes.pdf/.docx: redlines against REV, a git revision "
    "or a folder holding an earlier project or build.",
)
@click.option(
    "--shard",
    metavar="I/N",
    default=None,
    callback=_parse_shard,
    help="Build only the I-th of N fixed parts of the documents (1 ≤ I ≤ N), for a batch "
    "spread over machines; each shard keeps its own manifest part.",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_no_traceback
def build(
    lang: str,
    formats: tuple[str, ...],
    project: Path,
    jobs: int | None,
    draft: bool,
    pdfa: bool,
    force: bool,
    explain: bool,
    compare: str | None,
    shard: tuple[int, int] | None,
    paths: tuple[Path, ...],
) -> None:
    """Build what changed (all documents, or those under PATHS) into build/<lang>/."""
    from plandocs.build.run import build as run_build
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
            shard=shard,
        )
        if compare is not None and report.ok:
            _compare(project, compare, _langs(lang), formats, paths, draft, reporter, report)
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
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_no_traceback
def check(project: Path, strict: bool, report: bool, paths: tuple[Path, ...]) -> None:
    """Validate the whole project (or the documents under PATHS) without writing documents."""
    from plandocs.check.project import check_project
    from plandocs.report import print_check

    result = check_project(project, paths)
    print_check(project, result, report)
    failed = result.errors or (strict and result.warnings)
    raise SystemExit(1 if failed else 0)


@main.command()
@click.argument("kind")
@click.argument("slug")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The project folder (holding plandocs.yaml).",
)
@_no_traceback
def new(kind: str, slug: str, project: Path) -> None:
    """Make content/KIND/SLUG/ from the kind's example (kinds/KIND/example/), then check it."""
    from plandocs.check.project import check_project
    from plandocs.errors import PlandocsError, printable
    from plandocs.scaffold import new_document

    try:
        folder = new_document(project, kind, slug)
    except PlandocsError as exc:
        click.echo(exc.format(project), err=True)
        raise SystemExit(1) from None
    where = folder.relative_to(project).as_posix()
    click.echo(f"made {where}/ from the {kind} kind's example")
    # The copy is checked as `plandocs check` would: an example can clash with the
    # document it was taken from (a PK of the same year, an LKj of the same PK), and the
    # author learns what to edit now, not at the next build.
    result = check_project(project, [folder])
    for diagnostic in sorted(result.diagnostics, key=lambda d: d.sort_key(project)):
        click.echo(printable(diagnostic.format(project)), err=True)
    if result.diagnostics:
        again = "" if project == Path(".") else f" --project {shlex.quote(str(project))}"
        path = shlex.quote(folder.as_posix())
        click.echo(f"edit these, then check again: plandocs check{again} {path}", err=True)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_no_traceback
def init(directory: Path) -> None:
    """Make a new project in DIRECTORY that builds: settings, templates, kinds, samples."""
    from plandocs.errors import PlandocsError
    from plandocs.scaffold import init_project

    try:
        init_project(directory)
    except PlandocsError as exc:
        click.echo(exc.format(Path.cwd()), err=True)
        raise SystemExit(1) from None
    click.echo(
        f"made a project in {directory}; build it with: plandocs build --project {directory}"
    )


@main.command()
@_common
@_no_traceback
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


# -- redlines and review: drafts in Word (issue 11) --------------------------------------
def _compare(
    project: Path,
    rev: str,
    langs: tuple[str, ...],
    formats: tuple[str, ...],
    paths: tuple[Path, ...],
    draft: bool,
    reporter: Any,
    report: Any,
) -> None:
    """``build --compare REV``: after the build, the redlines against REV."""
    from plandocs.compare.drafts import compare_outputs

    compared = compare_outputs(
        project, rev, langs, formats, paths, draft=draft, on_event=reporter.event
    )
    report.written.extend(compared.written)
    report.failed.extend(compared.failed)


@main.command()
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="The project folder (holding plandocs.yaml).",
)
@click.option("--apply", "apply_", is_flag=True, help="Write the changes that map onto content.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_no_traceback
def review(project: Path, apply_: bool, file: Path) -> None:
    """List the changes and comments in a reviewed FILE.docx at their source."""
    from plandocs.errors import PlandocsError
    from plandocs.review import review as run_review

    try:
        report = run_review(project, file, apply=apply_)
    except PlandocsError as exc:
        click.echo(f"plandocs: {exc.format(Path.cwd())}", err=True)
        raise SystemExit(1) from None
    except (MemoryError, RecursionError) as exc:
        from plandocs.errors import describe

        click.echo(f"plandocs: {file}: error: cannot read this file: {describe(exc)}", err=True)
        raise SystemExit(1) from None
    for item in report.items:
        click.echo(item.format())
    for rel in report.written:
        click.echo(f"wrote {rel}")
    click.echo(f"plandocs: {report.summary(apply_)}")


@main.command()
@_common
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port on 127.0.0.1; 0 picks a free one (and prints it).",
)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_no_traceback
def preview(
    lang: str,
    formats: tuple[str, ...],
    project: Path,
    jobs: int | None,
    draft: bool,
    pdfa: bool,
    port: int,
    paths: tuple[Path, ...],
) -> None:
    """Show the documents (or those under PATHS) in a browser, reloaded on every save;
    the PDF and DOCX are rebuilt in the background."""
    from plandocs.errors import PlandocsError
    from plandocs.preview import preview_project

    try:
        preview_project(
            project,
            _langs(lang),
            paths,
            port=port,
            formats=formats,
            jobs=jobs or os.cpu_count() or 1,
            draft=draft,
            pdfa=pdfa,
            echo=click.echo,
        )
    except PlandocsError as exc:
        click.echo(exc.format(project.resolve()), err=True)
        raise SystemExit(1) from None
