"""LibreOffice driven through UNO, in the system's Python (Debian's python3-uno), as a
person would use it: run by the tests in a process of its own (see
:func:`othertools.run_office`); prints one line of JSON.

    uno_office.py --profile DIR edit IN OUT --author NAME JOBS.json
        JOBS: [{"do": "replace", "old": …, "new": …, "nth": 0, "tracked": true},
               …] — the edits made in order, with change tracking on or off as
        each says; saved as DOCX. (Comments are not made here: making one, or opening
        a file that has one, through UNO crashes LibreOffice 7.4 headless.)
    uno_office.py --profile DIR pages IN
        each paragraph in an outline level 1 style (chapters, annexes, front-matter
        headings) and the page LibreOffice lays it on: [[text, page], …]
    uno_office.py --profile DIR toc IN
        the contents list and the lists of tables and figures as LibreOffice shows
        them, then after updating every index:
        {"before": [[style, text], …], "after": […]}
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def start(profile):
    pipe = "plandocs" + uuid.uuid4().hex[:12]
    process = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation=file://{profile}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if process.poll() is not None:
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.5)
    else:
        process.kill()
        raise SystemExit("LibreOffice did not answer")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return process, ctx, desktop


def set_author(ctx, name):
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    first, _, last = name.partition(" ")
    access.setPropertyValue("givenname", first)
    access.setPropertyValue("sn", last)
    access.commitChanges()


def load(desktop, path):
    url = uno.systemPathToFileUrl(os.path.abspath(path))
    return desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))


def find(doc, words, nth):
    search = doc.createSearchDescriptor()
    search.SearchString = words
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    for _ in range(nth):
        if found is None:
            break
        found = doc.findNext(found.getEnd(), search)
    if found is None:
        raise SystemExit(f"not found: {words!r} ({nth})")
    return found


def edit(desktop, ctx, source, target, author, jobs):
    set_author(ctx, author)
    doc = load(desktop, source)
    for job in jobs:
        doc.RecordChanges = bool(job.get("tracked", True))
        if job["do"] == "replace":
            find(doc, job["old"], job.get("nth", 0)).setString(job["new"])
    doc.RecordChanges = False
    url = uno.systemPathToFileUrl(os.path.abspath(target))
    doc.storeToURL(url, (prop("FilterName", "MS Word 2007 XML"),))
    doc.close(True)
    return {"saved": target}


def pages(desktop, source):
    doc = load(desktop, source)
    cursor = doc.getCurrentController().getViewCursor()
    found = []
    for paragraph in _paragraphs(doc.getText()):
        if paragraph.getPropertyValue("OutlineLevel") == 1 and paragraph.getString().strip():
            cursor.gotoRange(paragraph.getStart(), False)
            found.append([" ".join(paragraph.getString().split()), cursor.getPage()])
    count = doc.getCurrentController().getPropertyValue("PageCount")
    doc.close(True)
    return {"headings": found, "pages": count}


def _paragraphs(text):
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.Paragraph"):
            yield item


def _toc(doc):
    return [
        [p.getPropertyValue("ParaStyleName"), p.getString()]
        for p in _paragraphs(doc.getText())
        if p.getPropertyValue("ParaStyleName")
        .lower()
        .startswith(("contents", "toc", "table of figures", "figure index"))
    ]


def toc(desktop, source):
    doc = load(desktop, source)
    before = _toc(doc)
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    after = _toc(doc)
    doc.close(True)
    return {"before": before, "after": after}


def main(argv):
    profile = argv[argv.index("--profile") + 1]
    args = [a for i, a in enumerate(argv) if a != "--profile" and argv[i - 1] != "--profile"]
    process, ctx, desktop = start(profile)
    try:
        if args[0] == "edit":
            author = args[args.index("--author") + 1]
            rest = [a for i, a in enumerate(args) if a != "--author" and args[i - 1] != "--author"]
            with open(rest[3], encoding="utf-8") as f:
                jobs = json.load(f)
            result = edit(desktop, ctx, rest[1], rest[2], author, jobs)
        elif args[0] == "pages":
            result = pages(desktop, args[1])
        elif args[0] == "toc":
            result = toc(desktop, args[1])
        else:
            raise SystemExit(f"unknown job {args[0]}")
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
