import crypto from 'node:crypto';
import { SMS_FORM_JS } from './sms-form-script.js';

/**
 * The registration page's script, served as /r/assets/register.js (the app's CSP runs
 * same-origin scripts only, never inline ones). Plain ES2017 for the phone browsers and
 * in-app web views customers scan with; no framework, no build step. It renders the form
 * from the public form API, and puts every server-provided text in with textContent,
 * never as HTML. Kept as a string (String.raw, so regex backslashes survive) so that the
 * server build needs no copy step; it must therefore never contain a backtick or a dollar
 * sign followed by a brace. The phone, the SMS code and the submit button work as on the
 * coupon claim page: that code (sms-form-script.ts) is spliced in after the variables it reads.
 */
export const REGISTER_JS = String.raw`(function () {
  'use strict';
  var app = document.getElementById('app');
  if (!app) return;
  var en = app.getAttribute('data-lang') === 'en';
  var T = en ? {
    required: 'Required', badPhone: 'Enter an 11-digit mainland mobile number', badCode: 'Enter the 6-digit code',
    privacy: 'Please read and accept the privacy notice', resendIn: ' s', resend: 'Send again', sent: 'Code sent to ',
    network: 'Network error; check the connection and try again', choose: 'Choose', province: 'Province', city: 'City',
    yes: 'Yes', success: 'Welcome aboard!', cardNo: 'Your card number', hint: 'Give your mobile number or card number at the counter to use your membership.',
    submitting: 'Registering…', gone: 'This registration page does not exist or is paused; please ask the store staff.'
  } : {
    required: '此项必填', badPhone: '请输入 11 位手机号', badCode: '请输入 6 位数字验证码',
    privacy: '请阅读并同意隐私政策', resendIn: ' 秒后重发', resend: '重新获取', sent: '验证码已发送至 ',
    network: '网络异常，请检查网络后重试', choose: '请选择', province: '省份', city: '城市',
    yes: '是', success: '注册成功', cardNo: '您的会员卡号', hint: '到店消费时报手机号或会员卡号即可享受会员权益。',
    submitting: '正在提交…', gone: '该注册页面不存在或已停用，请向门店工作人员咨询。'
  };
  var api = '/api/v1/public/registration/' + encodeURIComponent(app.getAttribute('data-code'));
  var form = document.getElementById('form');
  var box = document.getElementById('fields');
  var sendBtn = document.getElementById('send');
  var submitBtn = document.getElementById('submit');
  var alertBox = document.getElementById('alert');
  var fields = [];
  var regions = [];
  var renamed = {};
` + SMS_FORM_JS + String.raw`
  function label(l) { return l ? (en ? (l.en || l.zh) : l.zh) : ''; }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function today() { var d = new Date(); return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()); }

  function choiceList(f, multiple) {
    var name = 'c-' + f.key;
    return el('div', { 'class': 'choices' }, f.options.map(function (o) {
      var checked = multiple ? (f.defaultValue || []).indexOf(o.value) >= 0 : f.defaultValue === o.value;
      return el('label', {}, [el('input', { type: multiple ? 'checkbox' : 'radio', name: name, value: o.value, checked: checked }), el('span', { text: label(o.label) })]);
    }));
  }
  function selectOf(options, placeholder, value) {
    var s = el('select', {}, [el('option', { value: '', text: placeholder })]);
    options.forEach(function (o) { s.appendChild(el('option', { value: o.value, text: o.label, selected: o.value === value })); });
    return s;
  }
  function regionControl(f) {
    var province = selectOf(regions.map(function (p) { return { value: p.value, label: p.label }; }), T.province);
    var city = selectOf([], T.city);
    city.hidden = true;
    province.addEventListener('change', function () {
      var p = regions.filter(function (r) { return r.value === province.value; })[0];
      city.length = 1;
      (p ? p.children : []).forEach(function (c) { city.appendChild(el('option', { value: c.value, text: c.label })); });
      city.hidden = city.length <= 1;
    });
    return el('div', { 'class': 'row' }, [province, city]);
  }
  function control(f, id) {
    var r = f.rules || {};
    var d = f.defaultValue;
    switch (f.type) {
      case 'textarea': var t = el('textarea', { id: id, maxlength: r.maxLength }); t.value = d || ''; return t;
      case 'select': var sel = selectOf(f.options.map(function (o) { return { value: o.value, label: label(o.label) }; }), T.choose, d); sel.id = id; return sel;
      case 'radio': case 'gender': return choiceList(f, false);
      case 'multiselect': case 'checkbox': return choiceList(f, true);
      case 'switch': return el('label', { 'class': 'check' }, [el('input', { id: id, type: 'checkbox', checked: d === true }), el('span', { text: T.yes })]);
      case 'region': return regionControl(f);
      case 'rating':
        var stars = [];
        for (var i = 1; i <= (r.maxRating || 5); i++) stars.push({ value: String(i), label: new Array(i + 1).join('★') });
        var rated = selectOf(stars, T.choose, d === null || d === undefined ? '' : String(d)); rated.id = id; return rated;
      case 'date': return el('input', { id: id, type: 'date', min: r.min, max: f.key === 'birthday' ? today() : r.max, value: d });
      case 'datetime': return el('input', { id: id, type: 'datetime-local' });
      case 'integer': return el('input', { id: id, type: 'number', inputmode: 'numeric', step: 1, min: r.min, max: r.max, value: d });
      case 'decimal': return el('input', { id: id, type: 'number', inputmode: 'decimal', step: r.scale ? Math.pow(10, -r.scale) : 'any', min: r.min, max: r.max, value: d });
      case 'money': return el('input', { id: id, type: 'number', inputmode: 'decimal', step: '0.01', min: typeof r.min === 'number' ? r.min / 100 : undefined, value: typeof d === 'number' ? d / 100 : undefined });
      case 'phone': return el('input', { id: id, type: 'tel', inputmode: 'numeric', maxlength: 11, value: d });
      case 'email': return el('input', { id: id, type: 'email', autocomplete: f.key === 'email' ? 'email' : undefined, value: d });
      case 'url': return el('input', { id: id, type: 'url', value: d });
      default: return el('input', { id: id, type: 'text', maxlength: r.maxLength, autocomplete: f.key === 'name' ? 'name' : f.key === 'nickname' ? 'nickname' : undefined, value: d });
    }
  }
  function render(f) {
    var id = 'f-' + f.key.replace(/\W/g, '_');
    var head = el(f.type === 'radio' || f.type === 'gender' || f.type === 'multiselect' || f.type === 'checkbox' || f.type === 'region' ? 'div' : 'label',
      { 'class': 'label', 'for': id, text: label(f.label) });
    if (head.tagName === 'DIV') head.removeAttribute('for');
    if (f.required) head.appendChild(el('span', { 'class': 'req', text: '*' }));
    var wrap = el('div', { 'class': 'field', 'data-path': f.key }, [head, control(f, id)]);
    if (f.helpText) wrap.appendChild(el('p', { 'class': 'help', text: label(f.helpText) }));
    wrap.appendChild(el('p', { 'class': 'error' }));
    f.node = wrap;
    box.appendChild(wrap);
  }
  function read(f) {
    var w = f.node;
    switch (f.type) {
      case 'radio': case 'gender': var c = w.querySelector('input:checked'); return c ? c.value : undefined;
      case 'multiselect': case 'checkbox':
        var list = [].map.call(w.querySelectorAll('input:checked'), function (i) { return i.value; });
        return list.length ? list : undefined;
      case 'switch': return w.querySelector('input').checked;
      case 'region': var s = w.querySelectorAll('select'); return s[1].value || s[0].value || undefined;
    }
    var v = w.querySelector('input,select,textarea').value.trim();
    if (!v) return undefined;
    if (f.type === 'money') { var yuan = Number(v); return isFinite(yuan) ? Math.round(yuan * 100) : v; }
    if (f.type === 'datetime') { var at = new Date(v); return isNaN(at.getTime()) ? v : at.toISOString(); }
    return v;
  }

  sendCodeOnClick(api + '/sms-code', function (data) {
    var code = holder('code');
    var hint = code.querySelector('.help') || code.insertBefore(el('p', { 'class': 'help' }), code.querySelector('.error'));
    hint.textContent = T.sent + data.sentTo;
    return data.resendInSeconds;
  }, function (e) {
    return e && e.code === 'REGISTRATION_SMS_TOO_SOON' && e.details ? e.details.retryAfterSeconds : 0;
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearErrors();
    var body = { phone: phoneValue(), code: document.getElementById('f-code').value.trim(), privacyAccepted: true,
      consent: { marketing: document.getElementById('f-marketing').checked } };
    var ok = phoneAndCodeOk(body.phone, body.code, 'code');
    function refuse(path, message) { setError(path, message); ok = false; }
    fields.forEach(function (f) {
      var v = read(f);
      if (v === undefined) { if (f.required) refuse(f.key, T.required); return; }
      if (f.key.indexOf('custom.') === 0) { body.custom = body.custom || {}; body.custom[f.key.slice(7)] = v; } else body[f.key] = v;
    });
    if (!document.getElementById('f-privacy').checked) refuse('privacyAccepted', T.privacy);
    if (!ok) { var first = form.querySelector('.invalid'); if (first) first.scrollIntoView({ block: 'center' }); return; }
    submitTo(api + '/submit', body, function (data) {
      finish([
        el('h2', { text: T.success }),
        el('p', { 'class': 'muted', text: T.cardNo + (data.storeName ? ' · ' + data.storeName : '') }),
        el('div', { 'class': 'card-no', text: data.cardNo }),
        el('p', { 'class': 'muted', text: T.hint })
      ]);
    });
  });

  function unavailable(message) {
    var gone = document.getElementById('done');
    gone.appendChild(el('p', { 'class': 'muted', text: message }));
    gone.hidden = false;
  }
  request('GET', api).then(function (r) {
    if (r.status !== 200) return unavailable(r.status === 404 ? T.gone : ((r.data && r.data.error && r.data.error.message) || T.network));
    regions = r.data.regions || [];
    fields = r.data.fields;
    fields.forEach(render);
    form.hidden = false;
  }).catch(function () { unavailable(T.network); });
})();
`;

/** Changes whenever the script does, so browsers may cache it for good. */
export const REGISTER_JS_VERSION = crypto.createHash('sha256').update(REGISTER_JS).digest('hex').slice(0, 12);
