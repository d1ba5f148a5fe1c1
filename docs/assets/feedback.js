// 纠错 (report an error). Imported by site.js on pages that show data and on the 纠错 page itself.
// - On a page with tables or charts: a small 纠错 link beside each table and chart, naming it (its
//   caption, or the heading above it, and its id); clicking a table row first adds that row to it.
//   Every link starts from the footer's (a[data-feedback]: page, dataset, version) and adds the page
//   title (its h1) and `item`.
// - On the 纠错 page (#feedback-form): the message composed from ?page=&title=&dataset=&version=&item=,
//   in an editable box, sent by the configured e-mail (subject and body prefilled) or copied. What a link
//   leaves out is looked up: the title from the page itself, the version from the DCAT catalogue.
import { el, onReady } from './lib/dom.js';
import { siteBase } from './lib/net.js';

function text(node) {
  return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
}

// --- Pages that show data --------------------------------------------------------------------

const linkOf = new Map(); // table → its 纠错 link

// The last heading before `node` in the article: the table's or chart's section.
function headingBefore(node, article) {
  let found = "";
  article.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (heading) {
    if (heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) found = text(heading);
  });
  return found;
}

function itemLink(footer, item, anchor, node) {
  const url = new URL(footer.href);
  // A table or chart drawn from another package than the page's names that one; its version is
  // then left to the 纠错 page to look up.
  const own = node && node.closest("[data-dataset]");
  const dataset = own && own.getAttribute("data-dataset");
  if (dataset && dataset !== url.searchParams.get("dataset")) {
    url.searchParams.set("dataset", dataset);
    url.searchParams.delete("version");
  }
  url.searchParams.set("title", text(document.querySelector("article h1")) || document.title);
  if (anchor) url.searchParams.set("page", url.searchParams.get("page") + "#" + anchor);
  url.searchParams.set("item", item);
  const link = el("a", { className: "feedback-item", href: url.href, "data-feedback": true, "data-item": item, text: "纠错",
    title: "报告" + item + "中的错误" });
  return el("p", { className: "feedback-item__wrap" }, [link]);
}

function addFigureLinks(footer, article) {
  article.querySelectorAll(".chart-figure[id], #tile-map").forEach(function (figure) {
    const caption = figure.querySelector("figcaption");
    const name = text(caption) || headingBefore(figure, article);
    figure.insertBefore(itemLink(footer, "图表：" + name, figure.id, figure), caption ? caption.nextSibling : figure.firstChild);
  });
}

function addTableLinks(footer, article) {
  article.querySelectorAll("table").forEach(function (table) {
    if (table.closest(".chart-figure, #tile-map")) return; // the figure's own link covers its table
    const holder = table.id ? table : table.closest("[id]");
    const id = holder && article.contains(holder) ? holder.id : "";
    const tag = id ? "#" + id : table.getAttribute("data-resource") || "";
    const name = text(table.querySelector("caption")) || headingBefore(table, article);
    const paragraph = itemLink(footer, "表格：" + name + (tag ? "（" + tag + "）" : ""), id, table);
    const block = table.closest(".md-typeset__scrollwrap") || table;
    block.parentElement.insertBefore(paragraph, block);
    linkOf.set(table, paragraph.firstChild);
  });
}

// A click on a table row names that row in the table's 纠错 link (its first cells, as printed).
function watchRows(article) {
  article.addEventListener("click", function (event) {
    const row = event.target.closest && event.target.closest("tbody tr");
    const link = row && linkOf.get(row.closest("table"));
    if (!link) return;
    const cells = Array.prototype.slice.call(row.cells, 0, 2).map(text).filter(Boolean).join(" ");
    const url = new URL(link.href);
    url.searchParams.set("item", link.getAttribute("data-item") + "，行：" + cells);
    link.href = url.href;
    link.textContent = "纠错（" + cells + "）";
    const selected = article.querySelector("tr.feedback-row");
    if (selected) selected.classList.remove("feedback-row");
    row.classList.add("feedback-row");
  });
}

function enhanceDataPage() {
  const footer = document.querySelector("a.feedback-link[data-feedback]");
  const article = document.querySelector("article");
  if (!footer || !article) return;
  addFigureLinks(footer, article);
  addTableLinks(footer, article);
  watchRows(article);
}

// --- The 纠错 page -------------------------------------------------------------------------------

// A page that names its dataset but not its version: the version the catalogue publishes now.
function datasetVersion(dataset) {
  return fetch(new URL("data/catalog.jsonld", siteBase)).then(function (response) {
    return response.ok ? response.json() : {};
  }).then(function (catalog) {
    const found = (catalog["dcat:dataset"] || []).filter(function (entry) {
      const match = /\/data\/([^/]+)\/$/.exec(entry["@id"] || "");
      return match && match[1] === dataset;
    })[0];
    return found ? found["dcat:version"] : "";
  }).catch(function () { return ""; });
}

function compose(values) {
  const address = values.page ? new URL(values.page.replace(/^\//, ""), siteBase).href : "";
  const lines = [
    "页面：" + (values.title || "（请填写）") + (address ? "（" + address + "）" : ""),
    "数据集：" + (values.dataset ? values.dataset + (values.version ? "，版本 " + values.version : "") : "（无）"),
    "位置：" + (values.item || "（哪张表、哪个图表或哪一行）"),
    "问题：（哪个数字或文字有误，应为多少）",
    "依据：（原文出处：文件名称、附件、页码或链接）"
  ];
  return {
    subject: "纠错：" + (values.title || "本站数据") + (values.item ? "｜" + values.item : ""),
    body: lines.join("\n")
  };
}

function mailto(address, subject, body) {
  return "mailto:" + address + "?subject=" + encodeURIComponent(subject) + "&body=" + encodeURIComponent(body);
}

// The page's own heading, read from the page itself: the footer link of every page carries only its
// address (so that site.js stays small, and pages filled into a shell need no title of their own).
function pageTitle(page) {
  return fetch(new URL(page.replace(/^\//, ""), siteBase)).then(function (response) {
    return response.ok ? response.text() : "";
  }).then(function (html) {
    const found = new DOMParser().parseFromString(html, "text/html");
    return text(found.querySelector("article h1")) || text(found.querySelector("title"));
  }).catch(function () { return ""; });
}

// The 404 page is shown at any address: its link names none, and the address asked for is the referrer.
function referrerPage() {
  const base = siteBase.href;
  return document.referrer.indexOf(base) === 0 ? "/" + document.referrer.slice(base.length) : "";
}

function startFeedbackPage(form) {
  const query = new URLSearchParams(location.search);
  const values = {};
  ["page", "title", "dataset", "version", "item"].forEach(function (key) { values[key] = query.get(key) || ""; });
  values.page = values.page || referrerPage();
  const box = document.getElementById("feedback-message");
  const send = document.getElementById("feedback-mailto");
  const copy = document.getElementById("feedback-copy");
  const status = document.getElementById("feedback-status");
  let subject = "";

  function update() {
    if (send) send.href = mailto(form.getAttribute("data-email"), subject, box.value);
  }
  function fill() {
    const message = compose(values);
    subject = message.subject;
    box.value = message.body;
    update();
  }
  box.addEventListener("input", update);
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      box.select();
      const done = navigator.clipboard ? navigator.clipboard.writeText(box.value) : Promise.reject();
      done.then(function () { status.textContent = "已复制，可粘贴到邮件或留言中发送。"; },
                function () { status.textContent = document.execCommand("copy") ? "已复制。" : "请手动选中上面的内容复制。"; });
    });
  }
  fill();
  // What the link did not say is looked up; the box is refilled only if the reader has not typed yet.
  function complete(key, lookup) {
    lookup.then(function (value) {
      if (value && box.value === compose(values).body) { values[key] = value; fill(); }
    });
  }
  if (values.dataset && !values.version) complete("version", datasetVersion(values.dataset));
  if (values.page && !values.title) complete("title", pageTitle(values.page.split("#")[0]));
}

onReady(function () {
  const form = document.getElementById("feedback-form");
  if (form) startFeedbackPage(form);
  else enhanceDataPage();
});
