// plandocs preview: show the document as sheets of its printed pages, and reload it
// when the server says it changed (server-sent events).
//
// The sheets come from the document's own print stylesheet, read through the CSSOM:
// a new sheet starts wherever the PDF starts a new page by force — an element with
// `break-before: page` (or after one with `break-after: page`), or where the named
// page (`page: landscape`) changes — and each sheet takes the size and margins of
// the `@page` rules for its page name. Between forced breaks the text flows on one
// sheet, as tall as it needs.
"use strict";

(() => {
  const bar = document.getElementById("plandocs-preview");
  if (!bar) return;
  const SCROLL_KEY = "plandocs-scroll:" + location.pathname + location.search;
  const BREAKS = new Set(["page", "left", "right", "recto", "verso"]);
  const PAPER = {
    a5: ["148mm", "210mm"], a4: ["210mm", "297mm"], a3: ["297mm", "420mm"],
    b5: ["176mm", "250mm"], b4: ["250mm", "353mm"],
    letter: ["8.5in", "11in"], legal: ["8.5in", "14in"], ledger: ["11in", "17in"],
  };

  function pageRules() {
    const rules = [];
    const walk = (list) => {
      for (const rule of list) {
        if (rule instanceof CSSPageRule) rules.push(rule);
        else if (rule instanceof CSSMediaRule && /print|all/.test(rule.media.mediaText || "all")) {
          walk(rule.cssRules);
        }
      }
    };
    for (const sheet of document.styleSheets) {
      try { walk(sheet.cssRules); } catch (e) { /* a sheet we may not read */ }
    }
    return rules;
  }

  function parseSize(value, box) {
    const words = value.trim().split(/\s+/).filter(Boolean);
    let size = null;
    let orientation = null;
    const lengths = [];
    for (const word of words) {
      const lower = word.toLowerCase();
      if (PAPER[lower]) size = PAPER[lower].slice();
      else if (lower === "landscape" || lower === "portrait") orientation = lower;
      else if (lower !== "auto") lengths.push(word);
    }
    if (lengths.length) size = [lengths[0], lengths[1] || lengths[0]];
    if (!size) size = box.size.slice();
    if (orientation) {
      const wide = orientation === "landscape";
      const w = toPx(size[0]);
      const h = toPx(size[1]);
      if ((w > h) !== wide) size.reverse();
    }
    box.size = size;
  }

  function toPx(length) {
    const probe = document.createElement("div");
    probe.style.width = length;
    probe.style.position = "absolute";
    document.body.appendChild(probe);
    const px = probe.getBoundingClientRect().width;
    probe.remove();
    return px;
  }

  // The size and margins of a page with this name: `@page` first, then `@page name`.
  function pageBox(name, rules) {
    const box = { size: ["210mm", "297mm"], margin: ["2cm", "2cm", "2cm", "2cm"] };
    const sides = ["marginTop", "marginRight", "marginBottom", "marginLeft"];
    for (const pass of ["", name]) {
      for (const rule of rules) {
        if (rule.selectorText.trim() !== pass) continue;
        const size = rule.style.getPropertyValue("size");
        if (size) parseSize(size, box);
        sides.forEach((side, i) => {
          const value = rule.style[side];
          if (value && value !== "auto") box.margin[i] = value;
        });
      }
      if (!name) break;
    }
    return box;
  }

  // Elements the print stylesheet moves into the page margins (`position: running(…)`):
  // the CSSOM drops that value, so read it from the stylesheet's text.
  function hideRunningElements() {
    const pattern = /([^{}]+)\{[^{}]*position\s*:\s*running\(/g;
    for (const style of document.querySelectorAll("head style")) {
      for (const match of style.textContent.matchAll(pattern)) {
        const selector = match[1].replace(/\/\*[\s\S]*?\*\//g, "").trim();
        try {
          document.querySelectorAll(selector).forEach((el) => {
            el.style.setProperty("display", "none", "important");
          });
        } catch (e) { /* not a selector the browser knows */ }
      }
    }
  }

  function flowOf(el) {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.position !== "fixed" && style.position !== "absolute";
  }

  // Where the printed document starts a new page, in document order: [element, page name].
  function breakPoints(sheet) {
    const points = [];
    let current;
    let pendingAfter = null;
    const walk = (parent, inherited) => {
      for (const el of parent.children) {
        const style = getComputedStyle(el);
        if (style.display === "none" || style.display.startsWith("inline")) continue;
        if (style.position === "fixed" || style.position === "absolute") continue;
        const name = style.page && style.page !== "auto" ? style.page : inherited;
        let forced = BREAKS.has(style.breakBefore) || name !== current;
        if (pendingAfter && !pendingAfter.contains(el)) {
          forced = true;
          pendingAfter = null;
        }
        if (forced) {
          points.push([el, name]);
          current = name;
        }
        if (!/^(table|list-item)/.test(style.display) && !/^(P|PRE|TABLE)$/.test(el.tagName)) {
          walk(el, name);
        }
        if (BREAKS.has(style.breakAfter)) pendingAfter = el;
      }
    };
    walk(sheet, "");
    return points;
  }

  // Anything shown before `el` on this sheet?
  function contentBefore(sheet, el) {
    const walker = document.createTreeWalker(sheet, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && node !== el; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (node.data.trim() && node.parentElement.checkVisibility()) return true;
      } else if (/^(IMG|TABLE|HR|SVG|CANVAS)$/i.test(node.tagName) && node.checkVisibility()) {
        return true;
      }
    }
    return false;
  }

  // Move `el` and everything after it on `sheet` to a new sheet; the elements it sits
  // in are copied (without ids) so that it keeps its styles.
  function splitBefore(sheet, el) {
    const next = sheet.cloneNode(false);
    const chain = [];
    for (let node = el.parentNode; node !== sheet; node = node.parentNode) chain.unshift(node);
    let parent = next;
    const copies = chain.map((node) => {
      const copy = node.cloneNode(false);
      copy.removeAttribute("id");
      parent.appendChild(copy);
      parent = copy;
      return copy;
    });
    const moveFrom = (node, into) => {
      for (let n = node; n; ) {
        const following = n.nextSibling;
        into.appendChild(n);
        n = following;
      }
    };
    moveFrom(el, copies.length ? copies[copies.length - 1] : next);
    for (let i = chain.length - 1; i >= 0; i--) {
      moveFrom(chain[i].nextSibling, i ? copies[i - 1] : next);
    }
    sheet.after(next);
    return next;
  }

  function layOutSheets() {
    hideRunningElements();
    const body = document.body;
    let sheet = document.createElement("div");
    sheet.className = "plandocs-sheet";
    for (const node of Array.from(body.childNodes)) {
      const outside = node.nodeType === Node.ELEMENT_NODE &&
        (node.classList.contains("plandocs-ui") || node.tagName === "SCRIPT" || !flowOf(node));
      if (!outside) sheet.appendChild(node);
    }
    body.appendChild(sheet);
    const names = [""];
    for (const [el, name] of breakPoints(sheet)) {
      if (contentBefore(sheet, el)) {
        sheet = splitBefore(sheet, el);
        names.push(name);
      } else {
        names[names.length - 1] = name;
      }
    }
    const rules = pageRules();
    document.querySelectorAll(".plandocs-sheet").forEach((each, i) => {
      const name = names[i] || "";
      const box = pageBox(name, rules);
      if (name) each.dataset.page = name;
      each.style.width = box.size[0];
      each.style.minHeight = box.size[1];
      each.style.padding = box.margin.join(" ");
    });
  }

  function restoreScroll() {
    const saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved !== null) {
      sessionStorage.removeItem(SCROLL_KEY);
      window.scrollTo(0, Number(saved));
    } else if (location.hash) {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  if (bar.dataset.view === "document") layOutSheets();
  document.documentElement.classList.add("plandocs-ready");
  restoreScroll();

  const query = new URLSearchParams({ target: bar.dataset.target, version: bar.dataset.version });
  const events = new EventSource("/_preview/events?" + query.toString());
  events.addEventListener("reload", () => {
    events.close();
    sessionStorage.setItem(SCROLL_KEY, String(window.scrollY));
    location.reload();
  });
  events.addEventListener("build", (event) => {
    const status = document.getElementById("plandocs-build");
    if (status) status.textContent = event.data;
    if (event.lastEventId === "done") linkBuiltFiles();
  });

  // Files that were not built when the page was made: links once they exist.
  function linkBuiltFiles() {
    for (const span of document.querySelectorAll("span.plandocs-file[data-href]")) {
      fetch(span.dataset.href, { method: "HEAD", cache: "no-store" }).then((response) => {
        if (!response.ok || !span.isConnected) return;
        const link = document.createElement("a");
        link.className = "plandocs-file";
        link.href = span.dataset.href;
        link.textContent = span.textContent;
        span.replaceWith(link);
      }, () => {});
    }
  }
})();
