// Draws the console's charts with uPlot. Each chart is an element with a data-chart attribute
// holding JSON written by the server: { "kind": "line" | "sparkline", "x": [unix seconds...],
// "series": [{ "label", "values": [...], "color" }] }. No data reaches the page any other way.
'use strict';

function drawChart(element) {
  const spec = JSON.parse(element.getAttribute('data-chart'));
  const sparkline = spec.kind === 'sparkline';
  const series = [{}].concat(
    spec.series.map((s) => ({
      label: s.label,
      stroke: s.color,
      width: sparkline ? 1.5 : 2,
      points: { show: !sparkline },
    })),
  );
  const options = {
    width: sparkline ? 160 : Math.max(320, element.clientWidth || 720),
    height: sparkline ? 36 : 260,
    series,
    legend: { show: !sparkline },
    cursor: { show: !sparkline },
    axes: sparkline ? [{ show: false }, { show: false }] : [{}, { size: 60 }],
    scales: { x: { time: true } },
  };
  element.textContent = '';
  new uPlot(options, [spec.x].concat(spec.series.map((s) => s.values)), element);
  // Tests read how many points were drawn.
  element.setAttribute('data-drawn', String(spec.x.length));
}

document.addEventListener('DOMContentLoaded', () => {
  for (const element of document.querySelectorAll('[data-chart]')) drawChart(element);
});
