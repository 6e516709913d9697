import { PAGE_CSS } from './styles.js';

/**
 * The HTML of the public registration page and its error pages. Every text that comes
 * from an admin (channel and store names, the privacy notice, the consent text) or from
 * the URL goes through `escapeHtml`: the page is public, and a channel named
 * `<script>...` must show as text.
 */
export type PageLang = 'zh-CN' | 'en';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const T = {
  'zh-CN': {
    other: 'English',
    otherLang: 'en',
    phone: '手机号',
    phoneHint: '请输入 11 位手机号',
    code: '验证码',
    codeHint: '6 位数字',
    getCode: '获取验证码',
    notice: '隐私政策',
    accept: '我已阅读并同意《隐私政策》',
    submit: '注册会员',
    noScript: '请开启浏览器的 JavaScript 后再注册。',
    notFoundTitle: '页面不存在',
    notFound: '该注册页面不存在或已停用，请向门店工作人员咨询。',
    unavailableTitle: '暂时无法访问',
    unavailable: '服务暂时不可用，请稍后刷新重试。',
    member: '会员注册',
  },
  en: {
    other: '中文',
    otherLang: 'zh',
    phone: 'Mobile number',
    phoneHint: '11-digit mainland mobile number',
    code: 'Code',
    codeHint: '6 digits',
    getCode: 'Get code',
    notice: 'Privacy notice',
    accept: 'I have read and accept the privacy notice',
    submit: 'Register',
    noScript: 'Please turn on JavaScript to register.',
    notFoundTitle: 'Page not found',
    notFound: 'This registration page does not exist or is paused; please ask the store staff.',
    unavailableTitle: 'Temporarily unavailable',
    unavailable: 'The service is unavailable right now; please reload in a moment.',
    member: 'Member sign-up',
  },
} as const;

/** The document around a public page's body (the coupon claim page `/c/<code>` uses it too). */
export function shell(lang: PageLang, title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<meta name="robots" content="noindex,nofollow">
<meta name="format-detection" content="telephone=no">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>
${script ? `<script src="${escapeHtml(script)}" defer></script>` : ''}
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The phone field and the SMS-code field with its send button, as the pages' script
 * (sms-form-script.ts) finds them; `codePath` is the name the page's API takes the code by.
 */
export function phoneCodeFields(t: { phone: string; phoneHint: string; code: string; codeHint: string; getCode: string }, codePath: string): string {
  return `<div class="field" data-path="phone">
<label for="f-phone">${t.phone}<span class="req">*</span></label>
<input id="f-phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel" maxlength="11" placeholder="${t.phoneHint}">
<p class="error"></p>
</div>
<div class="field" data-path="${codePath}">
<label for="f-code">${t.code}<span class="req">*</span></label>
<div class="row">
<input id="f-code" name="${codePath}" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" placeholder="${t.codeHint}">
<button id="send" type="button" class="secondary">${t.getCode}</button>
</div>
<p class="error"></p>
</div>`;
}

/** A page that only says something (an unknown code, the service down). */
export function noticePage(lang: PageLang, title: string, text: string): string {
  return shell(lang, title, `<main><section class="card done"><h1>${title}</h1><p class="muted">${text}</p></section></main>`);
}

export interface PageView {
  lang: PageLang;
  code: string;
  channelName: string;
  storeName: string;
  privacyNotice: string;
  consentText: string;
  scriptUrl: string;
}

export function registrationPage(view: PageView): string {
  const t = T[view.lang];
  const e = escapeHtml;
  const switchHref = `?lang=${t.otherLang}`;
  const body = `<main id="app" data-code="${e(view.code)}" data-lang="${view.lang}">
<header>
<a class="lang" href="${switchHref}">${t.other}</a>
<p class="store">${e(view.storeName)} · ${t.member}</p>
<h1>${e(view.channelName)}</h1>
</header>
<noscript><p class="alert">${t.noScript}</p></noscript>
<form id="form" class="card" novalidate hidden>
${phoneCodeFields(t, 'code')}
<div id="fields"></div>
<details>
<summary>${t.notice}</summary>
<div class="notice">${e(view.privacyNotice)}</div>
</details>
<div data-path="privacyAccepted">
<label class="check"><input id="f-privacy" type="checkbox"><span>${t.accept}</span></label>
<p class="error"></p>
</div>
<label class="check"><input id="f-marketing" type="checkbox"><span>${e(view.consentText)}</span></label>
<p id="alert" class="alert" role="alert"></p>
<button id="submit" type="submit" class="primary">${t.submit}</button>
</form>
<section id="done" class="card done" hidden></section>
</main>`;
  return shell(view.lang, `${view.channelName} · ${view.storeName}`, body, view.scriptUrl);
}

export function messagePage(lang: PageLang, kind: 'notFound' | 'unavailable'): string {
  const t = T[lang];
  const title = kind === 'notFound' ? t.notFoundTitle : t.unavailableTitle;
  return noticePage(lang, title, t[kind]);
}
