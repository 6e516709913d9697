import express, { type Request, type Router } from 'express';
import { AppError } from '../../../platform/errors/app-error.js';
import { pickLocale } from '../../../platform/i18n/locale.js';
import type { Logger } from '../../../platform/logger/index.js';
import type { PageLang } from '../../registration/page/html.js';
import type { ClaimService } from '../claims.js';
import { claimMessagePage, claimPage } from './claim-html.js';
import { CLAIM_JS, CLAIM_JS_VERSION } from './claim-script.js';

const CODE = /^[A-Za-z0-9-]{1,32}$/;
const SCRIPT_PATH = '/c/assets/claim.js';

function langOf(req: Request): PageLang {
  if (req.query.lang === 'en') return 'en';
  if (req.query.lang === 'zh') return 'zh-CN';
  return pickLocale(req.get('accept-language'));
}

/**
 * The public claim page `/c/<claimCode>` and its script: server-rendered like the
 * registration page `/r/<code>`, mounted ahead of the console's catch-all. Errors are pages.
 */
export function claimPageRouter(deps: { claims: ClaimService; logger: Logger }): Router {
  const router = express.Router();
  router.get(SCRIPT_PATH, (req, res) => {
    res.set('Cache-Control', req.query.v === CLAIM_JS_VERSION ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.type('application/javascript; charset=utf-8').send(CLAIM_JS);
  });
  router.get('/c/:code', async (req, res) => {
    const lang = langOf(req);
    res.set('Cache-Control', 'no-cache');
    res.type('html');
    const code = req.params.code;
    if (!CODE.test(code)) {
      res.status(404).send(claimMessagePage(lang, 'notFound'));
      return;
    }
    try {
      const page = await deps.claims.page(code.toLowerCase());
      res.send(claimPage({ lang, claimCode: code.toLowerCase(), ...page, scriptUrl: `${SCRIPT_PATH}?v=${CLAIM_JS_VERSION}` }));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        res.status(404).send(claimMessagePage(lang, 'notFound'));
        return;
      }
      deps.logger.error('coupon claim page failed', { error, code });
      res.status(503).send(claimMessagePage(lang, 'unavailable'));
    }
  });
  return router;
}
