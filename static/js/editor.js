// The profile editor: live weighting totals, items grouped under a subheading typed once
// (and criteria under a category chosen once), reordering by buttons, keyboard and drag, the outline at the side, and the bookkeeping
// htmx needs to add formset rows. Work kept in this browser until saved: editor-recovery.js.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  const announce = document.getElementById("editor-announce");
  const RP = (window.RoleProfileEditor = window.RoleProfileEditor || {});

  function say(text) {
    announce.textContent = text;
  }

  // The words of the interface language (profiles/templatetags/interface.py), "{name}" filled.
  const words = JSON.parse(document.getElementById("editor-strings").textContent);
  function t(key, values) {
    let text = words[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => {
      text = text.replace("{" + name + "}", value);
    });
    return text;
  }
  RP.t = t;

  function number(input) {
    if (!input) return null;
    const value = input.value.trim().replace(",", ".");
    if (value === "") return null;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }

  function format(value) {
    return (Math.round(value * 100) / 100).toString() + " %";
  }

  function isRemoved(row) {
    for (let node = row; node && node !== editor; node = node.parentElement) {
      if (node.classList && node.classList.contains("is-removed")) return true;
    }
    return false;
  }

  function ownRows(container) {
    return Array.from(container.children).filter((child) => child.hasAttribute("data-row"));
  }

  function own(row, selector) {
    return Array.from(row.querySelectorAll(selector)).find(
      (element) => element.closest("[data-row]") === row
    );
  }

  // Totals -------------------------------------------------------------------------------
  function updateTotals() {
    let profileTotal = 0;
    editor.querySelectorAll("#sections-rows > [data-row]").forEach((sectionRow) => {
      const declared = number(own(sectionRow, ".js-section-weighting"));
      const items = sectionRow.querySelector("[data-section-items]");
      let sum = 0;
      let weighted = false;
      if (items) {
        items.querySelectorAll(".js-item-weighting").forEach((input) => {
          const value = number(input);
          if (value !== null && !isRemoved(input.closest("[data-row]"))) {
            sum += value;
            weighted = true;
          }
        });
        const output = items.querySelector(".js-section-total");
        const wrong = declared !== null && weighted && Math.abs(sum - declared) > 0.001;
        const text =
          format(sum) +
          (declared !== null ? " of the section's " + format(declared) : "") +
          (wrong ? ": they must add up to the section's total" : "");
        if (output.textContent !== text) output.textContent = text;
        output.classList.toggle("is-wrong", wrong);
      }
      if (!isRemoved(sectionRow)) profileTotal += declared !== null ? declared : sum;
    });
    const profileOutput = editor.querySelector(".js-profile-total");
    if (profileOutput) {
      const text = format(profileTotal);
      if (profileOutput.textContent !== text) profileOutput.textContent = text;
      profileOutput.classList.toggle("is-wrong", profileTotal > 100.001);
    }
  }

  // Groups: a subheading (or a criterion's category and heading) set once on the group's
  // head, copied to the hidden fields of the rows under it. A head's controls name the
  // field they set (data-group-field); a row's hidden copies are .js-group-value.
  function groupOf(row) {
    for (let node = row.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.hasAttribute("data-group-head")) return node;
    }
    return null;
  }

  function fieldName(hidden) {
    return hidden.name.slice(hidden.name.lastIndexOf("-") + 1);
  }

  function groupValues(row) {
    return Array.from(row.querySelectorAll("input.js-group-value")).filter(
      (hidden) => hidden.closest("[data-row]") === row
    );
  }

  function headValues(head) {
    const values = {};
    head.querySelectorAll("[data-group-field]").forEach((control) => {
      values[control.dataset.groupField] = control.value.trim();
    });
    return values;
  }

  // What a group is called: its typed name, else its chosen category.
  function groupName(head) {
    const typed = head.querySelector("input[data-group-field]");
    if (typed && typed.value.trim()) return typed.value.trim();
    const select = head.querySelector("select[data-group-field]");
    return select && select.value ? select.options[select.selectedIndex].text : "";
  }

  function syncGroups(container) {
    let current = {};
    Array.from(container.children).forEach((child) => {
      if (child.hasAttribute("data-group-head")) {
        current = headValues(child);
      } else if (child.hasAttribute("data-row")) {
        // A blank new row takes its group's values only once something is typed into it,
        // or it would be saved as an empty row.
        const blank = isBlankNew(child);
        groupValues(child).forEach((hidden) => {
          const value = blank ? hidden.defaultValue : current[fieldName(hidden)] || "";
          if (hidden.value !== value) hidden.value = value;
        });
      }
    });
  }

  function isBlankNew(row) {
    const id = own(row, "input[name$='-id']");
    if (id && id.value) return false;
    return Array.from(row.querySelectorAll("textarea, input:not([type=hidden]), select")).every(
      (control) => (control.type === "checkbox" ? !control.checked : !control.value.trim())
    );
  }

  function syncAllGroups() {
    editor.querySelectorAll("[data-groups]").forEach(syncGroups);
  }

  let groupCounter = 0;
  function makeGroupHead(container, subheading) {
    groupCounter += 1;
    const id = container.id.replace(/-rows$/, "") + "-newgroup-" + groupCounter;
    const head = document.createElement("div");
    head.className = "group-head";
    head.setAttribute("data-group-head", "");
    const label = document.createElement("label");
    label.className = "group-label";
    label.htmlFor = id;
    label.textContent = t("subheading");
    const input = document.createElement("input");
    input.type = "text";
    input.className = "form-control form-control-sm group-subheading";
    input.id = id;
    input.maxLength = 200;
    input.value = subheading;
    input.setAttribute("data-group-input", "");
    input.dataset.groupField = "subheading";
    const actions = document.createElement("div");
    actions.className = "row-actions";
    actions.setAttribute("role", "group");
    actions.setAttribute("aria-label", t("group_actions"));
    [
      ["up", "↑", t("move_group_up")],
      ["down", "↓", t("move_group_down")],
    ].forEach(([direction, arrow, name]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-secondary btn-sm";
      button.dataset.moveGroup = direction;
      const icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = arrow;
      const text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = name;
      button.append(icon, text);
      actions.append(button);
    });
    head.append(label, input, actions);
    return head;
  }

  // A group head for criteria, from the page's <template> (it holds the category choices).
  function makeTemplateHead(container) {
    groupCounter += 1;
    const template = document.getElementById(container.dataset.partRows + "-group-template");
    const head = template.content.firstElementChild.cloneNode(true);
    const id = "new" + groupCounter;
    head.querySelectorAll("[id]").forEach((element) => (element.id = element.id.replace("__group__", id)));
    head.querySelectorAll("label[for]").forEach((label) => {
      label.htmlFor = label.htmlFor.replace("__group__", id);
    });
    return head;
  }

  function makeHead(container, values) {
    if (container.hasAttribute("data-items")) return makeGroupHead(container, values.subheading || "");
    const head = makeTemplateHead(container);
    head.querySelectorAll("[data-group-field]").forEach((control) => {
      control.value = values[control.dataset.groupField] || "";
    });
    return head;
  }

  // Rebuild the group heads from the rows' own hidden values (after a restore).
  function regroup(container) {
    container.querySelectorAll(":scope > [data-group-head]").forEach((head) => head.remove());
    let current = null;
    ownRows(container).forEach((row) => {
      // A blank new row (the spare at the end) belongs to the group above it.
      if (isBlankNew(row)) return;
      const values = {};
      const none = {};
      groupValues(row).forEach((hidden) => {
        values[fieldName(hidden)] = hidden.value;
        none[fieldName(hidden)] = "";
      });
      if (current === null) current = JSON.stringify(none);
      if (JSON.stringify(values) !== current) {
        container.insertBefore(makeHead(container, values), row);
        current = JSON.stringify(values);
      }
    });
  }

  // Blocks of a flat list: a group head and the rows under it (the first may have no head).
  function blocks(container) {
    const result = [];
    Array.from(container.children).forEach((child) => {
      if (child.hasAttribute("data-group-head") || result.length === 0) result.push([]);
      result[result.length - 1].push(child);
    });
    return result;
  }

  function moveGroup(head, direction) {
    const container = head.parentElement;
    const all = blocks(container);
    const index = all.findIndex((block) => block[0] === head);
    const other = all[direction === "up" ? index - 1 : index + 1];
    if (index < 0 || !other) return false;
    if (direction === "up") {
      all[index].forEach((element) => container.insertBefore(element, other[0]));
    } else {
      other.forEach((element) => container.insertBefore(element, head));
    }
    // The spare blank rows stay at the end, where "Add" takes them from.
    ownRows(container)
      .filter((row) => row.hidden && isBlankNew(row))
      .forEach((row) => container.append(row));
    return true;
  }

  // Order -------------------------------------------------------------------------------
  function renumber(container) {
    ownRows(container).forEach((row, index) => {
      const order = own(row, ".js-order");
      if (order) order.value = index + 1;
    });
  }

  function afterMove(container, row) {
    renumber(container);
    if (container.hasAttribute("data-groups")) syncGroups(container);
    const rows = ownRows(container);
    let message = t("moved_to", { position: rows.indexOf(row) + 1, count: rows.length });
    const head = container.hasAttribute("data-groups") ? groupOf(row) : null;
    if (head && groupName(head)) message += " " + t("under", { group: groupName(head) });
    say(message);
    changed();
  }

  editor.addEventListener("click", (event) => {
    const groupButton = event.target.closest("[data-move-group]");
    if (groupButton) {
      const head = groupButton.closest("[data-group-head]");
      if (moveGroup(head, groupButton.dataset.moveGroup)) {
        renumber(head.parentElement);
        syncGroups(head.parentElement);
        groupButton.focus();
        say(t(groupButton.dataset.moveGroup === "up" ? "group_moved_up" : "group_moved_down"));
        changed();
      }
      return;
    }
    const button = event.target.closest("[data-move]");
    if (button) {
      const row = button.closest("[data-row]");
      const container = row.parentElement;
      const before = row.previousElementSibling;
      const after = row.nextElementSibling;
      if (button.dataset.move === "up" && before) {
        container.insertBefore(row, before);
      } else if (button.dataset.move === "down" && after) {
        container.insertBefore(after, row);
      } else {
        return;
      }
      button.focus();
      afterMove(container, row);
      return;
    }
    const several = event.target.closest("[data-add-several]");
    if (several) {
      openSeveral(several);
      return;
    }
    if (event.target.closest("[data-add-group]")) {
      const part = event.target.closest("[data-group-part]");
      const container = part.querySelector("[data-groups]");
      const head = makeHead(container, {});
      container.append(head);
      pendingFocus = head.querySelector("[data-group-field]");
      part.querySelector(".js-add-row").click();
      say(
        container.hasAttribute("data-items")
          ? t("group_added_subheading")
          : t("group_added_category")
      );
    }
  });

  // Drag and drop -----------------------------------------------------------------------
  let dragged = null;
  editor.addEventListener("pointerdown", (event) => {
    const handle = event.target.closest(".drag-handle");
    if (handle) handle.closest("[data-row]").draggable = true;
  });
  editor.addEventListener("dragstart", (event) => {
    const row = event.target.closest && event.target.closest("[data-row]");
    if (!row || !row.draggable) return;
    dragged = row;
    row.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "row");
  });
  editor.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const container = dragged.parentElement;
    const target = Array.from(container.children).find((child) => {
      if (child === dragged || !child.contains(event.target)) return false;
      return true;
    });
    if (!target && !container.contains(event.target)) return;
    event.preventDefault();
    if (!target) return;
    const box = target.getBoundingClientRect();
    const below = event.clientY > box.top + box.height / 2;
    container.insertBefore(dragged, below ? target.nextElementSibling : target);
  });
  editor.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });
  editor.addEventListener("dragend", () => {
    if (!dragged) return;
    const row = dragged;
    dragged = null;
    row.classList.remove("is-dragging");
    row.draggable = false;
    afterMove(row.parentElement, row);
  });

  // Text areas grow with their text where CSS alone cannot do it.
  const sizesItself = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function grow(textarea) {
    if (sizesItself) return;
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }
  function growAll(root) {
    root.querySelectorAll("textarea").forEach(grow);
  }

  // Outline -----------------------------------------------------------------------------
  const outline = document.getElementById("outline");

  function isChanged(control) {
    if (control.type === "checkbox" || control.type === "radio") {
      return control.checked !== control.defaultChecked;
    }
    if (control.tagName === "SELECT") {
      return Array.from(control.options).some((o) => o.selected !== o.defaultSelected);
    }
    if (control.type === "hidden" && !control.classList.contains("js-group-value")) return false;
    return control.value !== control.defaultValue;
  }

  function partLabel(part) {
    if (!part.classList.contains("editor-section")) return part.dataset.outlineLabel;
    const heading = own(part, "input[name$='-heading']");
    const kind = own(part, "select[name$='-kind']");
    const label =
      (heading && heading.value.trim()) ||
      (kind && kind.value ? kind.options[kind.selectedIndex].text : "") ||
      t("new_section");
    const title = own(part, ".js-section-title");
    if (title && title.textContent !== label) title.textContent = label;
    return label;
  }

  function partState(part) {
    const states = [];
    const problems = part.querySelectorAll(".is-invalid, .alert-danger").length;
    if (problems) {
      states.push(["has-errors", problems === 1 ? t("one_problem") : t("problems", { count: problems })]);
    }
    const total = part.querySelector(".js-section-total");
    const weighted =
      own(part, ".js-section-weighting") && own(part, ".js-section-weighting").value.trim();
    if (total && (weighted || Array.from(part.querySelectorAll(".js-item-weighting")).some((i) => i.value.trim()))) {
      const wrong = total.classList.contains("is-wrong");
      states.push([wrong ? "is-wrong" : "", t("weighting", { total: total.textContent.split(":")[0] })]);
    }
    if (isRemoved(part)) states.push(["is-changed", t("to_be_removed")]);
    const controls = part.querySelectorAll("input, select, textarea");
    if (Array.from(controls).some((control) => control.name && isChanged(control))) {
      states.push(["is-changed", t("unsaved_changes")]);
    }
    return states;
  }

  function updateOutline() {
    if (!outline) return;
    const parts = Array.from(editor.querySelectorAll("[data-part]")).filter((part) => !part.hidden);
    const items = parts.map((part) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#" + part.id;
      link.textContent = partLabel(part);
      li.append(link);
      const states = partState(part);
      if (states.length) {
        const state = document.createElement("span");
        state.className = "outline-state";
        states.forEach(([css, text], index) => {
          const span = document.createElement("span");
          if (css) span.className = css;
          span.textContent = (index ? ", " : "") + text;
          state.append(span);
        });
        li.append(state);
      }
      return li;
    });
    outline.replaceChildren(...items);
  }

  let outlineTimer = null;
  function scheduleOutline() {
    window.clearTimeout(outlineTimer);
    outlineTimer = window.setTimeout(updateOutline, 150);
  }

  function changed() {
    updateTotals();
    scheduleOutline();
    if (RP.onChange) RP.onChange();
    // The publication checklist beside the draft asks the server again (htmx, debounced).
    editor.dispatchEvent(new CustomEvent("editor-changed"));
  }

  // The checklist is a live region: an answer that says nothing new is not swapped in,
  // so a screen reader hears it only when something changed.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (!target || target.id !== "editor-checklist") return;
    if (!event.detail.xhr || event.detail.xhr.status !== 200) {
      event.detail.shouldSwap = false;
      return;
    }
    const answer = document.createElement("template");
    answer.innerHTML = event.detail.serverResponse;
    if (answer.content.textContent.trim() === target.textContent.trim()) {
      event.detail.shouldSwap = false;
    }
  });

  outline &&
    outline.addEventListener("click", (event) => {
      const link = event.target.closest("a");
      if (!link) return;
      const part = document.getElementById(link.hash.slice(1));
      if (!part) return;
      event.preventDefault();
      part.setAttribute("tabindex", "-1");
      part.scrollIntoView();
      part.focus({ preventScroll: true });
    });

  // A criterion typed without choosing takes the requirement of the one above it (or the
  // first option, Essential); its category is its group's. The choice stays on view to change.
  function inheritChoices(row) {
    ["requirement"].forEach((name) => {
      const select = own(row, "select[name$='-" + name + "']");
      if (!select || select.value) return;
      let source = null;
      for (let node = row.previousElementSibling; node && !source; node = node.previousElementSibling) {
        const above = node.hasAttribute("data-row") && own(node, "select[name$='-" + name + "']");
        if (above && above.value) source = above.value;
      }
      const first = Array.from(select.options).find((option) => option.value);
      select.value = source || (first ? first.value : "");
    });
  }

  editor.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") grow(event.target);
    if (event.target.name && /^criteria-\d+-text$/.test(event.target.name) && event.target.value) {
      inheritChoices(event.target.closest("[data-row]"));
    }
    const groups = event.target.closest("[data-groups]");
    if (groups) syncGroups(groups);
    changed();
  });
  editor.addEventListener("change", (event) => {
    const groups = event.target.closest("[data-groups]");
    if (groups) syncGroups(groups);
    if (event.target.name && event.target.name.endsWith("-DELETE")) {
      const row = event.target.closest("[data-row]");
      row.classList.toggle("is-removed", event.target.checked);
      say(event.target.checked ? t("row_marked") : t("row_kept"));
    }
    changed();
  });

  // Adding rows -------------------------------------------------------------------------
  // htmx asks the server for a blank row numbered after the rows already there.
  let pendingFocus = null;
  document.body.addEventListener("htmx:configRequest", (event) => {
    const button = event.detail.elt;
    if (!button.classList || !button.classList.contains("js-add-row")) return;
    const total = document.getElementById(button.dataset.total);
    event.detail.parameters.index = total.value;
    total.value = Number(total.value) + 1;
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const container = event.detail.target;
    if (!editor.contains(container)) return;
    added(container);
    const focus = pendingFocus;
    pendingFocus = null;
    const rows = ownRows(container);
    const row = rows[rows.length - 1];
    const first = row && row.querySelector("textarea, input:not([type=hidden]), select");
    if (focus) focus.focus();
    else if (first) first.focus();
    say(t("row_added"));
  });

  // After rows arrive (htmx, a library or a restore): number them and bring them to life.
  function added(container) {
    renumber(container);
    if (container.hasAttribute("data-groups")) syncGroups(container);
    growAll(container);
    changed();
  }

  // Rows fetched without htmx's click, `count` at a time, for lists and libraries.
  async function fetchRows(button, count) {
    const container = document.querySelector(button.getAttribute("hx-target"));
    const total = document.getElementById(button.dataset.total);
    const values = JSON.parse(button.getAttribute("hx-vals") || "{}");
    const rows = [];
    for (let n = 0; n < count; n += 1) {
      const params = new URLSearchParams(values);
      params.set("index", total.value);
      total.value = Number(total.value) + 1;
      const url = new URL(button.getAttribute("hx-get"), window.location.href);
      params.forEach((value, name) => url.searchParams.set(name, value));
      const response = await fetch(url, {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(t("row_failed", { status: response.status }));
      const template = document.createElement("template");
      template.innerHTML = (await response.text()).trim();
      const row = template.content.firstElementChild;
      container.append(row);
      if (window.htmx) window.htmx.process(row);
      rows.push(row);
    }
    added(container);
    return rows;
  }

  // A blank row at the end of a part is filled before new ones are fetched.
  function blankRows(container) {
    return ownRows(container).filter(isBlankNew);
  }

  async function rowsFor(button, count) {
    const container = document.querySelector(button.getAttribute("hx-target"));
    const blanks = blankRows(container).slice(0, count);
    blanks.forEach((row) => (row.hidden = false));
    renumber(container);
    const fresh = count > blanks.length ? await fetchRows(button, count - blanks.length) : [];
    return blanks.concat(fresh);
  }

  function setValue(control, value) {
    control.value = value;
    control.dispatchEvent(new Event("input", { bubbles: true }));
    if (control.tagName === "TEXTAREA") grow(control);
  }

  // "Add several": a list pasted from a document, one row per line.
  let severalCounter = 0;
  function openSeveral(opener) {
    const buttons = opener.closest(".part-buttons");
    const existing = buttons.nextElementSibling;
    if (existing && existing.classList.contains("several-panel")) {
      existing.querySelector("textarea").focus();
      return;
    }
    severalCounter += 1;
    const panel = document.createElement("div");
    panel.className = "several-panel";
    const label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = "several-" + severalCounter;
    label.textContent = t("several_label");
    const text = document.createElement("textarea");
    text.className = "form-control";
    text.id = "several-" + severalCounter;
    text.rows = 4;
    const add = document.createElement("button");
    add.type = "button";
    add.className = "btn btn-primary btn-sm";
    add.textContent = t("add_these");
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-link btn-sm";
    cancel.textContent = t("cancel");
    const actions = document.createElement("div");
    actions.className = "part-buttons";
    actions.append(add, cancel);
    panel.append(label, text, actions);
    buttons.after(panel);
    text.focus();
    cancel.addEventListener("click", () => {
      panel.remove();
      opener.focus();
    });
    add.addEventListener("click", async () => {
      const lines = text.value
        .split("\n")
        .map((line) => line.replace(/^\s*(?:[-*•·]|\d+[.)])\s*/, "").trim())
        .filter(Boolean);
      if (!lines.length) return;
      const rows = await rowsFor(buttons.querySelector(".js-add-row"), lines.length);
      rows.forEach((row, index) => setValue(own(row, "textarea[name$='-text']"), lines[index]));
      panel.remove();
      say(lines.length + (lines.length === 1 ? " row added." : " rows added."));
      opener.focus();
    });
  }

  Object.assign(RP, {
    editor,
    say,
    own,
    ownRows,
    renumber,
    regroup,
    groupOf,
    headValues,
    makeHead,
    syncAllGroups,
    updateTotals,
    updateOutline,
    growAll,
    changed,
    fetchRows,
    rowsFor,
    setValue,
    isChanged,
    isBlankNew,
  });

  const outlineBox = document.getElementById("outline-box");
  if (outlineBox && window.matchMedia("(max-width: 991.98px)").matches) outlineBox.open = false;

  syncAllGroups();
  updateTotals();
  updateOutline();
  growAll(editor);
  editor.addEventListener("submit", syncAllGroups);

  // A save never overlaps a check of the checklist: it waits for one in flight (at most a
  // few seconds), and none starts once saving. The answer would be moot, and SQLite (as the
  // tests run it, in one shared in-memory cache) refuses a write while a read holds a table.
  const checklistBox = document.getElementById("editor-checklist");
  let checking = false;
  let saving = false;
  let waitingSubmit = null;
  function submitNow() {
    const submitter = waitingSubmit;
    waitingSubmit = null;
    editor.requestSubmit(submitter && submitter.form === editor ? submitter : undefined);
  }
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (!checklistBox || event.detail.elt !== checklistBox) return;
    if (saving) event.preventDefault();
    else checking = true;
  });
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (!checklistBox || event.detail.elt !== checklistBox) return;
    checking = false;
    if (waitingSubmit !== null) submitNow();
  });
  editor.addEventListener("submit", (event) => {
    if (saving) return;
    saving = true;
    if (checking) {
      event.preventDefault();
      waitingSubmit = event.submitter || false;
      window.setTimeout(() => waitingSubmit !== null && submitNow(), 3000);
    }
  });
})();
