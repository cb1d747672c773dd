/* A small Buddhist Era calendar for the date text boxes (input[data-be-date]).
 *
 * The box is the field: people type 30/09/2569 and the server reads it. This
 * script only adds a button that opens a month calendar with BE years and fills
 * the box with the day chosen; without it the page works the same. No inline
 * script or style (the site's CSP allows neither): styles are in css/bedate.css.
 */
(function () {
  "use strict";
  var BE = 543;
  var th = (document.documentElement.lang || "th").indexOf("th") === 0;
  var MONTHS = th
    ? ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
       "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
    : ["January", "February", "March", "April", "May", "June", "July", "August",
       "September", "October", "November", "December"];
  var DAYS = th ? ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"] : ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"];
  var TEXT = th
    ? { button: "ปฏิทิน", open: "เปิดปฏิทิน", prev: "เดือนก่อน", next: "เดือนถัดไป", close: "ปิด", era: "พ.ศ." }
    : { button: "Calendar", open: "Open the calendar", prev: "Previous month", next: "Next month", close: "Close", era: "BE" };

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function read(text) {
    var digits = String(text || "").replace(/[๐-๙]/g, function (d) { return String(d.charCodeAt(0) - 0x0e50); });
    var m = digits.match(/^\s*(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})/);
    if (!m) { return null; }
    var year = +m[3] > 2400 ? +m[3] - BE : +m[3];
    var date = new Date(year, +m[2] - 1, +m[1]);
    return date.getMonth() === +m[2] - 1 ? date : null;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function attach(input) {
    var wrap = el("span", { "class": "be-date-wrap" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    // Named by its visible text alone (axe: the name must contain what is seen).
    var button = el("button", { type: "button", "class": "be-date-open",
                                "aria-expanded": "false", title: TEXT.open }, TEXT.button);
    wrap.appendChild(button);
    var popup = null;
    var shown = null;

    function close(focusInput) {
      if (popup) { popup.remove(); popup = null; }
      button.setAttribute("aria-expanded", "false");
      if (focusInput) { input.focus(); }
    }

    function choose(date) {
      input.value = pad(date.getDate()) + "/" + pad(date.getMonth() + 1) + "/" + (date.getFullYear() + BE);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close(true);
    }

    function render() {
      popup.textContent = "";
      var head = el("div", { "class": "be-date-head" });
      var prev = el("button", { type: "button", "aria-label": TEXT.prev }, "‹");
      var next = el("button", { type: "button", "aria-label": TEXT.next }, "›");
      var title = el("span", { "class": "be-date-title", "aria-live": "polite" },
                     MONTHS[shown.getMonth()] + " " + TEXT.era + " " + (shown.getFullYear() + BE));
      prev.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() - 1, 1); render(); prev.focus(); });
      next.addEventListener("click", function () { shown = new Date(shown.getFullYear(), shown.getMonth() + 1, 1); render(); next.focus(); });
      head.appendChild(prev); head.appendChild(title); head.appendChild(next);
      popup.appendChild(head);
      var table = el("table", { "class": "be-date-grid", role: "presentation" });
      var row = el("tr");
      DAYS.forEach(function (d) { row.appendChild(el("th", { scope: "col" }, d)); });
      table.appendChild(row);
      var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
      var days = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
      var current = read(input.value);
      var today = new Date();
      row = el("tr");
      for (var blank = 0; blank < first.getDay(); blank++) { row.appendChild(el("td")); }
      for (var day = 1; day <= days; day++) {
        var date = new Date(shown.getFullYear(), shown.getMonth(), day);
        var cell = el("td");
        var pick = el("button", { type: "button",
          "aria-label": day + " " + MONTHS[date.getMonth()] + " " + (date.getFullYear() + BE) }, String(day));
        if (current && +current === +date) { pick.setAttribute("aria-current", "date"); pick.className = "chosen"; }
        if (date.toDateString() === today.toDateString()) { pick.className += " today"; }
        pick.addEventListener("click", choose.bind(null, date));
        cell.appendChild(pick);
        row.appendChild(cell);
        if (date.getDay() === 6) { table.appendChild(row); row = el("tr"); }
      }
      if (row.children.length) { table.appendChild(row); }
      popup.appendChild(table);
      var shut = el("button", { type: "button", "class": "be-date-close" }, TEXT.close);
      shut.addEventListener("click", function () { close(true); });
      popup.appendChild(shut);
    }

    button.addEventListener("click", function () {
      if (popup) { close(true); return; }
      var current = read(input.value) || new Date();
      shown = new Date(current.getFullYear(), current.getMonth(), 1);
      popup = el("div", { "class": "be-date-popup", role: "dialog", "aria-label": TEXT.open });
      popup.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); close(true); }
      });
      wrap.appendChild(popup);
      button.setAttribute("aria-expanded", "true");
      render();
      var start = popup.querySelector(".chosen") || popup.querySelector(".today") || popup.querySelector(".be-date-grid button");
      if (start) { start.focus(); }
    });
    document.addEventListener("click", function (event) {
      // The path as dispatched: a month button re-rendered away is no longer in ``wrap``.
      if (popup && event.composedPath().indexOf(wrap) === -1) { close(false); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-be-date]"), attach);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
