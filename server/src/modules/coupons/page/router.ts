import express, { type Router } from 'express';
import type { Logger } from '../../../platform/logger/index.js';
import { serveScript, servePage } from '../../registration/page/page-serving.js';
import type { ClaimService } from '../claims.js';
import { claimMessagePage, claimPage } from './claim-html.js';
import { CLAIM_JS, CLAIM_JS_VERSION } from './claim-script.js';

const SCRIPT_PATH = '/c/assets/claim.js';

/**
 * The public claim page `/c/<claimCode>` and its script: server-rendered like the
 * registration page `/r/<code>`, mounted ahead of the console's catch-all. Errors are pages.
 */
export function claimPageRouter(deps: { claims: ClaimService; logger: Logger }): Router {
  const router = express.Router();
  serveScript(router, SCRIPT_PATH, CLAIM_JS, CLAIM_JS_VERSION);
  servePage(router, deps.logger, {
    path: '/c/:code',
    code: /^[A-Za-z0-9-]{1,32}$/,
    render: async (claimCode, lang) => claimPage({ lang, claimCode, ...(await deps.claims.page(claimCode)), scriptUrl: `${SCRIPT_PATH}?v=${CLAIM_JS_VERSION}` }),
    message: claimMessagePage,
    failure: 'coupon claim page failed',
  });
  return router;
}
