// Inline script of the batch shortlist (skillmatch.render.shortlist): tabs, and per job a
// ranking table drawn a page at a time from the embedded JSON, sortable, filterable, with a
// drill-down per candidate. Text is set with textContent only (file names are not trusted).
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('data').textContent);
  var PAGE = 50;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function band(score) { return score >= 70 ? 'high' : (score >= 40 ? 'mid' : 'low'); }

  // --- tabs ---------------------------------------------------------------------------------
  var tabs = document.querySelectorAll('.tab');
  Array.prototype.forEach.call(tabs, function (tab) {
    tab.addEventListener('click', function () {
      Array.prototype.forEach.call(tabs, function (t) {
        t.setAttribute('aria-selected', t === tab ? 'true' : 'false');
      });
      Array.prototype.forEach.call(document.querySelectorAll('section.panel'), function (p) {
        p.hidden = p.id !== 'panel-' + tab.getAttribute('data-panel');
      });
    });
  });

  // --- one ranking table per job ------------------------------------------------------------
  function Ranking(index, job) {
    this.index = index;
    this.job = job;
    this.rows = job.rows;
    this.table = document.getElementById('rank-' + index);
    this.body = this.table.tBodies[0];
    this.pager = document.getElementById('pager-' + index);
    this.count = document.getElementById('count-' + index);
    this.query = document.getElementById('q-' + index);
    this.min = document.getElementById('min-' + index);
    this.flag = document.getElementById('flag-' + index);
    this.req = document.getElementById('req-' + index);
    this.sortKey = 'r';
    this.sortDir = 1;
    this.page = 0;
    this.open = {};
    var self = this;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th) {
      th.addEventListener('click', function () { self.sortBy(th.getAttribute('data-key')); });
    });
    [this.query, this.min, this.flag, this.req].forEach(function (input) {
      input.addEventListener('input', function () { self.page = 0; self.update(); });
      input.addEventListener('change', function () { self.page = 0; self.update(); });
    });
    this.update();
  }

  Ranking.prototype.value = function (row, key) {
    if (key === 'f') return row.f.toLowerCase();
    if (key === 'g') return row.g.length;
    if (key.charAt(0) === 'c') { var v = row.c[+key.charAt(1)]; return v === null ? -1 : v; }
    return row[key];
  };

  Ranking.prototype.sortBy = function (key) {
    if (this.sortKey === key) { this.sortDir = -this.sortDir; }
    else { this.sortKey = key; this.sortDir = (key === 'r' || key === 'f' || key === 'nx') ? 1 : -1; }
    this.page = 0;
    this.update();
  };

  Ranking.prototype.filtered = function () {
    var q = this.query.value.trim().toLowerCase();
    var min = parseFloat(this.min.value) || 0;
    var flagged = this.flag.checked;
    var req = this.req.value === '' ? -1 : +this.req.value;
    var self = this;
    var rows = this.rows.filter(function (row) {
      if (q && row.f.toLowerCase().indexOf(q) < 0) return false;
      if (row.s < min) return false;
      if (flagged && !row.g.length) return false;
      if (req >= 0 && !row.m.some(function (m) { return m[0] === req; })) return false;
      return true;
    });
    var key = this.sortKey, dir = this.sortDir;
    rows.sort(function (a, b) {
      var x = self.value(a, key), y = self.value(b, key);
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.r - b.r;
    });
    return rows;
  };

  Ranking.prototype.update = function () {
    var rows = this.filtered();
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    this.page = Math.min(this.page, pages - 1);
    var start = this.page * PAGE;
    var shown = rows.slice(start, start + PAGE);
    var body = document.createElement('tbody');
    var self = this;
    shown.forEach(function (row) {
      var tr = self.line(row);
      body.appendChild(tr);
      if (self.open[row.r]) body.appendChild(self.drill(row));
    });
    this.table.replaceChild(body, this.body);
    this.body = body;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-key');
      th.className = key === self.sortKey ? (self.sortDir > 0 ? 'asc' : 'desc') : '';
    });
    this.count.textContent = rows.length + ' of ' + this.rows.length + ' candidates';
    this.drawPager(rows.length, pages, start, shown.length);
  };

  Ranking.prototype.drawPager = function (total, pages, start, shown) {
    var self = this;
    this.pager.textContent = '';
    var prev = el('button', 'prev', '\u2039 previous');
    prev.type = 'button';
    prev.disabled = this.page === 0;
    prev.addEventListener('click', function () { self.page -= 1; self.update(); });
    var next = el('button', 'next', 'next \u203A');
    next.type = 'button';
    next.disabled = this.page >= pages - 1;
    next.addEventListener('click', function () { self.page += 1; self.update(); });
    var info = el('span', 'info', total ? ('rows ' + (start + 1) + '\u2013' + (start + shown) +
      ' of ' + total + ' \u00b7 page ' + (this.page + 1) + ' of ' + pages) : 'no candidate matches');
    this.pager.appendChild(prev);
    this.pager.appendChild(info);
    this.pager.appendChild(next);
  };

  Ranking.prototype.line = function (row) {
    var tr = el('tr', 'cand' + (this.open[row.r] ? ' open' : ''));
    tr.setAttribute('data-rank', row.r);
    tr.setAttribute('data-file', row.f);
    tr.appendChild(el('td', 'num', row.r));
    tr.appendChild(el('td', 'file', row.f));
    var score = el('td', 'num');
    var bar = el('span', 'sbar ' + band(row.s));
    var fill = el('i');
    fill.style.width = row.s + '%';
    bar.appendChild(fill);
    score.appendChild(bar);
    score.appendChild(document.createTextNode(row.s.toFixed(1)));
    tr.appendChild(score);
    row.c.forEach(function (v) {
      var td = el('td', 'num');
      if (v === null) { td.textContent = 'n/a'; }
      else {
        var c = el('span', 'cov'), i = el('i');
        i.style.width = (v * 100) + '%';
        c.appendChild(i);
        td.appendChild(c);
        td.appendChild(document.createTextNode(Math.round(v * 100) + '%'));
      }
      tr.appendChild(td);
    });
    tr.appendChild(el('td', 'num', row.nm));
    tr.appendChild(el('td', 'num', row.nx));
    var flags = el('td');
    row.g.forEach(function (f) { flags.appendChild(el('span', 'tag required', f.replace(/_/g, ' '))); });
    tr.appendChild(flags);
    var self = this;
    tr.tabIndex = 0;
    function toggle() {
      self.open[row.r] = !self.open[row.r];
      self.update();
      var again = self.body.querySelector('tr[data-rank="' + row.r + '"]');
      if (again) again.focus();
    }
    tr.addEventListener('click', toggle);
    tr.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); toggle(); }
    });
    return tr;
  };

  Ranking.prototype.drill = function (row) {
    var reqs = this.job.reqs;
    var tr = el('tr', 'drill');
    var td = el('td');
    td.colSpan = 9;
    td.appendChild(el('b', null, 'Gaps (' + row.x.length + ')'));
    var gaps = el('ul', 'gaps');
    row.x.forEach(function (x) {
      var req = reqs[x[0]];
      var li = el('li', 'gap');
      li.appendChild(el('b', null, req[1]));
      li.appendChild(el('span', 'tag ' + (req[3] ? 'required' : 'preferred'), req[3] ? 'required' : 'preferred'));
      if (x[1]) li.appendChild(el('span', 'advice', ' shows the related ' + x[1]));
      gaps.appendChild(li);
    });
    if (!row.x.length) gaps.appendChild(el('li', 'advice', 'none: every requirement shown'));
    td.appendChild(gaps);
    td.appendChild(el('b', null, 'Matched (' + row.m.length + ')'));
    var ul = el('ul', 'matched');
    row.m.forEach(function (m) {
      var req = reqs[m[0]];
      var li = el('li');
      li.appendChild(el('b', null, m[3] || req[1]));
      li.appendChild(el('span', 'tag ' + (req[3] ? 'required' : 'preferred'), req[3] ? 'required' : 'preferred'));
      if (m[2]) li.appendChild(el('span', 'tag' + (m[2] === 'applied' ? ' applied' : ''), m[2]));
      if (m[1] < 1) li.appendChild(el('span', 'tag', 'credit ' + m[1].toFixed(2)));
      var proof = el('div', 'proof');
      if (m[4] >= 0 && row.t) {
        var text = row.t[m[4]];
        proof.appendChild(document.createTextNode('\u201c' + text.slice(0, m[5])));
        proof.appendChild(el('mark', null, text.slice(m[5], m[6])));
        proof.appendChild(document.createTextNode(text.slice(m[6]) + '\u201d'));
      } else {
        proof.className = 'proof advice';
        proof.textContent = row.t ? '(no sentence: shown through a related skill)' : '(no sentence kept for this row)';
      }
      li.appendChild(proof);
      ul.appendChild(li);
    });
    td.appendChild(ul);
    tr.appendChild(td);
    return tr;
  };

  // --- the CV x job matrix (several jobs) ---------------------------------------------------
  function Matrix(matrix) {
    this.rows = matrix.rows;  // [file, best score, [score per job], flags]
    this.table = document.getElementById('matrix');
    this.body = this.table.tBodies[0];
    this.query = document.getElementById('mq');
    this.count = document.getElementById('mcount');
    this.pager = document.getElementById('mpager');
    this.sortKey = 'b';
    this.sortDir = -1;
    this.page = 0;
    var self = this;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th) {
      th.addEventListener('click', function () {
        var key = th.getAttribute('data-key');
        if (self.sortKey === key) { self.sortDir = -self.sortDir; }
        else { self.sortKey = key; self.sortDir = key === 'f' ? 1 : -1; }
        self.page = 0;
        self.update();
      });
    });
    this.query.addEventListener('input', function () { self.page = 0; self.update(); });
    this.update();
  }

  Matrix.prototype.value = function (row, key) {
    if (key === 'f') return row[0].toLowerCase();
    var v = key === 'b' ? row[1] : row[2][+key.slice(1)];
    return v === null ? -1 : v;
  };

  Matrix.prototype.update = function () {
    var q = this.query.value.trim().toLowerCase();
    var self = this, key = this.sortKey, dir = this.sortDir;
    var rows = this.rows.filter(function (r) { return !q || r[0].toLowerCase().indexOf(q) >= 0; });
    rows.sort(function (a, b) {
      var x = self.value(a, key), y = self.value(b, key);
      return x < y ? -dir : (x > y ? dir : 0);
    });
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    this.page = Math.min(this.page, pages - 1);
    var start = this.page * PAGE, shown = rows.slice(start, start + PAGE);
    var body = document.createElement('tbody');
    shown.forEach(function (r) {
      var tr = el('tr', 'mrow');
      var file = el('td', 'file', r[0]);
      r[3].forEach(function (f) { file.appendChild(el('span', 'tag required', f.replace(/_/g, ' '))); });
      tr.appendChild(file);
      tr.appendChild(el('td', 'num', r[1] === null ? '' : r[1].toFixed(1)));
      r[2].forEach(function (v) {
        tr.appendChild(el('td', 'num' + (v !== null && v === r[1] ? ' best' : ''), v === null ? 'error' : v.toFixed(1)));
      });
      body.appendChild(tr);
    });
    this.table.replaceChild(body, this.body);
    this.body = body;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th) {
      th.className = th.getAttribute('data-key') === key ? (dir > 0 ? 'asc' : 'desc') : '';
    });
    this.count.textContent = rows.length + ' of ' + this.rows.length + ' CVs';
    Ranking.prototype.drawPager.call(this, rows.length, pages, start, shown.length);
  };

  window.shortlist = DATA.jobs.map(function (job, index) { return new Ranking(index, job); });
  if (DATA.matrix) window.shortlist.matrix = new Matrix(DATA.matrix);
})();
