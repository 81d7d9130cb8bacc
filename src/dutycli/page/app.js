"use strict";
// duty html: search, filters, the split view and the printed table.
// Data is written only through textContent: nothing in it can become markup.
(function () {
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var ITEMS = DATA.items, LISTS = DATA.lists, MANY = LISTS.length > 1;
  var KIND_SHORT = { "基本履职事项": "基本", "配合履职事项": "配合", "上级部门收回事项": "收回" };
  var $ = function (id) { return document.getElementById(id); };

  // -- search: duty search's procedure over the tables from Python (search.js) -----
  ITEMS.forEach(function (item, i) {
    item.index = i;
    item.anchor = MANY ? (item.l + 1) + "-" + item.id : String(item.id);
  });
  // The tables follow this script in the page: read on the first search, once parsed.
  var ENGINE = null, LINES = [], NAME = 0, DEPTS = -1, COLUMNS = [];
  var unmatched = [], partial = false;
  function engine() {
    var box = ENGINE ? null : document.getElementById("search-data");
    if (box) {
      var tables = JSON.parse(box.textContent);
      ENGINE = DutySearch.Engine(tables, ITEMS);
      LINES = ENGINE.lines; DEPTS = tables.departments_field; COLUMNS = tables.columns;
    }
    return ENGINE;
  }

  // Ranked [{item, score, hits}] for a query; [] when nothing matches; null for no query.
  function search(query) {
    if (!query.trim()) return null;
    if (!engine()) {  // typed before the page finished loading: answered when it has
      document.addEventListener("DOMContentLoaded", function () { update(); });
      return null;
    }
    var found = ENGINE.search(query);
    if (!found) return null;
    partial = found.partial;
    unmatched = found.partial ? found.unmatched : [];
    return found.results.map(function (r) { return { item: ITEMS[r.item], score: r.score, hits: r.hits }; });
  }
  window.dutySearch = function (q) { return (search(q) || []).map(function (r) { return r.item.id; }); };
  window.dutySearch.items = function (q) {
    return (search(q) || []).map(function (r) { return { list: LISTS[r.item.l].subdistrict, id: r.item.id }; });
  };

  // -- DOM helpers -----------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function option(select, value, label) {
    var o = el("option", null, label);
    o.value = value;
    select.appendChild(o);
  }

  // -- filters ---------------------------------------------------------------
  var fList = $("f-list"), fKind = $("f-kind"), fDept = $("f-dept"), fCat = $("f-cat"), q = $("q");
  function counts(key) {
    var out = {};
    ITEMS.forEach(function (item) {
      [].concat(key(item)).forEach(function (k) { out[k] = (out[k] || 0) + 1; });
    });
    return out;
  }
  (function fillFilters() {
    var perDept = counts(function (i) { return i.departments; });
    DATA.departments.forEach(function (d) {
      if (perDept[d.name]) option(fDept, d.name, d.name + "（" + perDept[d.name] + "）");
    });
    var perCat = counts(function (i) { return i.category; }), seen = {};
    LISTS.forEach(function (l) {
      l.categories.forEach(function (c) {
        if (!seen[c] && perCat[c]) { seen[c] = 1; option(fCat, c, c + "（" + perCat[c] + "）"); }
      });
    });
    if (MANY) {
      var subs = {}, kinds = {};
      LISTS.forEach(function (l) { subs[l.subdistrict] = 1; kinds[l.kind] = 1; });
      Object.keys(subs).forEach(function (s) { option(fList, s, s); });
      Object.keys(kinds).forEach(function (k) { option(fKind, k, KIND_SHORT[k] || k); });
      $("f-list-wrap").hidden = Object.keys(subs).length < 2;
      $("f-kind-wrap").hidden = Object.keys(kinds).length < 2;
    }
  })();

  function keep(item) {
    var list = LISTS[item.l];
    return (!fList.value || list.subdistrict === fList.value) &&
           (!fKind.value || list.kind === fKind.value) &&
           (!fDept.value || item.departments.indexOf(fDept.value) >= 0) &&
           (!fCat.value || item.category === fCat.value);
  }
  function categoryLabel(item) {
    var cats = LISTS[item.l].categories, n = cats.indexOf(item.category) + 1;
    var label = n ? chinese(n) + "、" + item.category : item.category;
    return MANY ? LISTS[item.l].title + " · " + label : label;
  }
  function chinese(n) {
    var d = "零一二三四五六七八九";
    if (n < 10) return d.charAt(n);
    var t = Math.floor(n / 10), o = n % 10;
    return (t === 1 ? "" : d.charAt(t)) + "十" + (o ? d.charAt(o) : "");
  }

  // -- the list of results -----------------------------------------------------
  function snippet(text, start, end) {
    var flat = text.replace(/\n/g, " "), left = Math.max(0, start - 18), right = Math.min(flat.length, end + 18);
    return [(left > 0 ? "…" : "") + flat.slice(left, start), flat.slice(start, end),
            flat.slice(end, right) + (right < flat.length ? "…" : "")];
  }
  function hitsOf(r) {
    var box = el("div"), seen = {}, shown = 0;
    r.hits.slice().sort(function (a, b) { return b.weight - a.weight || a.line - b.line; }).forEach(function (h) {
      if (h.field === NAME || shown >= 2 || seen[h.line]) return;
      seen[h.line] = true; shown++;
      var line = el("div", "hit");
      line.appendChild(el("span", "where", "〔" + COLUMNS[h.field] + "〕"));
      if (h.field === DEPTS) { line.appendChild(document.createTextNode(h.dept)); box.appendChild(line); return; }
      var parts = snippet(LINES[h.line].text, h.start, h.end);
      line.appendChild(document.createTextNode(parts[0]));
      line.appendChild(el("mark", null, parts[1]));
      line.appendChild(document.createTextNode(parts[2]));
      box.appendChild(line);
    });
    return box;
  }
  function nameWithMark(item, hits) {
    var span = el("span", "name"), h = null;
    (hits || []).forEach(function (x) { if (!h && x.field === NAME) h = x; });
    if (!h) { span.textContent = item.name; return span; }
    span.appendChild(document.createTextNode(item.name.slice(0, h.start)));
    span.appendChild(el("mark", null, item.name.slice(h.start, h.end)));
    span.appendChild(document.createTextNode(item.name.slice(h.end)));
    return span;
  }
  function entry(item, r) {
    var li = el("li", "item"), a = el("a");
    li.dataset.id = item.id;
    li.dataset.anchor = item.anchor;
    a.href = "#" + item.anchor;
    a.appendChild(el("span", "num", String(item.id)));
    a.appendChild(nameWithMark(item, r && r.hits));
    li.appendChild(a);
    var meta = item.category + " · " + item.departments.join("、");
    if (MANY) meta = LISTS[item.l].title + " · " + meta;
    li.appendChild(el("div", "meta", meta));
    if (r) li.appendChild(hitsOf(r));
    return li;
  }

  var shown = [];
  function update() {
    var results = $("results"), query = q.value.trim(), found = search(query), frag = document.createDocumentFragment();
    results.textContent = "";
    if (found) {
      shown = found.filter(function (r) { return keep(r.item); });
      shown.forEach(function (r) { frag.appendChild(entry(r.item, r)); });
      $("status").textContent = shown.length
        ? "找到 " + shown.length + " 项，按相关程度排序。"
        : "没有找到与“" + query + "”相关的事项。";
    } else {
      var current = null;
      shown = ITEMS.filter(keep).map(function (item) { return { item: item, hits: [] }; });
      shown.forEach(function (r) {
        var label = categoryLabel(r.item);
        if (label !== current) { current = label; frag.appendChild(el("li", "cat", label)); }
        frag.appendChild(entry(r.item, null));
      });
      $("status").textContent = "共 " + shown.length + " 项" + (fDept.value ? "（" + fDept.value + "）" : "") + "。";
    }
    if (found && shown.length && partial) {  // the words as duty search says it
      $("status").textContent = "没有一项同时匹配“" + query + "”的全部词，下面是匹配词最多的事项" +
        (unmatched.length ? "；没有匹配任何事项的词：" + unmatched.join("、") : "") + "。";
    }
    var alike = found ? shown.filter(function (r) { return !r.hits.length; }) : [];
    if (alike.length && alike.length < shown.length) {  // the items most like the first
      $("status").textContent += alike.map(function (r) { return "第" + r.item.id + "项"; }).join("、") +
        "不含所查的词，列在后面，是内容与第" + shown[0].item.id + "项最相近的事项。";
    }
    results.appendChild(frag);
    schedulePrint();
  }

  // -- one item: the split ---------------------------------------------------------
  function para(line) {
    return el("p", line[2] === "step" ? (line[0] ? "sub" : "") : line[2], line[1]);
  }
  function upperColumn(item, focus) {
    var box = el("div", "upper");
    box.appendChild(el("h3", null, "上级部门职责"));
    item.blocks.forEach(function (b) {
      var part = el("div", focus && b.d.indexOf(focus) >= 0 ? "focus" : null);
      if (b.h) part.appendChild(el("p", "heading", b.h));
      b.lines.forEach(function (l) { part.appendChild(para(l)); });
      box.appendChild(part);
    });
    if (item.guarantees.length) {
      box.appendChild(el("p", "label", "履职保障："));
      item.guarantees.forEach(function (l) { box.appendChild(para(l)); });
    }
    return box;
  }
  function streetColumn(item) {
    var box = el("div", "street");
    box.appendChild(el("h3", null, "街道配合职责"));
    item.street.forEach(function (l) { box.appendChild(para(l)); });
    if (!item.street.length) box.appendChild(el("p", "meta", "（无）"));
    return box;
  }
  var opened = null;  // the item the address opens (#17), which is then what prints
  function showDetail() {
    var detail = $("detail"), anchor = location.hash.slice(1), item = null;
    try { anchor = decodeURIComponent(anchor); } catch (e) { /* a malformed link: no item */ }
    ITEMS.forEach(function (i) { if (i.anchor === anchor) item = i; });
    detail.textContent = "";
    detail.hidden = !item;
    opened = item;
    if (item) printTable(); else schedulePrint();
    if (!item) return;
    var back = el("a", "back", "返回列表");
    back.href = "#";
    detail.appendChild(back);
    detail.appendChild(el("h2", null, "第" + item.id + "项：" + item.name));
    var list = LISTS[item.l];
    detail.appendChild(el("div", "meta", (MANY ? list.title + " · " : "") + "类别：" + item.category));
    detail.appendChild(el("div", "meta", "对应上级部门：" + item.departments.join("、")));
    var split = el("div", "split");
    split.appendChild(upperColumn(item, fDept.value));
    split.appendChild(streetColumn(item));
    detail.appendChild(split);
    if (item.more && item.more.length) {
      var more = el("div", "more");
      item.more.forEach(function (l) { more.appendChild(para(l)); });
      detail.appendChild(more);
    }
    // Below the search bar, which stays at the top of wide screens.
    var bar = $("top"), covered = getComputedStyle(bar).position === "sticky" ? bar.offsetHeight : 0;
    window.scrollTo(0, detail.getBoundingClientRect().top + window.pageYOffset - covered - 8);
  }

  // -- printing: the published table of what is shown ----------------------------
  function cellLines(td, lines) {
    lines.forEach(function (l) { td.appendChild(el("p", null, (l[0] ? "\u3000" : "") + l[1])); });
  }
  // What printing gives: the open item alone, else every item shown; the button says which.
  function printed() { return opened ? [opened] : shown.map(function (r) { return r.item; }); }
  function printLabel() {
    if (opened) return "打印第" + opened.id + "项";
    return shown.length === ITEMS.length ? "打印全部" + shown.length + "项" : "打印这" + shown.length + "项";
  }
  function printTable() {
    var box = $("print"), button = $("print-button");
    box.textContent = "";
    button.textContent = printLabel();
    button.title = opened ? "只打印打开的这一项（第" + opened.id + "项：" + opened.name + "）"
                          : "按清单表格的样式打印列表中的事项";
    var byList = {};
    printed().forEach(function (item) { (byList[item.l] = byList[item.l] || []).push(item); });
    Object.keys(byList).forEach(function (l) {
      var list = LISTS[l];
      box.appendChild(el("h1", null, list.title + (fDept.value ? "（" + fDept.value + "）" : "")));
      var table = el("table"), cols = el("colgroup");
      ["n", "t", "d", "x", "x"].forEach(function (c) { cols.appendChild(el("col", c)); });
      table.appendChild(cols);
      var head = el("thead"), tr = el("tr");
      ["序号", "事项名称", "对应上级部门", "上级部门职责", "街道配合职责"].forEach(function (h) { tr.appendChild(el("th", null, h)); });
      head.appendChild(tr);
      table.appendChild(head);
      var body = el("tbody"), current = null;
      byList[l].forEach(function (item) {
        if (list.categories.length && item.category !== current) {
          current = item.category;
          var row = el("tr", "cat"), td = el("td", null, categoryLabel(item));
          td.colSpan = 5; row.appendChild(td); body.appendChild(row);
        }
        var r = el("tr");
        r.appendChild(el("td", "c", String(item.id)));
        r.appendChild(el("td", "c", item.name));
        r.appendChild(el("td", "c", item.departments.join("、")));
        var up = el("td");
        item.blocks.forEach(function (b) {
          if (fDept.value && b.d.indexOf(fDept.value) < 0) return;
          if (b.h) up.appendChild(el("p", null, b.h));
          cellLines(up, b.lines);
        });
        if (item.guarantees.length === 1) up.appendChild(el("p", null, "履职保障：" + item.guarantees[0][1]));
        else if (item.guarantees.length) { up.appendChild(el("p", null, "履职保障：")); cellLines(up, item.guarantees); }
        if (opened && item.more && item.more.length) cellLines(up, item.more);
        r.appendChild(up);
        var st = el("td");
        cellLines(st, item.street);
        r.appendChild(st);
        body.appendChild(r);
      });
      table.appendChild(body);
      box.appendChild(table);
      if (list.note) box.appendChild(el("p", null, /^注/.test(list.note) ? list.note : "注：" + list.note));
    });
  }

  // The printed table follows what is shown; it is built when the page is idle.
  var printTimer = null;
  function schedulePrint() {
    clearTimeout(printTimer);
    printTimer = setTimeout(printTable, 150);
  }
  window.addEventListener("beforeprint", function () { clearTimeout(printTimer); printTable(); });
  $("print-button").addEventListener("click", function () { clearTimeout(printTimer); printTable(); window.print(); });

  q.addEventListener("input", update);
  $("controls").addEventListener("submit", function (e) { e.preventDefault(); update(); });
  [fList, fKind, fDept, fCat].forEach(function (s) {
    s.addEventListener("change", function () { update(); showDetail(); });
  });
  window.addEventListener("hashchange", showDetail);
  if (LISTS.length === 1 && LISTS[0].note) $("note").textContent = /^注/.test(LISTS[0].note) ? LISTS[0].note : "注：" + LISTS[0].note;
  update();
  showDetail();
  if (window.performance && performance.mark) performance.mark("duty-ready");
  document.documentElement.dataset.ready = "1";
})();
