// The inbox's small behaviours. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // The reply's length beside its box (the platform's limit is checked again on the server).
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!box.matches || !box.matches("textarea[data-counter=reply-count]")) return;
    let out = document.getElementById("reply-count");
    if (!out) {
      out = document.createElement("div");
      out.id = "reply-count";
      out.className = "small text-body-secondary";
      box.insertAdjacentElement("afterend", out);
    }
    out.textContent = Array.from(box.value).length + " " + (box.dataset.word || "");
  });
})();
