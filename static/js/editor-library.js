// Libraries to pick from instead of typing: a dialog whose results htmx loads from the
// server (profiles/library_views.py); "Insert" or "Add" fills a new row of the part the
// library was opened from. Uses editor.js's helpers (window.RoleProfileEditor).
(function () {
  "use strict";
  const RP = window.RoleProfileEditor;
  const dialog = document.getElementById("library");
  if (!RP || !RP.editor || !dialog) return;
  const search = document.getElementById("library-search");
  const title = document.getElementById("library-title");
  const TITLES = {
    text: RP.t("library_text"),
    behaviours: RP.t("library_behaviours"),
    skills: RP.t("library_skills"),
    methods: RP.t("library_methods"),
  };
  let target = null; // the part's "Add" button, which knows where rows go

  RP.editor.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-library]");
    if (!opener) return;
    const kind = opener.dataset.library;
    target = opener.closest(".part-buttons").querySelector(".js-add-row");
    search.elements.kind.value = kind;
    search.elements.q.value = "";
    const framework = RP.editor.querySelector("[name='profile-framework']");
    search.elements.framework.value = framework ? framework.value : "";
    search.querySelector("[data-library-level]").hidden = kind !== "behaviours";
    title.textContent = TITLES[kind];
    document.getElementById("library-results").replaceChildren();
    dialog.showModal();
    document.getElementById("library-q").focus();
    window.htmx.trigger(search, "submit");
  });

  search.addEventListener("submit", (event) => event.preventDefault());

  dialog.addEventListener("click", async (event) => {
    if (event.target.closest("[data-library-close]")) {
      dialog.close();
      return;
    }
    const method = event.target.closest("[data-method]");
    if (method) {
      let ticked = 0;
      RP.editor.querySelectorAll("#criteria-rows > [data-row]:not([hidden])").forEach((row) => {
        const box = RP.own(row, "input[name$='-methods'][value='" + method.dataset.method + "']");
        if (box && !box.checked && !row.classList.contains("is-removed") && !RP.isBlankNew(row)) {
          box.checked = true;
          ticked += 1;
        }
      });
      RP.changed();
      RP.say(ticked === 1 ? RP.t("ticked_one") : RP.t("ticked", { count: ticked }));
      return;
    }
    const button = event.target.closest("[data-insert]");
    if (!button || !target) return;
    button.disabled = true;
    const [row] = await RP.rowsFor(target, 1);
    const data = button.dataset;
    // A criterion from another profile goes under a group of its category: a new one unless
    // the group it lands in (the last) has it already.
    const container = row.parentElement;
    // Inserted at the end of the part, after a group added since the spare row was made.
    if (row !== container.lastElementChild) {
      container.append(row);
      RP.renumber(container);
    }
    if (data.category && container.hasAttribute("data-groups") && !container.hasAttribute("data-items")) {
      const head = RP.groupOf(row);
      if (!head || RP.headValues(head).category !== data.category) {
        container.insertBefore(RP.makeHead(container, { category: data.category }), row);
      }
    }
    if (data.text !== undefined) {
      RP.setValue(RP.own(row, "textarea[name$='-text']"), data.text);
    }
    ["level", "requirement", "category"].forEach((name) => {
      const select = RP.own(row, "select[name$='-" + name + "']");
      if (select && data[name]) {
        select.value = data[name];
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    RP.changed();
    button.disabled = false;
    button.firstChild.textContent = RP.t("added");
    RP.say(RP.t("added_to", { part: target.closest("[data-part]").dataset.outlineLabel }));
  });
})();
