// The completeness page's trend: reporting and on-time rates by month, from a json_script
// element (CSP: no inline JS).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("completeness-trend");
    var canvas = document.getElementById("chart-trend");
    if (!source || !canvas || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.names.rate, data: data.rate, borderColor: "#0b5d4b", backgroundColor: "#0b5d4b", spanGaps: false },
          { label: data.names.on_time, data: data.on_time, borderColor: "#9a5b13", backgroundColor: "#9a5b13", borderDash: [6, 4], spanGaps: false }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, max: 100 } }
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
