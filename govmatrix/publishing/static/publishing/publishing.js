// Publishing's small behaviours. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // The length of the text as the account's platform counts it, beside the text box.
  function platformLength(text, half) {
    if (!half) return Array.from(text).length;
    let wide = 0;
    let narrow = 0;
    for (const ch of text) { if (ch.codePointAt(0) > 0x7f) wide += 1; else narrow += 1; }
    return wide + Math.ceil(narrow / 2);
  }

  function setUpCounter() {
    const box = document.querySelector("textarea[data-counter]");
    const out = box && document.getElementById(box.dataset.counter);
    const limitsNode = document.getElementById("post-limits");
    if (!box || !out || !limitsNode) return;
    const limits = JSON.parse(limitsNode.textContent);
    const account = document.querySelector("select[name=account]");
    function update() {
      const limit = limits[account ? account.value : ""] || null;
      const n = platformLength(box.value, limit && limit.half);
      const word = out.dataset.word || "";
      if (!limit) { out.textContent = n + " " + word; out.className = "small"; return; }
      const over = n > limit.max;
      out.textContent = n + " / " + limit.max + " " + word
        + (over ? " · " + (out.dataset.over || "").replace("{n}", String(n - limit.max)) : "")
        + (limit.connected ? "" : " · " + (out.dataset.unconnected || ""));
      out.className = "small " + (over ? "text-danger fw-semibold" : "text-body-secondary");
    }
    box.addEventListener("input", update);
    if (account) account.addEventListener("change", update);
    update();
  }

  document.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (!submitter) return;
    // A bulk action says how many rows it will change before it changes them.
    const template = submitter.dataset.confirmCount;
    if (template) {
      const count = event.target.querySelectorAll("input[name=ids]:checked").length;
      if (!window.confirm(template.replace("{n}", String(count)))) event.preventDefault();
      return;
    }
    // Returning a post needs the leader's comments.
    const needs = submitter.dataset.needsComment;
    if (needs) {
      const comment = event.target.querySelector("textarea[name=comment]");
      if (comment && !comment.value.trim()) {
        event.preventDefault();
        comment.classList.add("is-invalid");
        comment.setAttribute("placeholder", needs);
        comment.focus();
      }
    }
  });

  document.addEventListener("DOMContentLoaded", setUpCounter);
})();
