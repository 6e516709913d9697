import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import AutoImport from 'unplugin-auto-import/vite';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const root = fileURLToPath(new URL('.', import.meta.url));
// The Huiji server during `npm run dev`; HUIJI_DEV_API points it elsewhere (another port, a test box).
const api = process.env.HUIJI_DEV_API ?? 'http://localhost:8080';

/** Every Element Plus component's CSS entry, as the resolver imports them (dev pre-bundling only). */
function elementPlusStyleEntries(): string[] {
  const components = join(dirname(createRequire(import.meta.url).resolve('element-plus/package.json')), 'es/components');
  return readdirSync(components)
    .filter((name) => existsSync(join(components, name, 'style/css.mjs')))
    .map((name) => `element-plus/es/components/${name}/style/css`);
}

const nm = (names: string) => new RegExp(`node_modules[\\\\/](${names})[\\\\/]`);

/**
 * Vendor chunks, highest priority first: a module goes to the first group that claims it, so
 * Vue (which vue-echarts and Element Plus import) stays in the framework chunk, and the login page
 * loads neither ECharts nor node-forge.
 */
const vendorGroups = [
  {
    name: 'vue',
    // The compiler's syntax helpers are shared by every chunk; unclaimed, they would ride along with ECharts.
    test: (id: string) => /@oxc-project[\\/+]runtime/.test(id) || nm('vue|@vue|vue-router|pinia|vue-i18n|@intlify|dayjs').test(id),
    priority: 40,
  },
  {
    name: 'element-plus',
    test: nm('element-plus|@element-plus|@floating-ui|@popperjs|@ctrl|async-validator|lodash-unified|lodash-es|lodash|@vueuse|memoize-one|normalize-wheel-es'),
    priority: 30,
  },
  { name: 'echarts', test: nm('echarts|zrender|vue-echarts|tslib'), priority: 20 },
  { name: 'forge', test: nm('node-forge'), priority: 10 },
];

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  plugins: [
    vue(),
    AutoImport({
      // Element Plus services (ElMessage, ElMessageBox) used without an import get their CSS too.
      // The console itself imports them through src/utils/message.ts, which keeps ESLint's no-undef happy.
      resolvers: [ElementPlusResolver()],
      dts: 'src/types/auto-imports.d.ts',
    }),
    Components({
      // Element Plus components in templates, with their CSS; our own components are imported explicitly.
      dirs: [],
      resolvers: [ElementPlusResolver()],
      dts: 'src/types/components.d.ts',
    }),
  ],
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  optimizeDeps: {
    // Pre-bundle what lazy routes and the component resolver import late, so the dev server
    // does not reload the page each time it discovers one.
    include: [
      'element-plus/es',
      ...elementPlusStyleEntries(),
      '@element-plus/icons-vue',
      ...['forge', 'aes', 'pem', 'random', 'rsa', 'sha256'].map((name) => `node-forge/lib/${name}`),
      'dayjs',
      'dayjs/plugin/utc',
      'dayjs/plugin/timezone',
      'echarts/core',
      'echarts/renderers',
      'echarts/charts',
      'echarts/components',
      'vue-echarts',
    ],
  },
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
    },
  },
  preview: { port: 4173 },
  build: {
    outDir: '../dist/admin-web',
    emptyOutDir: true,
    // Store counters run old PCs: Windows 7 stops at Chrome 109, many run older.
    target: ['chrome87', 'edge88', 'firefox78', 'safari14'],
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: vendorGroups,
        },
      },
    },
  },
});
