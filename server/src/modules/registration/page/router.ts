import express, { type Request, type Router } from 'express';
import { AppError } from '../../../platform/errors/app-error.js';
import { pickLocale } from '../../../platform/i18n/locale.js';
import type { Logger } from '../../../platform/logger/index.js';
import type { RegistrationService } from '../registration-service.js';
import { messagePage, registrationPage, type PageLang } from './html.js';
import { REGISTER_JS, REGISTER_JS_VERSION } from './script.js';

const CODE = /^[A-Za-z0-9_-]{1,32}$/;
const SCRIPT_PATH = '/r/assets/register.js';

/** `?lang=en` or `?lang=zh` wins (the page's switch), else the browser's preference. */
function langOf(req: Request): PageLang {
  if (req.query.lang === 'en') return 'en';
  if (req.query.lang === 'zh') return 'zh-CN';
  return pickLocale(req.get('accept-language'));
}

/**
 * The public page `/r/<code>` and its script: plain server-rendered HTML, not the console
 * bundle, so a customer's phone loads a few kilobytes. Mounted by the app ahead of the
 * console's catch-all route. Errors become pages, never JSON: a person reads them.
 */
export function registrationPageRouter(deps: { registration: RegistrationService; logger: Logger }): Router {
  const router = express.Router();
  router.get(SCRIPT_PATH, (req, res) => {
    // The page asks for ?v=<hash of the script>; that exact version never changes.
    const pinned = req.query.v === REGISTER_JS_VERSION;
    res.set('Cache-Control', pinned ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.type('application/javascript; charset=utf-8').send(REGISTER_JS);
  });
  router.get('/r/:code', async (req, res) => {
    const lang = langOf(req);
    res.set('Cache-Control', 'no-cache');
    res.type('html');
    const code = req.params.code;
    if (!CODE.test(code)) {
      res.status(404).send(messagePage(lang, 'notFound'));
      return;
    }
    try {
      const form = await deps.registration.form(code.toLowerCase());
      res.send(
        registrationPage({
          lang,
          code: form.channel.code,
          channelName: form.channel.name,
          storeName: form.store.name,
          privacyNotice: form.privacyNotice,
          consentText: form.consentText,
          scriptUrl: `${SCRIPT_PATH}?v=${REGISTER_JS_VERSION}`,
        }),
      );
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        res.status(404).send(messagePage(lang, 'notFound'));
        return;
      }
      deps.logger.error('registration page failed', { error, code });
      res.status(503).send(messagePage(lang, 'unavailable'));
    }
  });
  return router;
}
