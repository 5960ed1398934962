// The "Minimum criterion" checkbox (Disability Confident) belongs to essential criteria: it is
// shown on a row whose requirement is essential and hidden on a desirable one (the server
// refuses a desirable criterion marked minimum either way: profiles.rules.check_minimum).
(function () {
  "use strict";
  const form = document.getElementById("editor");
  if (!form) return;
  const REQUIREMENT = "select[name$='-requirement']";

  function sync(row) {
    const select = row.querySelector(REQUIREMENT);
    const box = row.querySelector(".criterion-minimum");
    if (select && box) box.hidden = select.value === "desirable";
  }

  function syncWithin(element) {
    if (element.matches && element.matches(".criterion-row")) sync(element);
    if (element.querySelectorAll) element.querySelectorAll(".criterion-row").forEach(sync);
  }

  form.addEventListener("change", (event) => {
    const row = event.target.closest(".criterion-row");
    if (row && event.target.matches(REQUIREMENT)) sync(row);
  });
  // Rows added with htmx ("Add a criterion", the library).
  document.body.addEventListener("htmx:load", (event) => syncWithin(event.detail.elt));
  syncWithin(form);
})();
