// Inline script of the HTML report (skillmatch.report_html): click a row to show its proof.
document.querySelectorAll('tr.req').forEach(function (row) {
  row.addEventListener('click', function () {
    var next = row.nextElementSibling;
    if (next && next.classList.contains('proof')) { next.hidden = !next.hidden; }
  });
});
var toggle = document.getElementById('toggle-proofs');
if (toggle) toggle.addEventListener('click', function () {
  var rows = document.querySelectorAll('tr.proof');
  var open = Array.prototype.some.call(rows, function (r) { return r.hidden; });
  rows.forEach(function (r) { r.hidden = !open; });
  toggle.textContent = open ? 'Hide all proofs' : 'Show all proofs';
});
