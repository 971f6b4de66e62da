// The reference's search: names and descriptions of commands, events and types, offline. The index page holds
// the data (a JSON script element); the search box of any other page takes its query there (?q=...).
(function () {
  'use strict';
  var data = document.getElementById('search-data');
  var input = document.getElementById('q');
  var results = document.getElementById('results');
  if (!data || !input || !results) return;
  var entries = JSON.parse(data.textContent);
  var list = results.querySelector('ol');
  var status = results.querySelector('.status');
  var LIMIT = 50;

  // Higher is better: the name itself, then a name that starts with the query, contains it, then the description.
  function score(entry, q) {
    var name = entry[0].toLowerCase();
    if (name === q) return 4;
    if (name.indexOf(q) === 0) return 3;
    if (name.indexOf(q) >= 0) return 2;
    if (entry[3].toLowerCase().indexOf(q) >= 0) return 1;
    return 0;
  }

  function show() {
    var q = input.value.trim().toLowerCase();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (q === '') {
      results.hidden = true;
      return;
    }
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var s = score(entries[i], q);
      if (s > 0) found.push([s, i]);
    }
    found.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    for (var k = 0; k < found.length && k < LIMIT; k++) {
      var e = entries[found[k][1]];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = e[2];
      var code = document.createElement('code');
      code.textContent = e[0];
      a.appendChild(code);
      li.appendChild(a);
      var what = document.createElement('span');
      what.className = 'what';
      what.textContent = ' ' + e[1] + (e[3] ? ': ' + e[3] : '');
      li.appendChild(what);
      list.appendChild(li);
    }
    status.textContent = found.length === 0 ? 'Nothing matches "' + input.value.trim() + '".' : found.length + (found.length === 1 ? ' match' : ' matches') + (found.length > LIMIT ? ', the first ' + LIMIT + ' shown.' : '.');
    results.hidden = false;
  }

  input.addEventListener('input', show);
  var given = new URLSearchParams(window.location.search).get('q');
  if (given) input.value = given;
  show();
})();
