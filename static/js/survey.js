/* The survey form's helpers (templates/assessments/surveys/form.html).
 *
 * - Keeps the answers on the respondent's own device (localStorage, keyed by the
 *   round's code) so that leaving and reopening the page loses nothing; cleared
 *   by the thanks page after a successful submit, and by "Clear my answers".
 *   Only radio answers are kept: never the one-time code.
 * - Updates the progress of each indicator as answers are chosen (the server
 *   renders the same counts, so the page is right without this script).
 * - Moves the focus to the error summary of a refused submission.
 * - Disables the submit button once pressed (the server also refuses a second
 *   submission of the same form).
 */
(function () {
  "use strict";

  var PREFIX = "survey:";

  function storage() {
    try {
      var probe = "survey:probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or storage switched off: the form still works
    }
  }

  function load(store, key) {
    if (!store) return {};
    try {
      var saved = JSON.parse(store.getItem(key) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (e) {
      return {};
    }
  }

  function radios(form) {
    return Array.prototype.slice.call(form.querySelectorAll('input[type="radio"]'));
  }

  function updateProgress(form) {
    var sections = form.querySelectorAll(".survey-section");
    Array.prototype.forEach.call(sections, function (section) {
      var groups = section.querySelectorAll(".choices");
      var answered = 0;
      Array.prototype.forEach.call(groups, function (group) {
        if (group.querySelector("input:checked")) answered += 1;
      });
      var progress = section.querySelector(".survey-progress");
      if (!progress) return;
      var count = progress.querySelector(".answered");
      if (count) count.textContent = String(answered);
      progress.classList.toggle("complete", answered === groups.length);
    });
  }

  function save(store, key, form) {
    if (!store) return;
    var answers = {};
    radios(form).forEach(function (input) {
      if (input.checked) answers[input.name] = input.value;
    });
    try {
      store.setItem(key, JSON.stringify(answers));
    } catch (e) {
      /* full or refused: nothing to do */
    }
  }

  function restore(store, key, form) {
    var saved = load(store, key);
    var answeredOnPage = {};
    radios(form).forEach(function (input) {
      if (input.checked) answeredOnPage[input.name] = true;
    });
    radios(form).forEach(function (input) {
      // What the server sent back wins over what was saved on the device.
      if (!answeredOnPage[input.name] && saved[input.name] === input.value) {
        input.checked = true;
      }
    });
  }

  function setUpForm(form) {
    var store = storage();
    var key = PREFIX + form.getAttribute("data-survey");
    restore(store, key, form);
    save(store, key, form);
    updateProgress(form);

    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "radio") {
        save(store, key, form);
        updateProgress(form);
      }
    });

    form.addEventListener("reset", function (event) {
      // Every answer goes, also those a refused submission brought back (a
      // plain reset would restore them), after the respondent confirms.
      event.preventDefault();
      var clear = form.querySelector("[data-clear]");
      var question = clear && clear.getAttribute("data-confirm");
      if (question && !window.confirm(question)) return;
      radios(form).forEach(function (input) { input.checked = false; });
      if (store) store.removeItem(key);
      updateProgress(form);
    });

    var button = form.querySelector("[data-submit]");
    form.addEventListener("submit", function () {
      if (button) {
        // Disabled after the browser has taken the button into the submission.
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
    // Back from the next page (bfcache): the button must work again.
    window.addEventListener("pageshow", function () {
      if (button) button.disabled = false;
    });

    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function clearDone(marker) {
    var store = storage();
    if (store) store.removeItem(PREFIX + marker.getAttribute("data-survey-clear"));
  }

  function start() {
    var form = document.getElementById("survey-form");
    if (form) setUpForm(form);
    var done = document.querySelector("[data-survey-clear]");
    if (done) clearDone(done);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
