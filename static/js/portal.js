/* Every page of the portal (templates/base.html).

   A table wider than its box (on a phone: static/css/portal.css) scrolls sideways inside
   its .table-responsive box. The box then takes the keyboard focus, so that it can be
   scrolled without a pointer (WCAG 2.1.1; axe's scrollable-region-focusable), and only
   then: a table that fits adds no stop to the tab order. Checked again when the window
   changes size and after htmx puts new content in. */
(function () {
  "use strict";

  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", markScrollingTables);
  window.addEventListener("resize", markScrollingTables);
  document.addEventListener("htmx:afterSettle", markScrollingTables);
})();
