// Runs on every page (an ES module, imports nothing up front): it imports a page's modules (directory,
// case finder, charts, 纠错, search) only when the page shows what they drive, or when the reader opens
// the search, so a page without them downloads none of them.

// What a page shows → the module that drives it (beside this file). The directory page loads its own
// module (and with it its data) straight from its HTML, which is sooner.
const MODULES = [
  ['#case-finder', './cases.js'],
  ['.chart[data-chart], #tile-map', './charts.js'],
  ['#search-page', './search.js'],
  // 纠错 links beside tables and charts on pages that name their dataset (front matter `feedback`).
  ['a.feedback-link[data-dataset], #feedback-form', './feedback.js'],
];

// The search module comes when a reader reaches for the search: the magnifier, the search box, or the
// keys / and s (as in the theme). It then takes over the dialog. Its imports are requested with it, not
// after it, so that it is ready before the reader's first keystroke.
const SEARCH = ['./search.js', './lib/search-rank.js', './lib/dom.js', './lib/net.js'];

function loadSearch() {
  return Promise.all(SEARCH.map((module) => import(module))).then(([search]) => search);
}

// The module may come after the reader has left the box (Tab on a slow connection, which closes the
// dialog): it opens the dialog only while it is still wanted, or focus would jump back to the box.
function openSearch(toggle) {
  loadSearch().then((search) => { if (toggle.checked) search.open(); }, () => {});
}

function typing(target) {
  return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function watchSearchIntent(toggle, input) {
  toggle.addEventListener('change', () => { if (toggle.checked) openSearch(toggle); });
  // As in the theme: focusing the box opens the dialog (on wide screens the box is in the header).
  input.addEventListener('focus', () => {
    if (!toggle.checked) toggle.checked = true;
    openSearch(toggle);
  });
  input.addEventListener('pointerdown', () => { loadSearch().catch(() => {}); });
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === '/' || event.key === 's') {
      event.preventDefault();
      toggle.checked = true;
      input.focus();
      openSearch(toggle);
    }
  });
}

// Keyboard readers: the search overlay closes when focus moves to something outside it (Tab past
// the results) and on Escape. A focus that goes nowhere (a tap on iOS, which does not focus links)
// leaves it open, so a tapped result still opens.
function closeSearchWhenLeft(toggle, box) {
  const close = () => {
    if (!toggle.checked) return;
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
  };
  box.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !box.contains(event.relatedTarget)) close();
  });
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
}

// 长辈模式: the header's button turns it on and off; the choice is remembered (localStorage) and
// applied before the next page is drawn by the head script in overrides/main.html.
function elderMode(button) {
  const root = document.documentElement;
  const show = (on) => {
    root.classList.toggle('elder', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    let sheet = document.getElementById('elder-css');
    if (on && !sheet) {
      sheet = document.createElement('link');
      sheet.rel = 'stylesheet';
      sheet.id = 'elder-css';
      sheet.href = new URL('elder.css', import.meta.url).href;
      document.head.appendChild(sheet);
    }
    if (sheet) sheet.disabled = !on;
  };
  show(root.classList.contains('elder'));
  button.addEventListener('click', () => {
    const on = !root.classList.contains('elder');
    show(on);
    try { localStorage.setItem('gd-elder', on ? 'on' : 'off'); } catch (error) { /* private mode: this page only */ }
  });
}

// A module runs once the page is parsed: everything it needs is there.
const elder = document.querySelector('[data-elder-toggle]');
if (elder) elderMode(elder);
const toggle = document.getElementById('__search');
const input = document.querySelector('[data-site-search-input]');
if (toggle && input) watchSearchIntent(toggle, input);
const box = document.querySelector('.md-search');
if (toggle && box) closeSearchWhenLeft(toggle, box);
// A page's module goes in as a script element, not import(): the page's load event then waits for it.
for (const [selector, module] of MODULES) {
  if (!document.querySelector(selector)) continue;
  const script = document.createElement('script');
  script.type = 'module';
  script.src = new URL(module, import.meta.url).href;
  document.head.appendChild(script);
}
