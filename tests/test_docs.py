"""The manual (``mkdocs.yml``, ``docs/``): it builds strictly, and its reference pages
have an entry for everything the code offers — every command, option and argument,
every setting of ``plandocs.yaml``, every filter, test and global plandocs adds to
Jinja, every field of ``kind.yaml`` — and nothing the code does not have.

The names are read from the code itself, never copied here. Each import of a plandocs
module is in one small function below, so that moving a module is a one-line fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jinja2.sandbox
import pytest
from pydantic import BaseModel

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "docs" / "reference"


# -- where the code keeps the names (one import each: fix here when a module moves) --------
def _cli_main() -> click.Group:
    # The click group behind the `plandocs` script ([project.scripts] in pyproject.toml).
    from plandocs.cli import main

    return main


def _settings_model() -> type[BaseModel]:
    # The pydantic model plandocs.yaml is validated with.
    from plandocs.settings import Settings

    return Settings


def _template_env(root: Path) -> jinja2.Environment:
    # The Jinja environment every template and content expression is rendered in.
    from plandocs.render.env import make_env
    from plandocs.render.loader import THEME_DIR

    return make_env(root, (root / "templates", THEME_DIR))


def _page_context_names() -> set[str]:
    # What every document template gets besides its facts (a TypedDict).
    from plandocs.render.page import PageContext

    return set(PageContext.__required_keys__ | PageContext.__optional_keys__)


def _kind_schema() -> dict[str, Any]:
    # The JSON Schema that kinds/<name>/kind.yaml is checked against.
    from plandocs.kinds.spec import KIND_SCHEMA

    return KIND_SCHEMA


# -- the names in the code -----------------------------------------------------------------
def cli_names() -> dict[str, set[str]]:
    """Per command (``plandocs``, ``plandocs build`` …): its long options and arguments.
    The group's ``--help`` stands for every command's."""
    main = _cli_main()
    found = {"plandocs": _param_names(main.get_params(click.Context(main)))}
    for name, command in main.commands.items():
        found[f"plandocs {name}"] = _param_names(command.params)
    return found


def cli_short_options() -> dict[str, set[str]]:
    """Per command: its short options (``-j``), which the entry of the long one names."""
    main = _cli_main()
    found: dict[str, set[str]] = {}
    for name, command in main.commands.items():
        shorts = {
            opt
            for param in command.params
            if isinstance(param, click.Option)
            for opt in (*param.opts, *param.secondary_opts)
            if not opt.startswith("--")
        }
        found[f"plandocs {name}"] = shorts
    return found


def _param_names(params: list[click.Parameter]) -> set[str]:
    names: set[str] = set()
    for param in params:
        if isinstance(param, click.Option):
            names |= {o for o in (*param.opts, *param.secondary_opts) if o.startswith("--")}
        elif isinstance(param, click.Argument):
            names.add(param.human_readable_name)
    return names


def setting_names(model: type[BaseModel] | None = None, prefix: str = "") -> set[str]:
    """Every field of the settings model, nested ones dotted (``letterhead.logo``; a
    mapping per language is ``organization.<lang>.unit``)."""
    model = model or _settings_model()
    names: set[str] = set()
    for name, field in model.model_fields.items():
        dotted = prefix + name
        names.add(dotted)
        for sub, step in _models_in(field.annotation):
            names |= setting_names(sub, f"{dotted}{step}.")
    return names


def _models_in(annotation: Any, step: str = "") -> Iterator[tuple[type[BaseModel], str]]:
    """The pydantic models inside a field's type, with the path step to reach them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation, step
        return
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        yield from _models_in(args[0], step)
    elif origin is dict and len(args) == 2:
        key = args[0]
        placeholder = "<lang>" if typing.get_origin(key) is typing.Literal else "<name>"
        yield from _models_in(args[1], f"{step}.{placeholder}")
    elif origin in (typing.Union, types.UnionType, list, tuple, set, frozenset):
        for arg in args:
            yield from _models_in(arg, step)


def template_names() -> dict[str, set[str]]:
    """The filters, tests and globals plandocs adds to a plain sandboxed environment,
    replaces (a global or test that is another object) or removes."""
    env = _template_env(REPO)
    plain = jinja2.sandbox.SandboxedEnvironment()
    found = {}
    for part in ("filters", "tests", "globals"):
        ours, theirs = getattr(env, part), getattr(plain, part)
        changed = set(ours) ^ set(theirs)
        if part != "filters":  # plandocs wraps every filter, so only names tell filters apart
            changed |= {name for name in set(ours) & set(theirs) if ours[name] is not theirs[name]}
        found[part] = changed
    return found


def kind_fields(schema: dict[str, Any] | None = None, prefix: str = "") -> set[str]:
    """Every field of kind.yaml, nested ones dotted (``tables.<name>.file``)."""
    schema = _kind_schema() if schema is None else schema
    names: set[str] = set()
    for name, sub in schema.get("properties", {}).items():
        dotted = prefix + name
        names.add(dotted)
        if not isinstance(sub, dict):
            continue
        names |= kind_fields(sub, dotted + ".")
        extra = sub.get("additionalProperties")
        if isinstance(extra, dict):
            names |= kind_fields(extra, dotted + ".<name>.")
    return names


# -- the entries in the pages -------------------------------------------------------------
_FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.M | re.S)
_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)


def code_spans(text: str) -> list[str]:
    """The code spans of Markdown text (between runs of one or more backticks), trimmed."""
    return [match.group(2).strip() for match in _SPAN.finditer(text)]


def _page(name: str) -> str:
    return _FENCE.sub("", (REFERENCE / name).read_text(encoding="utf-8"))


def sections(text: str, level: int) -> dict[str, str]:
    """The text under each heading of ``level`` (``##``), by the heading's text."""
    marker = "#" * level + " "
    found: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith(marker):
            current = line[len(marker) :].strip()
            found[current] = ""
        elif re.match(rf"#{{1,{level}}} ", line):
            current = None
        elif current is not None:
            found[current] += line + "\n"
    return found


def entries(text: str, level: int) -> set[str]:
    """The names in code of the headings of ``level``: ``### `--lang` `` is ``--lang``."""
    return {name for heading in sections(text, level) for name in code_spans(heading)}


def _compare(page: str, what: str, in_code: set[str], in_page: set[str]) -> list[str]:
    """What the code has and the page lacks, and what the page has and the code lacks."""
    problems = []
    if missing := ", ".join(sorted(in_code - in_page)):
        problems.append(f"docs/reference/{page} has no entry for {what}: {missing}")
    if stale := ", ".join(sorted(in_page - in_code)):
        problems.append(f"docs/reference/{page} has entries the code lacks ({what}): {stale}")
    return problems


# -- the tests ----------------------------------------------------------------------------
def test_every_command_option_and_argument_has_an_entry() -> None:
    text = _page("cli.md")
    # `## plandocs build` sections (the heading holds the command in code), each with a
    # `### --option` entry per option and argument.
    pages = {code_spans(h)[0]: body for h, body in sections(text, 2).items() if "`" in h}
    problems = _compare("cli.md", "commands", set(cli_names()), set(pages))
    for command, names in cli_names().items():
        documented = entries(pages.get(command, ""), 3)
        problems += _compare("cli.md", f"`{command}`", names, documented)
    for command, shorts in cli_short_options().items():
        body = pages.get(command, "")
        for short in sorted(shorts):
            if not re.search(rf"`{re.escape(short)}\b", body):
                problems.append(f"docs/reference/cli.md: `{command}` does not name {short}")
    assert not problems, "\n".join(problems)


def test_every_setting_has_an_entry() -> None:
    problems = _compare(
        "settings.md", "settings", setting_names(), entries(_page("settings.md"), 3)
    )
    assert not problems, "\n".join(problems)


def test_every_filter_test_and_global_has_an_entry() -> None:
    found = sections(_page("templates.md"), 2)
    problems = []
    for part, heading in (("filters", "Filters"), ("tests", "Tests"), ("globals", "Globals")):
        assert heading in found, f"docs/reference/templates.md has no `## {heading}` section"
        names = template_names()[part]
        problems += _compare("templates.md", part, names, entries(found[heading], 3))
    assert not problems, "\n".join(problems)


def test_every_template_variable_has_an_entry() -> None:
    text = _page("templates.md")
    named = set(code_spans(text))
    missing = sorted(_page_context_names() - named)
    assert not missing, f"docs/reference/templates.md does not name: {', '.join(missing)}"


def test_every_kind_field_has_an_entry() -> None:
    problems = _compare("kind-yaml.md", "fields", kind_fields(), entries(_page("kind-yaml.md"), 2))
    assert not problems, "\n".join(problems)


def test_readme_is_the_front_door() -> None:
    """The README stays short, and every page it links to exists."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)", text):
        assert (REPO / target).is_file(), f"README.md links to {target}, which is missing"


@pytest.mark.slow
def test_site_builds_strictly(tmp_path: Path) -> None:
    """``mkdocs build --strict``: no broken link or anchor, no page outside the
    navigation, and nothing fetched from outside (no web fonts, no CDN)."""
    pytest.importorskip("mkdocs", reason="mkdocs is not installed (./dev installs it)")
    pytest.importorskip("material", reason="mkdocs-material is not installed")
    site = tmp_path / "site"
    # Not --quiet: it hides the warnings from the count that --strict fails on.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    for page in ("index.html", "reference/cli.html", "guides/readout.html", "security.html"):
        assert (site / page).is_file(), page
    outside = re.compile(r"<(?:link|script)\b[^>]*\b(?:href|src)=\"(?:https?:)?//", re.I)
    fetching = sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if outside.search(p.read_text())
    )
    assert not fetching, f"pages that load something from the web: {fetching}"
    assert "Threat model" in (site / "security.html").read_text(encoding="utf-8")
