/** ECharts (tree-shaken build) with the chart types the studio draws; loaded on the first chart, not at start-up. */
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
// charts of the Compare place (scatter + Pareto line, latency box plots, confusion heat map)
import { BoxplotChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { LegendComponent, VisualMapComponent } from 'echarts/components';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);
echarts.use([ScatterChart, LineChart, BoxplotChart, HeatmapChart, LegendComponent, VisualMapComponent]);

export { echarts };
