// The profile editor: live weighting totals, keyboard reordering, and the bookkeeping
// htmx needs to add formset rows. The form saves the same without any of this.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;
  const announce = document.getElementById("editor-announce");

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

  function updateTotals() {
    let profileTotal = 0;
    editor.querySelectorAll("#sections-rows > [data-row]").forEach((sectionRow) => {
      const declared = number(sectionRow.querySelector(".js-section-weighting"));
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
        output.textContent =
          format(sum) + (declared !== null ? " of the section's " + format(declared) : "") +
          (wrong ? ": they must add up to the section's total" : "");
        output.classList.toggle("is-wrong", wrong);
      }
      if (!isRemoved(sectionRow)) profileTotal += declared !== null ? declared : sum;
    });
    const profileOutput = editor.querySelector(".js-profile-total");
    if (profileOutput) {
      profileOutput.textContent = format(profileTotal);
      profileOutput.classList.toggle("is-wrong", profileTotal > 100.001);
    }
  }

  function renumber(container) {
    ownRows(container).forEach((row, index) => {
      const order = Array.from(row.querySelectorAll(".js-order")).find(
        (input) => input.closest("[data-row]") === row
      );
      if (order) order.value = index + 1;
    });
  }

  editor.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    const row = button.closest("[data-row]");
    const container = row.parentElement;
    if (button.dataset.move === "up" && row.previousElementSibling) {
      container.insertBefore(row, row.previousElementSibling);
    } else if (button.dataset.move === "down" && row.nextElementSibling) {
      container.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    renumber(container);
    button.focus();
    const position = ownRows(container).indexOf(row) + 1;
    announce.textContent = "Moved to position " + position + " of " + ownRows(container).length + ".";
    updateTotals();
  });

  editor.addEventListener("input", updateTotals);
  editor.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("-DELETE")) {
      const row = event.target.closest("[data-row]");
      row.classList.toggle("is-removed", event.target.checked);
      announce.textContent = event.target.checked
        ? "Row marked for removal when you save."
        : "Row kept.";
    }
    updateTotals();
  });

  // htmx asks the server for a blank row numbered after the rows already there.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const button = event.detail.elt;
    if (!button.classList || !button.classList.contains("js-add-row")) return;
    const total = document.getElementById(button.dataset.total);
    event.detail.parameters.index = total.value;
    total.value = Number(total.value) + 1;
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    const container = event.detail.target;
    renumber(container);
    const rows = ownRows(container);
    const added = rows[rows.length - 1];
    if (added) {
      const first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    }
    announce.textContent = "Row added.";
    updateTotals();
  });

  updateTotals();
})();
