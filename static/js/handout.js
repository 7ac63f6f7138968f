/* loa: the date on a printed handout. A page's print-only handout block has
   <p class="handout-printed" hidden>… <time data-print-date></time></p>; this writes today's date in the
   page's language (25/11/2026, or 25 November 2026 on English pages) and shows the line, when the page loads
   and again just before it is printed. The build cannot write it: two builds of the same input must be
   byte-identical, and a page is printed long after it was built. */
(function (w, d) {
  var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function fill() {
    var t = new Date(), day = t.getDate(), m = t.getMonth() + 1, y = t.getFullYear();
    var text = d.documentElement.lang === 'en' ? day + ' ' + months[m - 1] + ' ' + y : two(day) + '/' + two(m) + '/' + y;
    Array.prototype.forEach.call(d.querySelectorAll('time[data-print-date]'), function (e) {
      e.textContent = text;
      e.setAttribute('datetime', y + '-' + two(m) + '-' + two(day));
      var line = e.closest('[hidden]');
      if (line) line.hidden = false;
    });
  }
  w.addEventListener('beforeprint', fill);
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', fill); else fill();
})(window, document);
