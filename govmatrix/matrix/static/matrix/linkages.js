// The linkage map: official accounts, the units and civilian accounts they work with.
(function () {
  "use strict";
  const element = document.getElementById("linkage-graph");
  if (!element || typeof echarts === "undefined") return;
  const data = JSON.parse(document.getElementById(element.dataset.graph).textContent);
  const names = { 0: element.dataset.accounts || "账号", 1: element.dataset.units || "单位", 2: element.dataset.civilian || "民间" };
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { formatter: (p) => (p.dataType === "edge" ? p.data.kind : p.data.name) },
    legend: { data: Object.values(names) },
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true,
      force: { repulsion: 160, edgeLength: 90 },
      categories: Object.values(names).map((name) => ({ name: name })),
      label: { show: true, position: "right", fontSize: 11 },
      data: data.nodes.map((n) => Object.assign({ symbolSize: n.category === 0 ? 18 : 12 }, n)),
      links: data.links,
    }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
