// The line charts (chart.js) load with the first example that draws one (why-scale,
// quadratic-cost: their load() awaits loadCharts()), not with every page.
export let drawChart = null;

/** Loads chart.js; steps-view.js draws charts with it from then on. */
export async function loadCharts() {
  ({ drawChart } = await import('./chart.js'));
}
