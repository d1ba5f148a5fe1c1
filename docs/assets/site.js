// Small accessibility fixes to the theme's markup, applied on every page.
(function () {
  "use strict";
  function label() {
    // Material's search panel has role="dialog" but no accessible name.
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
      dialog.setAttribute("aria-label", "站内搜索");
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(label);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();
