// Draws every [data-chart] element with ECharts from the JSON beside it. A click on a bar or a
// slice opens the list of rows behind that number.
(function () {
  "use strict";
  const palette = ["#0d6efd", "#198754", "#ffc107", "#6c757d", "#dc3545", "#20c997", "#6610f2", "#fd7e14"];

  function optionFor(spec) {
    const base = { color: palette, tooltip: { trigger: spec.type === "pie" ? "item" : "axis" }, animation: false };
    if (spec.type === "pie") {
      const s = spec.series[0];
      return Object.assign(base, {
        legend: { bottom: 0, type: "scroll" },
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          label: { formatter: "{b}: {c}" },
          data: spec.categories.map((name, i) => ({ name: name, value: s.data[i], link: s.links[i] })),
        }],
      });
    }
    const stacked = spec.type === "stacked_bar";
    const horizontal = stacked && spec.categories.length > 8;
    const categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    const valueAxis = { type: "value", minInterval: 1 };
    return Object.assign(base, {
      legend: stacked ? { top: 0, type: "scroll" } : undefined,
      grid: { left: horizontal ? 150 : 40, right: 16, top: stacked ? 32 : 16, bottom: horizontal ? 24 : 60 },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? Object.assign(categoryAxis, { inverse: true, axisLabel: { interval: 0 } }) : valueAxis,
      series: spec.series.map((s) => ({
        name: s.name, type: "bar", stack: stacked ? "total" : undefined,
        data: s.data.map((v, i) => ({ value: v, link: s.links[i] })),
      })),
    });
  }

  function draw(element) {
    const dataNode = document.getElementById(element.dataset.chart);
    if (!dataNode || typeof echarts === "undefined") return;
    const chart = echarts.init(element);
    chart.setOption(optionFor(JSON.parse(dataNode.textContent)));
    chart.on("click", (params) => { if (params.data && params.data.link) window.location.href = params.data.link; });
    window.addEventListener("resize", () => chart.resize());
    element.dataset.drawn = "1";
  }

  function drawAll(root) { root.querySelectorAll("[data-chart]:not([data-drawn])").forEach(draw); }
  document.addEventListener("DOMContentLoaded", () => drawAll(document));
  document.addEventListener("htmx:afterSwap", (event) => drawAll(event.target));
})();
