// The profile editor: live weighting totals, items grouped under a subheading typed once,
// reordering by buttons, keyboard and drag, the outline at the side, and the bookkeeping
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

  // Groups: a subheading typed once, copied to the items under it ----------------------
  function groupOf(row) {
    for (let node = row.previousElementSibling; node; node = node.previousElementSibling) {
      if (node.hasAttribute("data-group-head")) return node;
    }
    return null;
  }

  function syncGroups(container) {
    let current = "";
    Array.from(container.children).forEach((child) => {
      if (child.hasAttribute("data-group-head")) {
        current = child.querySelector("[data-group-input]").value.trim();
      } else if (child.hasAttribute("data-row")) {
        const hidden = own(child, ".js-subheading");
        // A blank new row takes its subheading only once something is typed into it,
        // or it would be saved as an empty item.
        const value = isBlankNew(child) ? hidden && hidden.defaultValue : current;
        if (hidden && hidden.value !== value) hidden.value = value;
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
    editor.querySelectorAll("[data-items]").forEach(syncGroups);
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
    label.textContent = "Subheading";
    const input = document.createElement("input");
    input.type = "text";
    input.className = "form-control form-control-sm group-subheading";
    input.id = id;
    input.maxLength = 200;
    input.value = subheading;
    input.setAttribute("data-group-input", "");
    const actions = document.createElement("div");
    actions.className = "row-actions";
    actions.setAttribute("role", "group");
    actions.setAttribute("aria-label", "Group actions");
    [
      ["up", "↑", "Move group up"],
      ["down", "↓", "Move group down"],
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

  // Rebuild the group heads from the items' own subheadings (after a restore).
  function regroup(container) {
    container.querySelectorAll(":scope > [data-group-head]").forEach((head) => head.remove());
    let current = "";
    ownRows(container).forEach((row) => {
      const hidden = own(row, ".js-subheading");
      const subheading = hidden ? hidden.value : "";
      if (subheading !== current) {
        container.insertBefore(makeGroupHead(container, subheading), row);
        current = subheading;
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
    if (container.hasAttribute("data-items")) syncGroups(container);
    const rows = ownRows(container);
    let message = "Moved to position " + (rows.indexOf(row) + 1) + " of " + rows.length + ".";
    const head = container.hasAttribute("data-items") ? groupOf(row) : null;
    if (head && head.querySelector("[data-group-input]").value.trim()) {
      message += " Under " + head.querySelector("[data-group-input]").value.trim() + ".";
    }
    say(message);
    changed();
  }

  editor.addEventListener("click", (event) => {
    const groupButton = event.target.closest("[data-move-group]");
    if (groupButton) {
      const head = groupButton.closest("[data-group-head]");
      if (moveGroup(head, groupButton.dataset.moveGroup)) {
        renumber(head.parentElement);
        groupButton.focus();
        say("Group moved " + groupButton.dataset.moveGroup + ".");
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
      const items = event.target.closest("[data-section-items]");
      const container = items.querySelector("[data-items]");
      const head = makeGroupHead(container, "");
      container.append(head);
      pendingFocus = head.querySelector("input");
      items.querySelector(".js-add-row").click();
      say("Group added: type its subheading.");
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
    if (control.type === "hidden" && !control.classList.contains("js-subheading")) return false;
    return control.value !== control.defaultValue;
  }

  function partLabel(part) {
    if (!part.classList.contains("editor-section")) return part.dataset.outlineLabel;
    const heading = own(part, "input[name$='-heading']");
    const kind = own(part, "select[name$='-kind']");
    const label =
      (heading && heading.value.trim()) ||
      (kind && kind.value ? kind.options[kind.selectedIndex].text : "") ||
      "New section";
    const title = own(part, ".js-section-title");
    if (title && title.textContent !== label) title.textContent = label;
    return label;
  }

  function partState(part) {
    const states = [];
    const problems = part.querySelectorAll(".is-invalid, .alert-danger").length;
    if (problems) {
      states.push(["has-errors", problems === 1 ? "1 problem" : problems + " problems"]);
    }
    const total = part.querySelector(".js-section-total");
    const weighted =
      own(part, ".js-section-weighting") && own(part, ".js-section-weighting").value.trim();
    if (total && (weighted || Array.from(part.querySelectorAll(".js-item-weighting")).some((i) => i.value.trim()))) {
      const wrong = total.classList.contains("is-wrong");
      states.push([wrong ? "is-wrong" : "", "Weighting " + total.textContent.split(":")[0]]);
    }
    if (isRemoved(part)) states.push(["is-changed", "to be removed"]);
    const controls = part.querySelectorAll("input, select, textarea");
    if (Array.from(controls).some((control) => control.name && isChanged(control))) {
      states.push(["is-changed", "unsaved changes"]);
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
  }

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

  // A criterion typed without choosing takes the choices of the one above it (or the first
  // option): four criteria need no four category choices. The choices stay on view to change.
  function inheritChoices(row) {
    ["requirement", "category"].forEach((name) => {
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
    const items = event.target.closest("[data-items]");
    if (items) syncGroups(items);
    changed();
  });
  editor.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("-DELETE")) {
      const row = event.target.closest("[data-row]");
      row.classList.toggle("is-removed", event.target.checked);
      say(event.target.checked ? "Row marked for removal when you save." : "Row kept.");
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
    say("Row added.");
  });

  // After rows arrive (htmx, a library or a restore): number them and bring them to life.
  function added(container) {
    renumber(container);
    if (container.hasAttribute("data-items")) syncGroups(container);
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
      if (!response.ok) throw new Error("The row could not be added (" + response.status + ").");
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
    label.textContent = "One per line (paste a list from a document)";
    const text = document.createElement("textarea");
    text.className = "form-control";
    text.id = "several-" + severalCounter;
    text.rows = 4;
    const add = document.createElement("button");
    add.type = "button";
    add.className = "btn btn-primary btn-sm";
    add.textContent = "Add these";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "btn btn-link btn-sm";
    cancel.textContent = "Cancel";
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
})();
