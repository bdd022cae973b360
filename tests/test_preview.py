"""``plandocs preview`` over HTTP: pages, errors, events, files, and what it refuses.

The same flows in a real browser are in ``test_preview_browser.py``.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EN_BODY, edit, line_of, write
from plandocs.preview.server import inside
from previewing import TIMEOUT, RunningPreview, eventually, png, view

PREVIEW = [sys.executable, "-m", "plandocs", "preview"]

PNG = png(3, 2)


@pytest.fixture
def served(project: Path, add_readout: Callable[..., Path]) -> Iterator[RunningPreview]:
    add_readout(project, slug="alpha")
    add_readout(project, slug="beta", en_md=None)
    preview = RunningPreview(project).start()
    yield preview
    preview.close()


def events(preview: RunningPreview, target: str, version: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=TIMEOUT)
    connection.request("GET", f"/_preview/events?target={target}&version={version}")
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    return response


def next_event(response: http.client.HTTPResponse, name: str) -> str:
    """The data of the next event called ``name`` (others are skipped)."""
    while True:
        block: list[str] = []
        while (line := response.readline().decode().rstrip("\n")) != "":
            block.append(line)
        fields = dict(line.split(": ", 1) for line in block if ": " in line and line[0] != ":")
        if fields.get("event") == name:
            return fields.get("data", "")


def version_in(html: str) -> str:
    match = re.search(r'id="plandocs-preview"[^>]*data-version="([^"]*)"', html)
    assert match, html[:500]
    return match.group(1)


def test_index_lists_documents_per_language(served: RunningPreview) -> None:
    html = served.text("/")
    indonesian, english = html.split("<h2>English (en)</h2>")
    assert "Bahasa Indonesia (id)" in indonesian
    assert indonesian.count('<li data-target="id/readouts/') == 2
    assert "Rapat Koordinasi" in indonesian
    # beta has no English version, so only alpha is listed in English.
    assert english.count('<li data-target="en/readouts/') == 1
    assert 'href="/view?lang=en&amp;doc=readouts%2Falpha"' in english
    assert "Coordination Meeting" in english


def test_document_page_is_the_documents_html_with_the_preview_added(
    served: RunningPreview,
) -> None:
    status, headers, body = served.get(view("en", "readouts/alpha"))
    html = body.decode()
    assert status == 200
    assert "BEKASI (February 8th, 2024) – " in html
    text = re.sub(r"<[^>]+>", "", html)  # a glued date range is a span of its own
    assert (
        "The meeting was held on February\u00a05th\u2060–\u20607th,\u00a02024 at 10:00 AM WIB."
        in text
    )
    # The document's own print stylesheet, then the preview's screen one and script.
    assert html.index("@page") < html.index("/_preview/screen.css") < html.index("</head>")
    assert '<script src="/_preview/preview.js" defer></script>' in html
    assert 'data-target="en/readouts/alpha"' in html
    assert 'hreflang="id">id</a>' in html  # the other language
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert served.get(view("en", "readouts/beta"))[0] == 404  # no English version
    assert served.get(view("en", "readouts/nothing"))[0] == 404


def test_static_files(served: RunningPreview) -> None:
    status, headers, body = served.get("/_preview/preview.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"EventSource" in body
    status, headers, body = served.get("/_preview/screen.css")
    assert status == 200 and b"@media screen" in body


def test_titles_and_messages_are_escaped(
    served: RunningPreview, project: Path, add_readout: Callable[..., Path]
) -> None:
    body = EN_BODY.replace("Coordination Meeting", "Meeting <script>alert(1)</script> & Co")
    add_readout(project, slug="gamma", id_md=None, en_md=body)
    page = view("en", "readouts/gamma")
    eventually(lambda: served.get(page)[0] == 200, "the new readout is shown")
    html = served.text(page)
    assert "<script>alert" not in html
    assert "Meeting &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    prose = project / "content/readouts/gamma/en.md"
    prose.write_text(prose.read_text() + "\n{{ '<b>' ~ nope }}\n")
    eventually(lambda: 'id="plandocs-error"' in served.text(page), "the error is shown")
    html = served.text(page)
    assert "<b>" not in html.split('id="plandocs-error"')[1].split("</div>")[0]


def test_a_save_reloads_the_open_page(served: RunningPreview, project: Path) -> None:
    html = served.text(view("en", "readouts/alpha"))
    stream = events(served, "en/readouts/alpha", version_in(html))
    prose = project / "content/readouts/alpha/en.md"
    prose.write_text(prose.read_text() + "\nA sentence added while the page is open.\n")
    new_version = next_event(stream, "reload")
    html = served.text(view("en", "readouts/alpha"))
    assert version_in(html) == new_version
    assert "A sentence added while the page is open." in html
    served.expect_line("content/readouts/alpha/en.md changed: 1 page in")


def test_a_save_renders_again_only_the_languages_made_from_that_file(
    served: RunningPreview, project: Path
) -> None:
    def versions() -> tuple[str, str]:
        return tuple(  # type: ignore[return-value]
            version_in(served.text(view(lang, "readouts/alpha"))) for lang in ("id", "en")
        )

    first = versions()
    prose = project / "content/readouts/alpha/en.md"
    prose.write_text(prose.read_text() + "\nOnly English changes.\n")
    served.expect_line("content/readouts/alpha/en.md changed: 1 page in")
    second = versions()
    assert second[0] == first[0] and second[1] != first[1]

    facts = project / "content/readouts/alpha/readout.yaml"
    edit(facts, "name: Arif Rohman", "name: Arif Rohman, S.Sos.")
    served.expect_line("content/readouts/alpha/readout.yaml changed: 2 pages in")
    third = versions()
    assert third[0] != second[0] and third[1] != second[1]
    assert "Arif Rohman, S.Sos." in served.text(view("id", "readouts/alpha"))

    # A template feeds every document; saving one unchanged reloads no page.
    template = project / "templates/shared/readout.html"
    template.write_text(template.read_text())
    served.expect_line("templates/shared/readout.html changed: 3 pages in")
    assert versions() == third


def test_a_page_opened_before_a_change_reloads_at_once(served: RunningPreview) -> None:
    stream = events(served, "en/readouts/alpha", "an-older-version")
    assert next_event(stream, "reload") == version_in(served.text(view("en", "readouts/alpha")))


def test_a_broken_file_shows_its_location_above_the_last_good_version(
    served: RunningPreview, project: Path
) -> None:
    prose = project / "content/readouts/alpha/en.md"
    stream = events(
        served, "en/readouts/alpha", version_in(served.text(view("en", "readouts/alpha")))
    )
    edit(prose, "The meeting was held", "The meeting, {{ venue }}, was held")
    next_event(stream, "reload")
    html = served.text(view("en", "readouts/alpha"))
    line = line_of(prose, "{{ venue }}")
    message = (
        f"content/readouts/alpha/en.md:{line}: error: unknown fact `venue` in an expression; "
        "use a name from the document&#x27;s YAML facts, or add it there"
    )
    error_box = html.split('id="plandocs-error"')[1].split("</div>")[0]
    assert message in error_box
    assert "The meeting was held on <span" in html  # the last good version
    served.expect_line(f"content/readouts/alpha/en.md:{line}: error:")

    edit(prose, "The meeting, {{ venue }}, was held", "The meeting was finally held")
    served.expect_line("changed: 1 page in")
    html = served.text(view("en", "readouts/alpha"))
    assert 'id="plandocs-error"' not in html
    assert "The meeting was finally held" in html


def test_broken_facts_fail_both_languages_and_settings_every_document(
    served: RunningPreview, project: Path
) -> None:
    facts = project / "content/readouts/alpha/readout.yaml"
    edit(facts, "timezone: WIB", "timezone: CET")
    served.expect_line("failed")
    for lang in ("id", "en"):
        html = served.text(view(lang, "readouts/alpha"))
        assert "content/readouts/alpha/readout.yaml:7:" in html
        assert "&#x27;CET&#x27; is not allowed" in html
    edit(facts, "timezone: CET", "timezone: WIB")
    served.expect_line("ok")

    settings = project / "plandocs.yaml"
    edit(settings, "size: A4", "size: A0")
    served.expect_line("failed")
    html = served.text(view("id", "readouts/beta"))
    assert "plandocs.yaml:" in html.split('id="plandocs-error"')[1]
    index = served.text("/")
    assert index.count('class="plandocs-problem"') == 3  # alpha id/en, beta id
    edit(settings, "size: A0", "size: A4")
    served.expect_line("ok")
    assert 'id="plandocs-error"' not in served.text(view("id", "readouts/beta"))


def test_documents_that_come_and_go(
    served: RunningPreview, project: Path, add_readout: Callable[..., Path]
) -> None:
    stream = events(served, "index", version_in(served.text("/")))
    add_readout(project, slug="delta")
    next_event(stream, "reload")
    eventually(lambda: 'data-target="en/readouts/delta"' in served.text("/"), "delta listed")
    page = view("en", "readouts/delta")
    assert served.get(page)[0] == 200
    (project / "content/readouts/delta/en.md").unlink()
    eventually(lambda: served.get(page)[0] == 404, "no English delta")
    assert 'data-target="en/readouts/delta"' not in served.text("/")
    assert 'data-target="id/readouts/delta"' in served.text("/")
    shutil.rmtree(project / "content/readouts/delta")
    eventually(lambda: "readouts/delta" not in served.text("/"), "delta gone")


def test_images_of_the_project_are_served(served: RunningPreview, project: Path) -> None:
    (project / "content/readouts/alpha/photo.png").write_bytes(PNG)
    status, headers, body = served.get("/content/readouts/alpha/photo.png")
    assert (status, headers["Content-Type"], body) == (200, "image/png", PNG)
    assert served.get("/content/readouts/alpha/photo.png", method="HEAD")[0] == 200
    assert served.get("/content/readouts/alpha/missing.png")[0] == 404


REFUSED = [
    "/plandocs.yaml",
    "/content/readouts/alpha/readout.yaml",
    "/content/readouts/alpha/en.md",
    "/templates/shared/base.html",
    "/build/.plandocs-manifest.json",
    "/build/../plandocs.yaml",
    "/build/%2e%2e/plandocs.yaml",
    "/build/%2E%2E/plandocs.yaml",
    "/build/..%2fplandocs.yaml",
    "/build/..%2Fplandocs.yaml",
    "/build/%2e%2e%2fplandocs.yaml",
    "/build/%252e%252e/plandocs.yaml",
    "/build/..%5cplandocs.yaml",
    "/build/..\\plandocs.yaml",
    "/build/./en/readouts/alpha.html",
    "/build//etc/passwd",
    "/build/%2fetc%2fpasswd",
    "/build/en/readouts/alpha.html%00.pdf",
    "/build/%ff.pdf",
    "//etc/passwd",
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/content/../../outside.png",
    "/content/%2e%2e/%2e%2e/outside.png",
    "/build/leak.pdf",
    "/content/readouts/alpha/leak.png",
    "/content/readouts/alpha/yaml.png",
    "/.hidden/secret.png",
    "/build/en/readouts/alpha.md",
]


def test_traversal_and_other_files_are_refused(served: RunningPreview, project: Path) -> None:
    outside = project.parent / "outside.png"
    outside.write_bytes(PNG)
    (project / "build").mkdir(exist_ok=True)
    (project / "build/leak.pdf").symlink_to(project.parent / "outside.png")
    (project / "content/readouts/alpha/leak.png").symlink_to(outside)
    (project / "content/readouts/alpha/yaml.png").symlink_to(project / "plandocs.yaml")
    write(project, ".hidden/secret.png", "not an image")
    write(project, "build/en/readouts/alpha.md", "a file the build does not make")
    for path in REFUSED:
        status, _, body = served.get(path)
        assert status in (403, 404), path
        assert b"organization" not in body and PNG not in body, path


def test_requests_naming_another_host_are_refused(served: RunningPreview) -> None:
    # A web page that rebinds its own name to 127.0.0.1 cannot read the preview.
    assert served.get("/", host="attacker.example")[0] == 403
    assert served.get("/", host=f"attacker.example:{served.port}")[0] == 403
    assert served.get("/", host=f"localhost:{served.port}")[0] == 200


def test_inside_accepts_plain_names_only(tmp_path: Path) -> None:
    write(tmp_path, "a/b.pdf", "x")
    assert inside(tmp_path, "a/b.pdf") == (tmp_path / "a/b.pdf").resolve()
    assert inside(tmp_path, "a/b%2Epdf") == (tmp_path / "a/b.pdf").resolve()
    for path in ("a/../a/b.pdf", "a//b.pdf", "/a/b.pdf", "a/./b.pdf", "a", "a/b.pdf/", ""):
        assert inside(tmp_path, path) is None, path


@pytest.mark.slow
def test_pdf_and_docx_are_built_in_the_background_and_linked(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, slug="alpha", id_md=None)
    preview = RunningPreview(project, langs=("en",), build=True).start()
    try:
        preview.expect_line("build: 3 written")
        html = preview.text(view("en", "readouts/alpha"))
        assert '<a class="plandocs-file" href="/build/en/readouts/alpha.pdf">PDF</a>' in html
        status, headers, body = preview.get("/build/en/readouts/alpha.pdf")
        assert (status, headers["Content-Type"], body[:5]) == (200, "application/pdf", b"%PDF-")
        status, headers, body = preview.get("/build/en/readouts/alpha.docx")
        assert status == 200 and body[:2] == b"PK"
        assert headers["Content-Disposition"] == 'attachment; filename="alpha.docx"'

        prose = project / "content/readouts/alpha/en.md"
        before = (project / "build/en/readouts/alpha.pdf").read_bytes()
        prose.write_text(prose.read_text() + "\nA sentence for the rebuilt PDF.\n")
        preview.expect_line("build: 3 written")
        assert (project / "build/en/readouts/alpha.pdf").read_bytes() != before
        assert (
            "A sentence for the rebuilt PDF."
            in (project / "build/en/readouts/alpha.html").read_text()
        )
    finally:
        preview.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_cli_port_zero_prints_the_address_and_ctrl_c_stops_cleanly(
    project: Path, add_readout: Callable[..., Path]
) -> None:
    add_readout(project, slug="alpha")
    process = subprocess.Popen(
        [*PREVIEW, "--project", str(project), "--port", "0", "--format", "html"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not (lines and lines[-1].startswith("preview: ")):
            lines.append(process.stdout.readline())
            assert lines[-1], lines
        match = re.fullmatch(r"preview: http://127\.0\.0\.1:(\d+)/ \(Ctrl-C to stop\)\n", lines[-1])
        assert match, lines
        port = int(match.group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
        connection.close()

        # Bound to 127.0.0.1 only: not reachable on another address of this machine.
        with socket.socket() as other:
            other.settimeout(2)
            try:
                infos = socket.getaddrinfo(socket.gethostname(), None)
            except OSError:  # a machine whose own name does not resolve
                infos = []
            addresses = {str(info[4][0]) for info in infos}
            for address in addresses - {"127.0.0.1", "::1"}:
                if ":" not in address:
                    assert other.connect_ex((address, port)) != 0, address

        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "preview stopped" in output
    assert "Traceback" not in output


def test_cli_port_in_use_is_one_clear_line(project: Path) -> None:
    port = _free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        result = subprocess.run(
            [*PREVIEW, "--project", str(project), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "NO_COLOR": "1"},
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port} (Address already in use); "
        "pass another --port, or --port 0 for a free one"
    ]


def test_cli_without_a_project(tmp_path: Path) -> None:
    result = subprocess.run(
        [*PREVIEW, "--project", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("plandocs.yaml: error: no plandocs.yaml here;")
