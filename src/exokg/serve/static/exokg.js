// Autocomplete for every input with data-autocomplete: fills its <datalist> from /api/search.
// Pages work without it (the search form and the query forms take plain text).
(function () {
  "use strict";
  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var useCurie = input.getAttribute("data-autocomplete-value") === "curie";
    if (!list) { return; }
    input.addEventListener("input", debounce(function () {
      var text = input.value.trim();
      if (text.length < 2) { return; }
      fetch(input.getAttribute("data-autocomplete") + "?q=" + encodeURIComponent(text), {headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (matches) {
          list.replaceChildren();
          matches.forEach(function (m) {
            var option = document.createElement("option");
            option.value = useCurie ? m.curie : m.matched;
            option.textContent = m.label + (m.kind === "synonym" ? " (" + m.matched + ")" : "") + " — " + m.curie;
            list.appendChild(option);
          });
        })
        .catch(function () { /* autocomplete is a convenience; the form still works */ });
    }, 150));
  });
})();
