// Runs on every page: the loader of the page scripts. A page script (directory, case finder,
// charts, search) is fetched only when the page shows what it drives, or when the reader opens
// the search, so a page without them downloads none of them.
(function () {
  "use strict";

  // What a page shows → the script that drives it (site-relative). The directory page loads its
  // own script (and starts fetching its data) straight from its HTML, which is sooner.
  var MODULES = [
    ["#case-finder", "assets/cases.js"],
    [".chart[data-chart], #tile-map", "assets/charts.js"],
    ["#search-page", "assets/search.js"],
    // 纠错 links beside tables and charts on pages that name their dataset (front matter `feedback`).
    ["a.feedback-link[data-dataset], #feedback-form", "assets/feedback.js"]
  ];
  var SEARCH = "assets/search.js";
  var loaded = {};

  function siteBase() {
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/+$/, "") + "/", location.href); // the 404 page's base is "/"
  }

  function load(path, then) {
    if (!loaded[path]) {
      loaded[path] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = new URL(path, siteBase()).href;
        script.onload = resolve;
        script.onerror = reject;
        document.body.appendChild(script);
      });
    }
    if (then) loaded[path].then(then, function () {});
  }

  // The search script comes when a reader opens the search: the magnifier, the search box, or
  // the keys / and s (as in the theme). It then takes over the dialog (assets/search.js).
  function openSearch() {
    load(SEARCH, function () { if (window.gdSearch) window.gdSearch.open(); });
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function watchSearchIntent() {
    var toggle = document.getElementById("__search");
    var input = document.querySelector("[data-site-search-input]");
    if (!toggle || !input) return;
    toggle.addEventListener("change", function () { if (toggle.checked) openSearch(); });
    // As in the theme: focusing the box opens the dialog (on wide screens the box is in the header).
    input.addEventListener("focus", function () {
      if (!toggle.checked) toggle.checked = true;
      openSearch();
    });
    input.addEventListener("pointerdown", function () { load(SEARCH); });
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (event.key === "/" || event.key === "s") {
        event.preventDefault();
        toggle.checked = true;
        input.focus();
        openSearch();
      }
    });
  }

  // Keyboard readers: the search overlay closes when focus moves to something outside it (Tab past
  // the results) and on Escape. A focus that goes nowhere (a tap on iOS, which does not focus links)
  // leaves it open, so a tapped result still opens.
  function closeSearchWhenLeft() {
    var toggle = document.getElementById("__search");
    var box = document.querySelector(".md-search");
    if (!toggle || !box) return;
    function close() {
      if (!toggle.checked) return;
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    box.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !box.contains(event.relatedTarget)) close();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
  }

  function loadPageScripts() {
    MODULES.forEach(function (module) {
      if (document.querySelector(module[0])) load(module[1]);
    });
  }


  // 长辈模式: the header's button turns it on and off; the choice is remembered (localStorage) and
  // applied before the next page is drawn by the head script in overrides/main.html.
  function elderMode() {
    var button = document.querySelector("[data-elder-toggle]");
    if (!button) return;
    var root = document.documentElement;
    function show(on) {
      root.classList.toggle("elder", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
      var sheet = document.getElementById("elder-css");
      if (on && !sheet) {
        sheet = document.createElement("link");
        sheet.rel = "stylesheet";
        sheet.id = "elder-css";
        sheet.href = new URL("assets/elder.css", siteBase()).href;
        document.head.appendChild(sheet);
      }
      if (sheet) sheet.disabled = !on;
    }
    show(root.classList.contains("elder"));
    button.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      show(on);
      try { localStorage.setItem("gd-elder", on ? "on" : "off"); } catch (error) { /* private mode: this page only */ }
    });
  }

  elderMode();
  watchSearchIntent();
  closeSearchWhenLeft();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(loadPageScripts);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", loadPageScripts);
  } else {
    loadPageScripts();
  }
})();
