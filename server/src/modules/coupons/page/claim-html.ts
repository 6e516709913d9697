import { escapeHtml, noticePage, phoneCodeFields, shell, type PageLang } from '../../registration/page/html.js';
import type { RuleText } from '../rule-text.js';

const T = {
  'zh-CN': {
    other: 'English',
    otherLang: 'en',
    title: '领取优惠券',
    phone: '会员手机号',
    phoneHint: '请输入 11 位手机号',
    code: '验证码',
    codeHint: '6 位数字',
    getCode: '获取验证码',
    submit: '立即领取',
    left: '剩余',
    soldOut: '已领完',
    noScript: '请开启浏览器的 JavaScript 后再领取。',
  },
  en: {
    other: '中文',
    otherLang: 'zh',
    title: 'Claim a coupon',
    phone: "Member's mobile number",
    phoneHint: '11-digit mainland mobile number',
    code: 'Code',
    codeHint: '6 digits',
    getCode: 'Get code',
    submit: 'Claim now',
    left: 'Left: ',
    soldOut: 'All claimed',
    noScript: 'Please turn on JavaScript to claim.',
  },
} as const;

export interface ClaimPageView {
  lang: PageLang;
  claimCode: string;
  name: string;
  rule: RuleText;
  validity: RuleText;
  description: string | null;
  remaining: number | null;
  available: boolean;
  scriptUrl: string;
}

/**
 * The public claim page `/c/<claimCode>`: the coupon as the member will hold it, and the
 * phone + SMS code form. Every admin-written text goes through escapeHtml.
 */
export function claimPage(view: ClaimPageView): string {
  const t = T[view.lang];
  const e = escapeHtml;
  const pick = (text: RuleText) => (view.lang === 'en' ? text.en : text.zh);
  const stock = view.remaining === null ? '' : `<p class="muted">${view.available ? `${t.left}${view.remaining}` : t.soldOut}</p>`;
  const body = `<main id="app" data-code="${e(view.claimCode)}" data-lang="${view.lang}">
<header>
<a class="lang" href="?lang=${t.otherLang}">${t.other}</a>
<p class="store">${t.title}</p>
<h1>${e(view.name)}</h1>
</header>
<section class="card done">
<div class="card-no">${e(pick(view.rule))}</div>
<p class="muted">${e(pick(view.validity))}</p>
${view.description ? `<p class="muted">${e(view.description)}</p>` : ''}
${stock}
</section>
<noscript><p class="alert">${t.noScript}</p></noscript>
<form id="form" class="card" novalidate${view.available ? '' : ' hidden'}>
${phoneCodeFields(t, 'smsCode')}
<p id="alert" class="alert" role="alert"></p>
<button id="submit" type="submit" class="primary">${t.submit}</button>
</form>
<section id="done" class="card done" hidden></section>
</main>`;
  return shell(view.lang, view.name, body, view.scriptUrl);
}

const MESSAGES = {
  'zh-CN': { notFound: ['页面不存在', '该领券页面不存在或活动已结束，请向门店工作人员咨询。'], unavailable: ['暂时无法访问', '服务暂时不可用，请稍后刷新重试。'] },
  en: {
    notFound: ['Page not found', 'This coupon page does not exist or the campaign is over; please ask the store staff.'],
    unavailable: ['Temporarily unavailable', 'The service is unavailable right now; please reload in a moment.'],
  },
} as const;

export function claimMessagePage(lang: PageLang, kind: 'notFound' | 'unavailable'): string {
  const [title, text] = MESSAGES[lang][kind];
  return noticePage(lang, title, text);
}
