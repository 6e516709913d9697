import express, { type Router } from 'express';
import type { Logger } from '../../../platform/logger/index.js';
import type { RegistrationService } from '../registration-service.js';
import { messagePage, registrationPage } from './html.js';
import { serveScript, servePage } from './page-serving.js';
import { REGISTER_JS, REGISTER_JS_VERSION } from './script.js';

const SCRIPT_PATH = '/r/assets/register.js';

/**
 * The public page `/r/<code>` and its script: plain server-rendered HTML, not the console
 * bundle, so a customer's phone loads a few kilobytes. Mounted by the app ahead of the
 * console's catch-all route. Errors become pages, never JSON: a person reads them.
 */
export function registrationPageRouter(deps: { registration: RegistrationService; logger: Logger }): Router {
  const router = express.Router();
  serveScript(router, SCRIPT_PATH, REGISTER_JS, REGISTER_JS_VERSION);
  servePage(router, deps.logger, {
    path: '/r/:code',
    code: /^[A-Za-z0-9_-]{1,32}$/,
    render: async (code, lang) => {
      const form = await deps.registration.form(code);
      return registrationPage({
        lang,
        code: form.channel.code,
        channelName: form.channel.name,
        storeName: form.store.name,
        privacyNotice: form.privacyNotice,
        consentText: form.consentText,
        scriptUrl: `${SCRIPT_PATH}?v=${REGISTER_JS_VERSION}`,
      });
    },
    message: messagePage,
    failure: 'registration page failed',
  });
  return router;
}
