import type { Request, Router } from 'express';
import { AppError } from '../../../platform/errors/app-error.js';
import { pickLocale } from '../../../platform/i18n/locale.js';
import type { Logger } from '../../../platform/logger/index.js';
import type { PageLang } from './html.js';

/** `?lang=en` or `?lang=zh` wins (the page's switch), else the browser's preference. */
export function langOf(req: Request): PageLang {
  if (req.query.lang === 'en') return 'en';
  if (req.query.lang === 'zh') return 'zh-CN';
  return pickLocale(req.get('accept-language'));
}

/** A page's script at `path`. The page asks for ?v=<hash of the script>; that exact version never changes. */
export function serveScript(router: Router, path: string, script: string, version: string): void {
  router.get(path, (req, res) => {
    const pinned = req.query.v === version;
    res.set('Cache-Control', pinned ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.type('application/javascript; charset=utf-8').send(script);
  });
}

export interface PublicPage {
  /** The route, with a `:code` parameter. */
  path: string;
  /** The shape a code must have; anything else is a 404 page without a lookup. */
  code: RegExp;
  /** The page for a code (lower-cased); a 404 AppError for one nobody knows. */
  render(code: string, lang: PageLang): Promise<string>;
  message(lang: PageLang, kind: 'notFound' | 'unavailable'): string;
  /** What the log says when the page cannot be built. */
  failure: string;
}

/**
 * A public page found by its code (`/r/<code>`, `/c/<code>`). A person reads what it
 * answers, so errors are pages, never JSON: an unknown code a 404 page, anything else a
 * 503 page, logged.
 */
export function servePage(router: Router, logger: Logger, page: PublicPage): void {
  router.get(page.path, async (req, res) => {
    const lang = langOf(req);
    res.set('Cache-Control', 'no-cache');
    res.type('html');
    const code = String(req.params.code);
    if (!page.code.test(code)) {
      res.status(404).send(page.message(lang, 'notFound'));
      return;
    }
    try {
      res.send(await page.render(code.toLowerCase(), lang));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        res.status(404).send(page.message(lang, 'notFound'));
        return;
      }
      logger.error(page.failure, { error, code });
      res.status(503).send(page.message(lang, 'unavailable'));
    }
  });
}
