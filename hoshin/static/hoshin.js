/* Hoshin: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // <button data-confirm="Void this record?"> or <form data-confirm="...">: ask first.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]:not(form)");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  }, true);

  // <select data-autosubmit> (or any input) inside a filter form: submit when it changes.
  // The form keeps its submit button for keyboard and no-JS users.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (typeof el.form.requestSubmit === "function") {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });

  // Elements that only make sense with JavaScript carry the class js-only (hidden by CSS
  // until this runs); no-js-only elements are hidden once it has.
  document.documentElement.classList.add("js");

  // After htmx swaps content in, move focus to an element that asks for it, so screen
  // reader and keyboard users land on the new content.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    var focus = target && target.querySelector("[data-autofocus]");
    if (focus) {
      focus.focus();
    }
  });

  // A ladder of whys (.why-ladder): each rung asks why the answer above it happened, and
  // the next rung appears once the one above is answered (without this, all show).
  function climb(ladder) {
    var rungs = ladder.querySelectorAll(".why-rung");
    var open = true;
    Array.prototype.forEach.call(rungs, function (rung, i) {
      var input = rung.querySelector("input");
      if (i > 0) {
        var above = rungs[i - 1].querySelector("input").value.trim();
        rung.querySelector(".why-prompt").textContent = above
          ? ladder.getAttribute("data-prompt").replace("%(previous)s", above)
          : ladder.getAttribute("data-empty");
      }
      rung.hidden = !open && input.value.trim() === "";
      open = open && input.value.trim() !== "";
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".why-ladder"), climb);
  document.addEventListener("input", function (event) {
    var ladder = event.target.closest && event.target.closest(".why-ladder");
    if (ladder) {
      climb(ladder);
    }
  });

  // A chart wider than its box scrolls sideways inside it (phones, hoshin.css): say so under
  // it, in the page's words (body[data-chart-scrolls]), and show the latest end of a time
  // line (.chart[data-scroll-end]) first.
  function chartHints() {
    var words = document.body.getAttribute("data-chart-scrolls");
    Array.prototype.forEach.call(document.querySelectorAll(".chart:not(svg)"), function (box) {
      var hint = box.nextElementSibling;
      var hinted = hint && hint.classList.contains("chart-scroll-hint");
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !hinted && words) {
        hint = document.createElement("p");
        hint.className = "chart-scroll-hint small text-muted mb-1";
        hint.textContent = words;
        box.parentNode.insertBefore(hint, box.nextSibling);
        if (box.hasAttribute("data-scroll-end")) {
          box.scrollLeft = box.scrollWidth;
        }
      } else if (!scrolls && hinted) {
        hint.remove();
      }
    });
  }
  chartHints();
  window.addEventListener("resize", chartHints);

  // On a phone a register's records come first: its filters fold away unless some are in
  // use (details.filter-fold[data-active]); "Search and filter" opens them.
  if (window.matchMedia("(max-width: 575.98px)").matches) {
    Array.prototype.forEach.call(
      document.querySelectorAll("details.filter-fold:not([data-active])"),
      function (fold) { fold.open = false; }
    );
  }

  // [data-print] buttons print the page.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-print]");
    if (el) {
      event.preventDefault();
      window.print();
    }
  });
})();
