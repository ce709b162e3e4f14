// Copy the approved text of a manual task (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  if (window.govmatrixManualCopy) return; // the card and the page may both load this file
  window.govmatrixManualCopy = true;
  function copied(button) {
    const label = button.querySelector("span");
    if (!label) return;
    const before = label.textContent;
    label.textContent = button.dataset.copiedLabel || before;
    window.setTimeout(() => { label.textContent = before; }, 2000);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy-from]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copyFrom);
    if (!source) return;
    const text = source.value;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => copied(button), () => {
        source.select();
      });
      return;
    }
    // Plain http (an office intranet): select the text and copy the old way.
    source.focus();
    source.select();
    try {
      if (document.execCommand("copy")) copied(button);
    } catch (error) {
      // The text stays selected: Ctrl+C copies it.
    }
  });
})();
