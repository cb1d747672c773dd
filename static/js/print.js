/* A button that prints the page (the slips of one-time codes): a file, not an inline
 * script, so the content policy stays "script-src 'self'". */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () {
        window.print();
      });
    }
  });
})();
