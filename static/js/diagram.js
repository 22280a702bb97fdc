// Bar charts drawn with Chart.js from the table beside them: <canvas data-diagram-tabel="ID">
// reads the table with that id — the month in each row's <th>, one series per <td> column named
// by the <thead>. The table stays the page's record of the numbers (and the whole of it without
// JavaScript); the chart's box is `hidden` in the markup and shown only once it is drawn.
// Loaded by src: the pages allow no inline script.
(function () {
  "use strict";

  // The server-side SVG's colours (oversigt/diagram.py): 3:1 against white and each other.
  var FARVER = ["#0b3d91", "#b35900", "#2e7d32", "#6a1b9a"];

  // "<3" (a suppressed count) or anything not a whole number draws no bar.
  function tal(tekst) {
    var renset = tekst.trim().replace(/\./g, "");
    return /^\d+$/.test(renset) ? parseInt(renset, 10) : null;
  }

  function laesTabel(tabel) {
    var navne = Array.prototype.map.call(
      tabel.querySelectorAll("thead th"),
      function (th) { return th.textContent.trim(); }
    ).slice(1);
    var etiketter = [];
    var serier = navne.map(function () { return []; });
    tabel.querySelectorAll("tbody tr").forEach(function (raekke) {
      etiketter.push(raekke.querySelector("th").textContent.trim());
      raekke.querySelectorAll("td").forEach(function (celle, i) {
        if (i < serier.length) serier[i].push(tal(celle.textContent));
      });
    });
    return {
      labels: etiketter,
      datasets: navne.map(function (navn, i) {
        return { label: navn, data: serier[i], backgroundColor: FARVER[i % FARVER.length] };
      }),
    };
  }

  function tegn(laerred) {
    var tabel = document.getElementById(laerred.dataset.diagramTabel);
    if (!tabel || typeof window.Chart === "undefined") return;
    var ramme = laerred.closest("[data-diagram-ramme]");
    if (ramme) ramme.hidden = false;
    var roligt = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(laerred, {
      type: "bar",
      data: laesTabel(tabel),
      options: {
        locale: document.documentElement.lang || "da",
        animation: roligt ? false : undefined,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function start() {
    document.querySelectorAll("canvas[data-diagram-tabel]").forEach(tegn);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
