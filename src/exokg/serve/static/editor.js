// YASGUI against this server's /sparql, with the project's prefixes declared in the first tab.
(function () {
  "use strict";
  var element = document.getElementById("yasgui");
  if (!element || typeof Yasgui === "undefined") { return; }
  var prefixes = JSON.parse(document.getElementById("exokg-prefixes").textContent);
  var prologue = Object.keys(prefixes).sort().map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; }).join("\n");
  var example = prologue + "\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\nSELECT ?entity ?label WHERE {\n  ?entity rdfs:label ?label .\n  FILTER(STRSTARTS(STR(?entity), STR(exokg.entity:)))\n} ORDER BY ?label LIMIT 20\n";
  var endpoint = new URL("/sparql", window.location.href).href;
  Yasgui.Yasqe.defaults.value = example;
  var yasgui = new Yasgui(element, {
    requestConfig: {endpoint: endpoint, method: "POST"},
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
    persistenceId: null,
    yasqe: {value: example}
  });
  window.exokgYasgui = yasgui;
})();
