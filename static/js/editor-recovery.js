// Work is never lost: the editor's fields are kept in this browser's localStorage until a
// save succeeds, offered back after a reload or a crash, and leaving with unsaved changes
// asks first. Loaded after editor.js, whose helpers it uses (window.RoleProfileEditor).
(function () {
  "use strict";
  const RP = window.RoleProfileEditor;
  if (!RP || !RP.editor) return;
  const editor = RP.editor;
  const key = "rp-editor:" + editor.dataset.draftKey;
  const SUBMITTED = "rp-editor-submitted";
  const banner = document.getElementById("recovery");
  const note = document.getElementById("unsaved-note");
  const bound = editor.dataset.bound === "true";
  let dirty = false;
  let submitting = false;
  let timer = null;

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      return null;
    }
  }

  function fields() {
    const pairs = [];
    new FormData(editor).forEach((value, name) => {
      if (name !== "csrfmiddlewaretoken") pairs.push([name, String(value)]);
    });
    return pairs;
  }

  function store() {
    try {
      window.localStorage.setItem(
        key,
        JSON.stringify({ saved: Date.now(), revision: revision(), fields: fields() })
      );
      if (note) note.textContent = RP.t("kept");
    } catch (error) {
      if (note) note.textContent = RP.t("not_kept");
    }
  }

  function revision() {
    const input = editor.querySelector("[name=seen_revision]");
    return input ? input.value : "";
  }

  RP.onChange = function () {
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(store, 250);
  };

  window.addEventListener("beforeunload", (event) => {
    if (!dirty || submitting) return;
    event.preventDefault();
    event.returnValue = "";
  });

  editor.addEventListener("submit", () => {
    submitting = true;
    window.clearTimeout(timer);
    store();
    // drafts.js, on the page the save leads to, forgets the copy once the save went through.
    window.sessionStorage.setItem(SUBMITTED, key);
  });

  // Restore ----------------------------------------------------------------------------
  function byName(pairs) {
    const values = new Map();
    pairs.forEach(([name, value]) => {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    });
    return values;
  }

  // Ask the server for the rows the kept copy had beyond those on the page.
  async function addMissingRows(values) {
    const totals = Array.from(values.keys()).filter((name) => name.endsWith("-TOTAL_FORMS"));
    // Sections first: their rows bring the item formsets the items need.
    totals.sort((a, b) => a.split("-").length - b.split("-").length);
    for (const name of totals) {
      const wanted = Number(values.get(name)[0]);
      let total = editor.querySelector("[name='" + name + "']");
      if (!total) continue;
      const button = editor.querySelector(".js-add-row[data-total='" + total.id + "']");
      const missing = wanted - Number(total.value);
      if (button && missing > 0) await RP.fetchRows(button, missing);
    }
  }

  function setControls(values) {
    Array.from(editor.elements).forEach((control) => {
      if (!control.name || control.name === "csrfmiddlewaretoken") return;
      if (control.name === "seen_revision" || control.name.endsWith("_FORMS")) return;
      const kept = values.get(control.name) || [];
      if (control.type === "checkbox" || control.type === "radio") {
        control.checked = kept.includes(control.value);
      } else if (control.tagName === "SELECT") {
        Array.from(control.options).forEach((o) => (o.selected = kept.includes(o.value)));
      } else if (control.type !== "button" && control.type !== "submit") {
        control.value = kept.length ? kept[0] : "";
      }
      if (control.name.endsWith("-DELETE")) {
        control.closest("[data-row]").classList.toggle("is-removed", control.checked);
      }
    });
  }

  function reorder() {
    editor.querySelectorAll(".js-rows").forEach((container) => {
      const rows = RP.ownRows(container);
      const position = (row) => {
        const order = RP.own(row, ".js-order");
        const value = order && order.value ? Number(order.value) : Infinity;
        return value;
      };
      rows
        .map((row, index) => [position(row), index, row])
        .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .forEach(([, , row]) => container.append(row));
      if (container.hasAttribute("data-groups")) RP.regroup(container);
      // A kept row with text shows even where the page had it as a hidden spare.
      rows.forEach((row) => {
        if (row.hidden && Array.from(row.querySelectorAll("textarea, input, select")).some(RP.isChanged)) {
          row.hidden = false;
        }
      });
    });
  }

  async function restore(kept) {
    const values = byName(kept.fields);
    await addMissingRows(values);
    setControls(values);
    reorder();
    RP.growAll(editor);
    RP.updateTotals();
    RP.updateOutline();
    editor.dispatchEvent(new CustomEvent("editor-changed"));
    window.localStorage.setItem(key, JSON.stringify(kept));
    dirty = true;
    if (note) note.textContent = RP.t("kept");
  }

  function offer(kept) {
    const when = new Date(kept.saved).toLocaleString(document.documentElement.lang || "en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
    });
    let text = RP.t("recovery", { when: when });
    if (kept.revision && kept.revision !== revision()) {
      text += " " + RP.t("saved_since");
    }
    document.getElementById("recovery-text").textContent = text;
    banner.classList.remove("d-none");
    document.getElementById("recovery-restore").addEventListener("click", async () => {
      banner.classList.add("d-none");
      await restore(kept);
      RP.say(RP.t("restored"));
      editor.querySelector("[type=submit]").focus();
    });
    document.getElementById("recovery-discard").addEventListener("click", () => {
      window.localStorage.removeItem(key);
      banner.classList.add("d-none");
      RP.say(RP.t("discarded"));
    });
  }

  window.sessionStorage.removeItem(SUBMITTED);
  const kept = read();
  if (bound) {
    // A refused save: every keystroke is on the page already; keep the copy current.
    dirty = true;
    store();
  } else if (kept && kept.fields && banner) {
    offer(kept);
  }
})();
