import type VChart from 'vue-echarts';
import type { vPerm } from '@/directives/perm';

declare module 'vue' {
  interface GlobalComponents {
    VChart: typeof VChart;
  }
  interface GlobalDirectives {
    vPerm: typeof vPerm;
  }
}

export {};
