// "Copy" buttons of the advert page: a button's data-copy names the textarea whose text it
// copies; with data-copy-rich it copies that text as HTML (pasted formatted) and the
// textarea named by data-copy-text as its plain-text alternative.
(function () {
  "use strict";
  const status = document.getElementById("copy-status");

  function say(button, message) {
    if (status) status.textContent = message;
    const label = button.textContent;
    button.textContent = message;
    window.setTimeout(function () { button.textContent = label; }, 1500);
  }

  function fallback(textarea) {
    textarea.select();
    return document.execCommand("copy");
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      const source = document.getElementById(button.dataset.copy);
      const plain = document.getElementById(button.dataset.copyText || button.dataset.copy);
      let copying;
      if (button.hasAttribute("data-copy-rich") && window.ClipboardItem && navigator.clipboard) {
        copying = navigator.clipboard.write([
          new ClipboardItem({
            "text/html": new Blob([source.value], { type: "text/html" }),
            "text/plain": new Blob([plain.value], { type: "text/plain" }),
          }),
        ]);
      } else if (navigator.clipboard) {
        copying = navigator.clipboard.writeText(source.value);
      } else {
        copying = fallback(source) ? Promise.resolve() : Promise.reject();
      }
      copying.then(
        function () { say(button, "Copied"); },
        function () { say(button, fallback(source) ? "Copied" : "Select and copy by hand"); }
      );
    });
  });
})();
