import type { RouteLocationNormalized, Router } from 'vue-router';
import { useAuthStore } from '@/stores/auth';
import { isApiError } from '@/api/http';
import { i18n } from '@/locales';

/** Where a logged-out visitor goes, keeping the page they wanted. */
export function loginLocation(to: Pick<RouteLocationNormalized, 'fullPath'>) {
  return to.fullPath === '/' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } };
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore();

    if (to.meta.public) {
      // A signed-in user has no business on the login page.
      if (to.name === 'login' && auth.isLoggedIn && auth.user && !auth.mustChangePassword) return { path: '/' };
      return true;
    }
    if (!auth.isLoggedIn) return loginLocation(to);

    if (!auth.user && !auth.mustChangePassword) {
      try {
        await auth.loadSession();
      } catch (error) {
        if (isApiError(error, 'PASSWORD_CHANGE_REQUIRED')) {
          auth.markPasswordChangeRequired();
        } else if (isApiError(error) && error.status === 401) {
          auth.clear();
          return loginLocation(to);
        } else {
          // Server unreachable or failing: nothing can be shown without it. The login page's
          // own requests will show the error, and a successful login replaces the token.
          return loginLocation(to);
        }
      }
    }

    if (auth.mustChangePassword && to.name !== 'change-password') {
      return { name: 'change-password', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (!auth.can(to.meta.permission)) return { name: 'forbidden' };
    return true;
  });

  router.afterEach((to) => {
    const brand = i18n.global.t('app.brand');
    document.title = to.meta.title ? `${i18n.global.t(to.meta.title)} - ${brand}` : brand;
  });
}
