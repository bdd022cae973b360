"""What a process keeps between documents: compiled templates.

They are kept only where keeping them cannot change an output: the same template text
compiled by an environment that differs in anything its compiler reads is compiled
again.
"""

from __future__ import annotations

from typing import Any

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from plandocs.render import compiled
from plandocs.render.sandbox import PlandocsEnvironment


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts Jinja really compiles from now on, in a process that has kept nothing."""
    monkeypatch.setattr(compiled, "_COMPILED", type(compiled._COMPILED)())
    monkeypatch.setattr(compiled, "_kept_chars", 0)
    seen: list[str] = []
    original = ImmutableSandboxedEnvironment.compile

    def counting(self: Any, source: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(source if isinstance(source, str) else "<node>")
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "compile", counting)
    return seen


def env(**options: Any) -> PlandocsEnvironment:
    made = PlandocsEnvironment(loader=jinja2.DictLoader({}), **options)
    made.filters["shout"] = _shout
    made.guard_filters()
    return made


def _shout(value: str) -> str:
    return value.upper() + "!"


def test_environments_alike_share_the_compiled_template(compiles: list[str]) -> None:
    text = "{% for n in range(3) %}{{ n }}{{ 'x' | shout }}{% endfor %}"
    first, second = env(), env()
    assert first.from_string(text).render() == "0X!1X!2X!"
    assert second.from_string(text).render() == "0X!1X!2X!"
    assert compiles == [text]  # the second environment took the first's code


def test_a_filter_of_another_function_is_compiled_again(compiles: list[str]) -> None:
    """Jinja's optimizer runs a filter on a constant while compiling, so the code of
    ``'x' | shout`` holds what that environment's ``shout`` returned."""
    text = "{{ 'x' | shout }}"
    plain = env()
    other = env()
    other.filters["shout"] = lambda value: f"<{value}>"
    other.guard_filters()
    assert plain.from_string(text).render() == "X!"
    assert other.from_string(text).render() == "<x>"
    assert plain.from_string(text).render() == "X!"
    assert compiles == [text, text]


def test_other_syntax_options_are_compiled_again(compiles: list[str]) -> None:
    text = "{% if true %}\n  yes\n{% endif %}\n"
    assert env().from_string(text).render() == "\n  yes\n"
    assert env(trim_blocks=True, lstrip_blocks=True).from_string(text).render() == "  yes\n"
    assert len(compiles) == 2


def test_a_mistake_is_reported_every_time(compiles: list[str]) -> None:
    text = "{% for x in %}"
    for made in (env(), env()):
        with pytest.raises(jinja2.TemplateSyntaxError):
            made.from_string(text)
    assert compiles == [text, text]  # nothing kept of a template that does not compile


def test_a_huge_template_is_not_kept(compiles: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "MAX_KEPT_CHARS", 100)
    text = "{{ 1 }}" + "x" * 200
    env().from_string(text)
    env().from_string(text)
    assert len(compiles) == 2
    assert compiled._kept_chars == 0
