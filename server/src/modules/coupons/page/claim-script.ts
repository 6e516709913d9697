import crypto from 'node:crypto';

/**
 * The claim page's script, served as /c/assets/claim.js (the app's CSP runs same-origin
 * scripts only). Plain ES2017, no build step, every server text set with textContent;
 * like the registration page's script it is a String.raw, so it must never contain a
 * backtick or a dollar sign followed by a brace.
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

  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }
  function request(method, url, body) {
    var headers = { 'Accept': 'application/json', 'Accept-Language': en ? 'en' : 'zh-CN', 'Content-Type': 'application/json' };
    return fetch(url, { method: method, headers: headers, body: JSON.stringify(body), credentials: 'omit' }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) { return { status: res.status, data: data }; });
    });
  }
  function holder(path) { return form.querySelector('[data-path="' + path + '"]'); }
  function setError(path, message) {
    var h = holder(path);
    if (!h) return false;
    h.querySelector('.error').textContent = message;
    h.classList.add('invalid');
    return true;
  }
  function clearErrors() {
    [].forEach.call(form.querySelectorAll('.error'), function (p) { p.textContent = ''; });
    [].forEach.call(form.querySelectorAll('.invalid'), function (h) { h.classList.remove('invalid'); });
    alertBox.textContent = '';
  }
  function showServerError(data) {
    var e = data && data.error;
    if (!e) { alertBox.textContent = T.network; return; }
    var shown = false;
    if (e.details && e.details.fields && e.details.fields.length) e.details.fields.forEach(function (f) { if (setError(f.path, f.message)) shown = true; });
    else if (e.details && e.details.field) shown = setError(e.details.field === 'code' ? 'smsCode' : e.details.field, e.message);
    if (!shown) alertBox.textContent = e.message;
  }
  function phoneValue() { return document.getElementById('f-phone').value.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, ''); }

  var timer = null;
  function countdown(seconds) {
    var left = seconds;
    clearInterval(timer);
    sendBtn.disabled = true;
    sendBtn.textContent = left + T.resendIn;
    timer = setInterval(function () {
      left -= 1;
      if (left > 0) { sendBtn.textContent = left + T.resendIn; return; }
      clearInterval(timer);
      sendBtn.disabled = false;
      sendBtn.textContent = T.resend;
    }, 1000);
  }

  sendBtn.addEventListener('click', function () {
    clearErrors();
    var phone = phoneValue();
    if (!/^1[3-9]\d{9}$/.test(phone)) { setError('phone', T.badPhone); return; }
    sendBtn.disabled = true;
    request('POST', api + '/sms-code', { phone: phone }).then(function (r) {
      if (r.status === 202) { countdown(r.data.retryAfterSeconds); document.getElementById('f-code').focus(); return; }
      showServerError(r.data);
      var e = r.data && r.data.error;
      if (e && e.details && e.details.retryAfterSeconds) countdown(e.details.retryAfterSeconds);
      else sendBtn.disabled = false;
    }).catch(function () { alertBox.textContent = T.network; sendBtn.disabled = false; });
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearErrors();
    var body = { phone: phoneValue(), smsCode: document.getElementById('f-code').value.trim() };
    var ok = true;
    if (!/^1[3-9]\d{9}$/.test(body.phone)) { setError('phone', T.badPhone); ok = false; }
    if (!/^\d{6}$/.test(body.smsCode)) { setError('smsCode', T.badCode); ok = false; }
    if (!ok) return;
    var label0 = submitBtn.textContent;
    submitBtn.disabled = true;
    submitBtn.textContent = T.submitting;
    request('POST', api + '/claim', body).then(function (r) {
      if (r.status === 201) return done(r.data);
      showServerError(r.data);
      submitBtn.disabled = false;
      submitBtn.textContent = label0;
    }).catch(function () { alertBox.textContent = T.network; submitBtn.disabled = false; submitBtn.textContent = label0; });
  });

  function done(data) {
    var result = document.getElementById('done');
    form.hidden = true;
    result.appendChild(el('div', 'mark', '✓'));
    result.appendChild(el('h2', '', T.success));
    result.appendChild(el('p', 'muted', T.codeLabel));
    result.appendChild(el('div', 'card-no', data.code.replace(/(.{4})(?=.)/g, '$1 ')));
    result.appendChild(el('p', 'muted', T.until + new Date(data.validUntil).toLocaleDateString(en ? 'en-GB' : 'zh-CN')));
    result.appendChild(el('p', 'muted', T.hint));
    result.hidden = false;
    window.scrollTo(0, 0);
  }
})();
`;

/** Changes whenever the script does, so browsers may cache it for good. */
export const CLAIM_JS_VERSION = crypto.createHash('sha256').update(CLAIM_JS).digest('hex').slice(0, 12);
