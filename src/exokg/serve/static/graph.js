// Draws the neighbourhood with Cytoscape.js; the table below the canvas carries the same edges without JS.
(function () {
  "use strict";
  var container = document.getElementById("cy");
  if (!container || typeof cytoscape === "undefined") { return; }
  fetch(container.getAttribute("data-elements"), {headers: {Accept: "application/json"}})
    .then(function (response) { return response.json(); })
    .then(function (data) {
      container.removeAttribute("aria-hidden");
      container.classList.add("ready");
      var cy = cytoscape({
        container: container,
        elements: data.elements,
        layout: {name: "cose", animate: false},
        style: [
          {selector: "node", style: {"label": "data(label)", "font-size": 7, "background-color": "#4a7ab5", "width": 14, "height": 14}},
          {selector: "node[?centre]", style: {"background-color": "#c0392b", "width": 22, "height": 22}},
          {selector: "edge", style: {"label": "data(label)", "font-size": 5, "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1, "line-color": "#999", "target-arrow-color": "#999", "color": "#555"}}
        ]
      });
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href && href.charAt(0) === "/") { window.location.href = href; }
      });
      window.exokgGraph = cy;
    });
})();
