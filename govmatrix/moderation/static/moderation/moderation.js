// Moderation pages. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // A bulk action says how many rows it will change before it changes them.
  document.addEventListener("submit", (event) => {
    const submitter = event.submitter;
    if (!submitter) return;
    const template = submitter.dataset.confirmCount;
    if (!template) return;
    const count = event.target.querySelectorAll("input[name=ids]:checked").length;
    if (!window.confirm(template.replace("{n}", String(count)))) event.preventDefault();
  }, true);
  // The outcome form asks for a note when the comment is kept or the request failed.
  document.addEventListener("change", (event) => {
    const select = event.target.closest("[data-outcome-select]");
    if (!select) return;
    const note = document.getElementById(select.dataset.outcomeSelect);
    if (note) note.required = select.value === "retained" || select.value === "rejected";
  });
})();
