import crypto from 'node:crypto';
import { SMS_FORM_JS } from '../../registration/page/sms-form-script.js';

/**
 * The claim page's script, served as /c/assets/claim.js (the app's CSP runs same-origin
 * scripts only). Plain ES2017, no build step, every server text set with textContent;
 * like the registration page's script it is a String.raw, so it must never contain a
 * backtick or a dollar sign followed by a brace, and it splices in the same phone, SMS
 * code and submit code (registration/page/sms-form-script.ts).
 */
export const CLAIM_JS = String.raw`(function () {
  'use strict';
  var app = document.getElementById('app');
  var form = document.getElementById('form');
  if (!app || !form) return;
  var en = app.getAttribute('data-lang') === 'en';
  var T = en ? {
    badPhone: 'Enter an 11-digit mainland mobile number', badCode: 'Enter the 6-digit code', resendIn: ' s', resend: 'Send again',
    sent: 'Code sent', network: 'Network error; check the connection and try again', submitting: 'Claiming…',
    success: 'Coupon claimed', codeLabel: 'Coupon code', until: 'Valid until ', hint: 'Show this code or give your mobile number at the counter.'
  } : {
    badPhone: '请输入 11 位手机号', badCode: '请输入 6 位数字验证码', resendIn: ' 秒后重发', resend: '重新获取',
    sent: '验证码已发送', network: '网络异常，请检查网络后重试', submitting: '正在领取…',
    success: '领取成功', codeLabel: '券码', until: '有效期至 ', hint: '到店消费时出示券码或报手机号即可使用。'
  };
  var api = '/api/v1/public/coupons/' + encodeURIComponent(app.getAttribute('data-code'));
  var sendBtn = document.getElementById('send');
  var submitBtn = document.getElementById('submit');
  var alertBox = document.getElementById('alert');

  // The API takes the code as smsCode; its verification errors name it code.
  var renamed = { code: 'smsCode' };
` + SMS_FORM_JS + String.raw`
  sendCodeOnClick(api + '/sms-code', function (data) { return data.retryAfterSeconds; }, function (e) { return e && e.details && e.details.retryAfterSeconds; });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearErrors();
    var body = { phone: phoneValue(), smsCode: document.getElementById('f-code').value.trim() };
    if (!phoneAndCodeOk(body.phone, body.smsCode, 'smsCode')) return;
    submitTo(api + '/claim', body, function (data) {
      finish([
        el('h2', { text: T.success }),
        el('p', { 'class': 'muted', text: T.codeLabel }),
        el('div', { 'class': 'card-no', text: data.code.replace(/(.{4})(?=.)/g, '$1 ') }),
        el('p', { 'class': 'muted', text: T.until + new Date(data.validUntil).toLocaleDateString(en ? 'en-GB' : 'zh-CN') }),
        el('p', { 'class': 'muted', text: T.hint })
      ]);
    });
  });
})();
`;

/** Changes whenever the script does, so browsers may cache it for good. */
export const CLAIM_JS_VERSION = crypto.createHash('sha256').update(CLAIM_JS).digest('hex').slice(0, 12);
