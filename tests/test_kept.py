"""What a process keeps between documents: compiled templates and parsed stylesheets.

Each is kept only where keeping it cannot change an output: the same template text
compiled by an environment that differs in anything its compiler reads is compiled
again, and a stylesheet that reads a file while it is parsed is parsed again.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment
from pypdf import PdfReader

from plandocs.render import compiled
from plandocs.render.sandbox import PlandocsEnvironment
from plandocs.writers.pdf import stylesheets
from plandocs.writers.pdf.layout import lay_out_html


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


# -- stylesheets -------------------------------------------------------------------------
STYLE = """
@page { size: 120mm 90mm; margin: 12mm; @bottom-right { content: counter(page); } }
@page wide { size: 90mm 120mm; }
@counter-style paren { system: extends lower-alpha; suffix: ") "; }
ol { list-style-type: paren; }
.wide { page: wide; }
@media print { h1 { font-size: 20pt; } }
"""


def page(style: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><style>{style}</style></head>"
        f"<body>{body}</body></html>"
    )


def pdf_of(root: Path, html: str) -> tuple[list[tuple[float, float]], str]:
    document = lay_out_html(root, html, [], checked=False)
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    sizes = [
        (round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages
    ]
    return sizes, "\n".join(p.extract_text() for p in reader.pages)


@pytest.fixture
def fresh_stylesheets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stylesheets, "_KEPT", type(stylesheets._KEPT)())
    monkeypatch.setattr(stylesheets, "_NOT_KEPT", type(stylesheets._NOT_KEPT)())


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The stylesheets WeasyPrint really parses from now on (their length)."""
    import weasyprint

    seen: list[int] = []
    original = weasyprint.preprocess_stylesheet

    def counting(media: Any, base: Any, rules: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(len(rules))
        return original(media, base, rules, *args, **kwargs)

    monkeypatch.setattr(weasyprint, "preprocess_stylesheet", counting)
    return seen


def test_a_kept_stylesheet_gives_every_document_its_pages_and_counters(
    tmp_path: Path, fresh_stylesheets: None, parses: list[int]
) -> None:
    body = (
        "<h1>Satu</h1><ol><li>first</li><li>second</li></ol>"
        "<div class='wide' style='break-before: page'>Dua</div>"
    )
    first = pdf_of(tmp_path, page(STYLE, body))
    assert stylesheets.install(), "WeasyPrint's internals are not those the hook expects"
    assert len(stylesheets._KEPT) == 1
    parsed = len(parses)
    assert parsed >= 1  # ours, in the first layout
    again = pdf_of(tmp_path, page(STYLE, body))
    other = pdf_of(tmp_path, page(STYLE, "<ol><li>only</li></ol>"))
    # 120 mm × 90 mm is 340 × 255 pt; the named page turns it.
    assert first[0] == again[0] == [(340, 255), (255, 340)]
    assert first[1] == again[1]
    assert "a) " in again[1] and "b) " in again[1] and again[1].endswith("Dua\n2")
    assert other[0] == [(340, 255)] and "a) " in other[1]
    assert len(parses) == parsed  # nothing parsed again


def test_a_stylesheet_that_imports_a_file_reads_it_for_every_document(
    tmp_path: Path, fresh_stylesheets: None
) -> None:
    (tmp_path / "extra.css").write_text("@page { size: 100mm 100mm; }", encoding="utf-8")
    html = page('@import url("extra.css"); p { color: black; }', "<p>Teks</p>")
    assert pdf_of(tmp_path, html)[0] == [(283, 283)]
    (tmp_path / "extra.css").write_text("@page { size: 150mm 100mm; }", encoding="utf-8")
    assert pdf_of(tmp_path, html)[0] == [(425, 283)]
    assert not stylesheets._KEPT and len(stylesheets._NOT_KEPT) == 1


def test_an_escaped_import_is_seen_as_an_import(tmp_path: Path, fresh_stylesheets: None) -> None:
    (tmp_path / "extra.css").write_text("@page { size: 100mm 100mm; }", encoding="utf-8")
    html = page('@\\69 mport url("extra.css");', "<p>Teks</p>")
    assert pdf_of(tmp_path, html)[0] == [(283, 283)]
    assert not stylesheets._KEPT


def test_a_copy_elsewhere_takes_the_code_with_its_own_file_name(
    compiles: list[str], tmp_path: Path
) -> None:
    """A project's copy of a built-in template is the same text in another file: one
    compile serves both, and an error points at the file that was rendered."""
    import traceback

    text = (
        "<p>{{ 'ok' }}</p>\n{% macro row(x) %}{{ x.missing.deeper }}{% endmacro %}{{ row(data) }}"
    )
    templates = []
    for name in ("a", "b"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "page.html").write_text(text, encoding="utf-8")
        made = PlandocsEnvironment(
            loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined
        )
        templates.append((folder / "page.html", made.get_template("page.html")))
    assert compiles == [text]
    for path, template in templates:
        assert template.filename == str(path)
        with pytest.raises(jinja2.UndefinedError) as failed:
            template.render(data={})
        frames = [
            f for f in traceback.extract_tb(failed.value.__traceback__) if f.filename == str(path)
        ]
        assert frames and frames[-1].lineno == 2  # the macro's line, in this file


def test_threads_compiling_at_once_while_the_oldest_are_dropped(
    compiles: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview renders in its server's threads and its background build at once."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(compiled, "MAX_COMPILED", 3)
    made = env()

    def render(n: int) -> str:
        return str(made.from_string(f"{{{{ {n % 7} }}}}-{{{{ 'x' | shout }}}}").render())

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render, range(400)))
    assert results == [f"{n % 7}-X!" for n in range(400)]
    assert len(compiled._COMPILED) <= 3


def test_a_long_stylesheet_is_parsed_every_time(
    tmp_path: Path, fresh_stylesheets: None, parses: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stylesheets, "MAX_KEPT_TEXT", len(STYLE) - 1)
    for _ in range(2):
        assert pdf_of(tmp_path, page(STYLE, "<p>Teks</p>"))[0] == [(340, 255)]
    assert not stylesheets._KEPT and len(parses) == 2
