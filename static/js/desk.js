// Keyboard shortcuts and small behaviours for the desk. No build step: plain ES2020.
(function () {
  "use strict";

  // Deferred after htmx.min.js, so htmx is already defined here.
  if (window.htmx) configureHtmx();

  function configureHtmx() {
    // A 400 carries the form with its errors: swap it in like a 200.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "400", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  function typing(event) {
    const el = event.target;
    return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
  }

  function rows() { return Array.from(document.querySelectorAll(".queue-row")); }

  function select(index) {
    const all = rows();
    if (!all.length) return;
    const i = Math.max(0, Math.min(all.length - 1, index));
    all.forEach((r) => r.classList.remove("selected"));
    all[i].classList.add("selected");
    all[i].focus();
  }

  function current() {
    const all = rows();
    return all.findIndex((r) => r === document.activeElement || r.classList.contains("selected"));
  }

  function click(selector) {
    const el = document.querySelector(selector);
    if (el) { el.click(); return true; }
    return false;
  }

  let pendingG = false;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      const panel = document.getElementById("action-panel");
      if (panel && panel.innerHTML.trim()) { panel.innerHTML = ""; event.preventDefault(); }
      return;
    }
    if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (pendingG) {
      pendingG = false;
      if (event.key === "q") { window.location.href = "/desk/"; return; }
      if (event.key === "t") { window.location.href = "/desk/team/"; return; }
    }
    switch (event.key) {
      case "g": pendingG = true; setTimeout(() => { pendingG = false; }, 1200); return;
      case "j": event.preventDefault(); select(current() + 1); return;
      case "k": event.preventDefault(); select(current() - 1); return;
      case "o":
      case "Enter": {
        const row = rows()[current()];
        if (row && (event.key === "o" || event.target === row)) { event.preventDefault(); window.location.href = row.dataset.href; }
        return;
      }
      case "/": {
        const first = document.querySelector(".filter-bar select, .filter-bar input");
        if (first) { event.preventDefault(); first.focus(); }
        return;
      }
      case "?": {
        const modal = document.getElementById("shortcuts");
        if (modal && window.bootstrap) { window.bootstrap.Modal.getOrCreateInstance(modal).show(); }
        return;
      }
      default: {
        const target = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
        if (target) { event.preventDefault(); target.click(); }
      }
    }
  });

  // Rows open on click (links inside still work on their own).
  document.addEventListener("click", function (event) {
    const close = event.target.closest("[data-close-action]");
    if (close) { document.getElementById("action-panel").innerHTML = ""; return; }
    const row = event.target.closest(".queue-row");
    if (row && !event.target.closest("a, input, button, label")) window.location.href = row.dataset.href;
  });

  // Team queue: select all + count.
  document.addEventListener("change", function (event) {
    if (event.target.id === "select-all") {
      document.querySelectorAll(".row-check").forEach((c) => { c.checked = event.target.checked; });
    }
    if (event.target.id === "select-all" || event.target.classList.contains("row-check")) {
      const n = document.querySelectorAll(".row-check:checked").length;
      const out = document.getElementById("selected-count");
      if (out) out.textContent = n ? `${n} selected` : "";
    }
  });

  // Focus the first field of a freshly loaded action form.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "action-panel") {
      const field = event.target.querySelector("input:not([type=hidden]), select, textarea");
      if (field) field.focus();
    }
  });
})();
