// Small behaviours shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // A form or button with data-confirm asks first, and says what will change.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const submitter = event.submitter;
    const message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
  // Show a chart's numbers as a table, and back.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-toggle-table]");
    if (!button) return;
    const id = button.dataset.toggleTable;
    document.getElementById(id + "-table").classList.toggle("d-none");
    document.getElementById(id).classList.toggle("d-none");
  });
  // "Select all" for bulk actions, and the live count on the bulk button.
  function updateBulk(form) {
    const count = form.querySelectorAll("input[name=ids]:checked").length;
    form.querySelectorAll("[data-bulk-count]").forEach((node) => { node.textContent = count; });
    form.querySelectorAll("[data-bulk-action]").forEach((node) => { node.disabled = count === 0; });
  }
  document.addEventListener("change", (event) => {
    const box = event.target;
    if (box.dataset.autosubmit !== undefined && box.form) { box.form.submit(); return; }
    const form = box.form;
    if (!form) return;
    if (box.dataset.selectAll !== undefined) {
      form.querySelectorAll("input[name=ids]").forEach((item) => { item.checked = box.checked; });
    }
    if (box.name === "ids" || box.dataset.selectAll !== undefined) updateBulk(form);
  });
})();
