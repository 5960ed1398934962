// On any page but the editor: a save just submitted went through, so the copy of the
// unsaved work that the editor kept in this browser (editor-recovery.js) is forgotten.
(function () {
  "use strict";
  const submitted = window.sessionStorage.getItem("rp-editor-submitted");
  if (!submitted || document.getElementById("editor")) return;
  window.localStorage.removeItem(submitted);
  window.sessionStorage.removeItem("rp-editor-submitted");
})();
