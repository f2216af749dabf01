// The year page's tables: sort by a column (its header is a button) and find departments as
// you type. Figures sort by their exact 元 (data-yuan), text by the Chinese collation.
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function key(cell, numeric) {
    if (numeric) return cell.hasAttribute("data-yuan") ? Number(cell.getAttribute("data-yuan")) : -Infinity;
    return cell.getAttribute("data-key") || cell.textContent.trim();
  }

  function sortBy(table, header) {
    var index = Array.prototype.indexOf.call(header.parentNode.children, header);
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric), y = key(b.cells[index], numeric);
      var order = numeric ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y);
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.querySelectorAll("table.departments").forEach(function (table) {
    table.querySelectorAll("thead th[data-sort] button").forEach(function (button) {
      button.addEventListener("click", function () { sortBy(table, button.parentNode); });
    });
  });

  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!search) return;
  search.addEventListener("input", function () {
    var words = search.value.trim().toLowerCase();
    var shown = 0, all = 0;
    document.querySelectorAll("table.departments tbody tr").forEach(function (row) {
      var hit = !words || row.getAttribute("data-search").toLowerCase().indexOf(words) >= 0;
      row.hidden = !hit;
      all += 1;
      shown += hit ? 1 : 0;
    });
    status.textContent = words ? "找到 " + shown + " 个部门（共 " + all + " 个）" : "";
  });
})();
