// Forms people can use (every page, loaded with `defer`; no inline script, so
// the Content-Security-Policy stays 'self').
//
// 1. The error summary at the top of a refused form takes the focus, so a
//    screen reader reads it and the keyboard starts from it; its links put
//    the focus in the field they name (a bare #anchor only scrolls).
// 2. The "* required field" legend moves into the first form that has a
//    required field (without script it stays at the top of the page).
// 3. On a phone, a table marked "stack" becomes cards (site.css); each cell
//    without a data-label takes its column's heading, shown before its value.
// 4. A double-click never posts twice: after the first submit the form's
//    buttons are disabled until the next page, or until the page comes back
//    from the browser's history, or after a while (a download leaves the
//    page in place). The server's one-time tokens still guard the important
//    forms against a resent POST.
(function () {
  "use strict";

  var RESUBMIT_AFTER_MS = 8000;

  function focusField(id) {
    var field = document.getElementById(id);
    // Anything but a form control (a question's block) is left to the browser.
    if (!field || !/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(field.tagName)) return false;
    var label = document.querySelector('label[for="' + id + '"]');
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    return true;
  }

  function setUpSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link && focusField(decodeURIComponent(link.getAttribute("href").slice(1)))) {
        event.preventDefault();
      }
    });
  }

  function placeLegend() {
    var legend = document.getElementById("required-legend");
    if (!legend) return;
    var marker = document.querySelector("form .req");
    var form = marker && marker.closest("form");
    if (form) form.insertBefore(legend, form.firstChild);
  }

  function buttonsOf(form) {
    var inside = Array.prototype.slice.call(
      form.querySelectorAll("button[type='submit'], button:not([type]), input[type='submit']")
    );
    if (form.id) {
      inside = inside.concat(
        Array.prototype.slice.call(document.querySelectorAll("[type='submit'][form='" + form.id + "']"))
      );
    }
    return inside;
  }

  function release(form) {
    delete form.dataset.submitting;
    buttonsOf(form).forEach(function (button) {
      if (button.dataset.onceDisabled) {
        button.disabled = false;
        delete button.dataset.onceDisabled;
        button.removeAttribute("aria-busy");
      }
    });
  }

  function guardSubmits() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") return;
      if (form.dataset.submitting) {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      // Disabled after this turn: a button disabled now would drop its own
      // name=value (e.g. action=publish) from the data being sent.
      window.setTimeout(function () {
        buttonsOf(form).forEach(function (button) {
          if (!button.disabled) {
            button.disabled = true;
            button.dataset.onceDisabled = "1";
            button.setAttribute("aria-busy", "true");
          }
        });
      }, 0);
      window.setTimeout(function () { release(form); }, RESUBMIT_AFTER_MS);
    });
    // Back to a page kept by the browser: its forms can be used again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), release);
      }
    });
  }

  function labelStackedCells() {
    Array.prototype.forEach.call(document.querySelectorAll("table.stack"), function (table) {
      var heads = table.tHead ? table.tHead.rows[0] : null;
      if (!heads) return;
      // The first cells that name the row (a number and a title) make its title line.
      var titleCells = parseInt(table.getAttribute("data-title-cells") || "1", 10);
      var names = [];
      Array.prototype.forEach.call(heads.cells, function (th) {
        for (var i = 0; i < (th.colSpan || 1); i++) names.push(th.textContent.trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          var column = 0;
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && cell.colSpan === 1 && names[column]) {
              cell.setAttribute("data-label", names[column]);
            }
            if (cell.tagName === "TD" && column < titleCells && row.cells.length > 1) {
              cell.classList.add("row-title");
            }
            column += cell.colSpan || 1;
          });
        });
      });
    });
  }

  function start() {
    labelStackedCells();
    setUpSummary();
    placeLegend();
    guardSubmits();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
