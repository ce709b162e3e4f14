// Emergency's small behaviours. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // The statement form shows the account list only when "chosen accounts" is picked.
  function syncTargets() {
    const chosen = document.querySelector("input[name=target_all]:checked");
    const box = document.querySelector("[data-targets]");
    if (!chosen || !box) return;
    box.classList.toggle("d-none", chosen.value === "1");
  }
  document.addEventListener("change", (event) => {
    if (event.target.name === "target_all") syncTargets();
  });
  document.addEventListener("DOMContentLoaded", syncTargets);

  // Returning a statement needs the commander's comments.
  document.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    const needs = submitter && submitter.dataset.needsComment;
    if (!needs) return;
    const comment = event.target.querySelector("textarea[name=comment]");
    if (comment && !comment.value.trim()) {
      event.preventDefault();
      comment.classList.add("is-invalid");
      comment.setAttribute("placeholder", needs);
      comment.focus();
    }
  });
})();
