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

  const UNIT_PX = { px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, q: 96 / 101.6, pt: 96 / 72, pc: 16 };

  function toPx(length) {
    const match = /^(-?[\d.]+)([a-z]+)$/i.exec(length.trim());
    const factor = match && UNIT_PX[match[2].toLowerCase()];
    return factor ? parseFloat(match[1]) * factor : NaN;
  }

  function parseSize(value, box) {
    let size = null;
    let orientation = null;
    const lengths = [];
    for (const word of value.trim().split(/\s+/).filter(Boolean)) {
      const lower = word.toLowerCase();
      if (PAPER[lower]) size = PAPER[lower].slice();
      else if (lower === "landscape" || lower === "portrait") orientation = lower;
      else if (lower !== "auto") lengths.push(word);
    }
    if (lengths.length) size = [lengths[0], lengths[1] || lengths[0]];
    if (!size) size = box.size.slice();
    if (orientation && (toPx(size[0]) > toPx(size[1])) !== (orientation === "landscape")) {
      size.reverse();
    }
    box.size = size;
  }

  // The size and margins of a page with this name: `@page` first, then `@page name`.
  function pageBox(name, rules) {
    const box = { size: ["210mm", "297mm"], margin: ["2cm", "2cm", "2cm", "2cm"] };
    const sides = ["marginTop", "marginRight", "marginBottom", "marginLeft"];
    for (const pass of name ? ["", name] : [""]) {
      for (const rule of rules) {
        if (rule.selectorText.trim() !== pass) continue;
        const size = rule.style.getPropertyValue("size");
        if (size) parseSize(size, box);
        sides.forEach((side, i) => {
          const value = rule.style[side];
          if (value && value !== "auto") box.margin[i] = value;
        });
      }
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

  function outOfFlow(style) {
    return style.display === "none" || style.position === "fixed" || style.position === "absolute";
  }

  function hasContent(el) {
    return /^(IMG|TABLE|HR|SVG|CANVAS)$/i.test(el.tagName) || el.textContent.trim() !== "" ||
      el.querySelector("img, table, hr, svg, canvas") !== null;
  }

  // Where the printed document starts a new page by force, in document order, as
  // [element, page name]; the first entry, [null, name], names the first sheet. One
  // pass that reads computed styles only (no layout, no change to the page), so it
  // stays fast on a long document: a break counts only after something shown.
  function sheetStarts(sheet) {
    const starts = [[null, ""]];
    let current;
    let shown = false;
    let pendingAfter = null;
    const walk = (parent, inherited) => {
      for (const node of parent.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          if (node.data.trim()) shown = true;
          continue;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const style = getComputedStyle(node);
        if (outOfFlow(style)) continue;
        if (style.display.startsWith("inline")) {
          if (hasContent(node)) shown = true;
          continue;
        }
        const name = style.page && style.page !== "auto" ? style.page : inherited;
        let forced = BREAKS.has(style.breakBefore) || name !== current;
        if (pendingAfter && !pendingAfter.contains(node)) {
          forced = true;
          pendingAfter = null;
        }
        if (forced) {
          current = name;
          if (shown) starts.push([node, name]);
          else starts[starts.length - 1][1] = name;
          shown = false;
        }
        if (/^(table|list-item)/.test(style.display) || /^(P|PRE|TABLE)$/.test(node.tagName)) {
          if (hasContent(node)) shown = true;
        } else {
          walk(node, name);
        }
        if (BREAKS.has(style.breakAfter)) pendingAfter = node;
      }
    };
    walk(sheet, "");
    return starts;
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
        (node.classList.contains("plandocs-ui") || node.tagName === "SCRIPT" ||
         outOfFlow(getComputedStyle(node)));
      if (!outside) sheet.appendChild(node);
    }
    body.appendChild(sheet);
    const starts = sheetStarts(sheet);
    const sheets = [sheet];
    for (const [el] of starts.slice(1)) {
      sheet = splitBefore(sheet, el);
      sheets.push(sheet);
    }
    const rules = pageRules();
    const boxes = new Map();
    sheets.forEach((each, i) => {
      const name = starts[i][1];
      if (!boxes.has(name)) boxes.set(name, pageBox(name, rules));
      const box = boxes.get(name);
      if (name) each.dataset.page = name;
      each.style.width = box.size[0];
      each.style.minHeight = box.size[1];
      each.style.padding = box.margin.join(" ");
      // Off-screen sheets are laid out only when scrolled to (content-visibility:
      // auto): a reload of a long document costs what the sheets in view cost.
      each.style.containIntrinsicSize = `auto ${box.size[0]} auto ${box.size[1]}`;
    });
  }

  // Where the reader is: the sheet at the top of the view and how far into it (a
  // position in pixels would not survive sheets laid out only when in view).
  function place() {
    const top = bar.getBoundingClientRect().bottom;
    const sheets = document.querySelectorAll(".plandocs-sheet");
    for (let i = 0; i < sheets.length; i++) {
      const box = sheets[i].getBoundingClientRect();
      if (box.bottom > top) return { sheet: i, offset: top - box.top };
    }
    return { y: window.scrollY };
  }

  function goTo(saved) {
    const sheets = document.querySelectorAll(".plandocs-sheet");
    const sheet = saved.sheet === undefined ? null : sheets[saved.sheet];
    if (!sheet) {
      window.scrollTo(0, saved.y || 0);
      return;
    }
    // The sheet just above would be laid out as soon as it is near the view, and
    // growing from its placeholder height it would push the text down: lay it (and
    // this one) out now. Sheets further up stay placeholders until scrolled to.
    for (const each of [sheets[saved.sheet - 1], sheet]) {
      if (each) each.style.contentVisibility = "visible";
    }
    const top = bar.getBoundingClientRect().bottom;
    window.scrollBy(0, sheet.getBoundingClientRect().top - top + saved.offset);
  }

  function restoreScroll() {
    const saved = sessionStorage.getItem(SCROLL_KEY);
    if (saved !== null) {
      sessionStorage.removeItem(SCROLL_KEY);
      goTo(JSON.parse(saved));
    } else if (location.hash) {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  if (bar.dataset.view === "document") {
    performance.mark("plandocs-sheets-start");
    layOutSheets();
    performance.measure("plandocs-sheets", "plandocs-sheets-start");
  }
  document.documentElement.classList.add("plandocs-ready");
  restoreScroll();

  const query = new URLSearchParams({ target: bar.dataset.target, version: bar.dataset.version });
  const events = new EventSource("/_preview/events?" + query.toString());
  events.addEventListener("reload", () => {
    events.close();
    sessionStorage.setItem(SCROLL_KEY, JSON.stringify(place()));
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
