/** Renders ECharts options to SVG strings in Node with ECharts' server-side renderer: no DOM, no script in the output. */
import { BarChart, BoxplotChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { controlsEscaped } from '../../../../shared/security/untrusted-text';

echarts.use([BarChart, BoxplotChart, HeatmapChart, LineChart, ScatterChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

/**
 * Draws a chart as SVG.
 * @param option - the ECharts option (animation is turned off)
 * @param width - pixels
 * @param height - pixels
 * @returns a standalone `<svg>` element (control characters of labels shown escaped: XML forbids them)
 */
export function renderSvg(option: echarts.EChartsCoreOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false });
    return controlsEscaped(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}
