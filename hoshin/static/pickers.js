/* Hoshin: choosing from long lists. Every list works without this file; it adds a box
   that narrows the list as you type. Texts come from the page (data attributes). */
(function () {
  "use strict";

  // The list's own name ("Owner", "Reviewer 1"), so that each search box is told apart.
  function nameOf(element) {
    var label = element.id && document.querySelector('label[for="' + element.id + '"]');
    var legend = element.tagName === "FIELDSET" && element.querySelector("legend");
    var text = (label || legend || {}).textContent || element.getAttribute("aria-label") || "";
    return text.replace(/\s+/g, " ").replace(/\s*\*$/, "").trim();
  }

  function box(hint, list) {
    var input = document.createElement("input");
    var name = nameOf(list);
    input.type = "search";
    input.className = "form-control form-control-sm mb-1 picker-search";
    input.placeholder = hint;
    input.setAttribute("aria-label", name ? name + ": " + hint : hint);
    input.autocomplete = "off";
    return input;
  }

  function matches(text, query) {
    return text.toLowerCase().indexOf(query) !== -1;
  }

  // Ticks (fieldset[data-searchable]): a long list gets a box; what does not match hides.
  document.querySelectorAll("fieldset[data-searchable]").forEach(function (fieldset) {
    var checks = fieldset.querySelectorAll(".form-check");
    if (checks.length <= 8) {
      return;
    }
    var input = box(fieldset.getAttribute("data-searchable"), fieldset);
    fieldset.insertBefore(input, fieldset.querySelector(".checks-box"));
    input.addEventListener("input", function (event) {
      event.stopPropagation();
      var query = input.value.trim().toLowerCase();
      checks.forEach(function (check) {
        check.hidden = query !== "" && !matches(check.textContent, query) &&
          !check.querySelector("input").checked;
      });
    });
    input.addEventListener("change", function (event) { event.stopPropagation(); });
  });

  // People (select[data-person-picker]): type a name, job or department; the list keeps
  // only those who match, and one match is chosen.
  document.querySelectorAll("select[data-person-picker]").forEach(function (select) {
    var input = box(select.getAttribute("data-person-picker"), select);
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function (event) {
      event.stopPropagation();
      var query = input.value.trim().toLowerCase();
      var shown = [];
      Array.prototype.forEach.call(select.options, function (option) {
        var keep = option.value === "" || query === "" || matches(option.text, query);
        option.hidden = !keep;
        if (keep && option.value !== "") {
          shown.push(option);
        }
      });
      if (query !== "" && shown.length === 1 && select.value !== shown[0].value) {
        select.value = shown[0].value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // choosing, not submitting
      }
    });
  });

  // People in order (ol[data-people-in-order]): one picker per position; only the first
  // empty position shows, so the list grows as people are chosen.
  document.querySelectorAll("ol[data-people-in-order]").forEach(function (list) {
    var slots = Array.prototype.slice.call(list.querySelectorAll(".picker-slot"));
    function show() {
      var empty = 0;
      slots.forEach(function (slot) {
        var chosen = slot.querySelector("select").value !== "";
        if (!chosen) {
          empty += 1;
        }
        slot.hidden = !chosen && empty > 1;
      });
    }
    list.addEventListener("change", show);
    show();
  });
})();
