import { defineAsyncComponent, type App } from 'vue';
import { vPerm } from '@/directives/perm';

/**
 * Global registrations. <v-chart> is registered as an async component so ECharts is
 * fetched by the first page that draws a chart, never by the login page.
 */
export function installPlugins(app: App): void {
  app.component(
    'VChart',
    defineAsyncComponent(() => import('./echarts')),
  );
  app.directive('perm', vPerm);
}
