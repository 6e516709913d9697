import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { loginLocation } from './router/guard';
import { i18n } from './locales';
import { configureHttp } from './api/http';
import { useAuthStore } from './stores/auth';
import { installPlugins } from './plugins';
import { ElMessage } from './utils/message';
import './styles/base.css';
import './styles/list-page.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(i18n);
installPlugins(app);

configureHttp({
  onUnauthorized(error) {
    useAuthStore(pinia).clear();
    const current = router.currentRoute.value;
    // During the first navigation the guard handles it; on a public page there is nothing to leave.
    if (current.matched.length === 0 || current.meta.public) return;
    ElMessage.warning(error.message); // e.g. 'your session has expired', in the chosen language
    void router.replace(loginLocation(current));
  },
  onPasswordChangeRequired() {
    useAuthStore(pinia).markPasswordChangeRequired();
    const current = router.currentRoute.value;
    if (current.matched.length === 0 || current.name === 'change-password') return;
    void router.replace({ name: 'change-password' });
  },
});

app.use(router);
void router.isReady().then(() => app.mount('#app'));
