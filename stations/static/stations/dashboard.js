// The coverage dashboard's charts: data comes from a json_script element (CSP: no inline JS).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("stations-chart-data");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    // A fresh options object per chart: Chart.js keeps and mutates the one it is given.
    function options(extra) {
      return Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, extra || {});
    }
    var coverage = document.getElementById("chart-coverage");
    if (coverage) {
      new Chart(coverage, {
        type: "bar",
        data: {
          labels: data.coverage.labels,
          datasets: [
            { label: labels.townships, data: data.coverage.townships, backgroundColor: "#cfe2dd" },
            { label: labels.operating, data: data.coverage.operating, backgroundColor: "#0b5d4b" }
          ]
        },
        options: options()
      });
    }
    var operating = document.getElementById("chart-operating");
    if (operating) {
      new Chart(operating, {
        type: "line",
        data: {
          labels: data.operating.labels,
          datasets: [
            { label: labels.operating, data: data.operating.operating, borderColor: "#0b5d4b", pointRadius: 0 },
            { label: labels.plan, data: data.operating.plan, borderColor: "#d9822b", borderDash: [6, 4], stepped: true, pointRadius: 0, spanGaps: false }
          ]
        },
        options: options({ scales: { y: { beginAtZero: true } } })
      });
    }
    var areas = document.getElementById("chart-areas");
    if (areas) {
      new Chart(areas, {
        type: "bar",
        data: {
          labels: data.areas.labels,
          datasets: [{ label: labels.person_times, data: data.areas.person_times, backgroundColor: "#3b7dd8" }]
        },
        options: options({ indexAxis: "y" })
      });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
