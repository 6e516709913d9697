/**
 * What the public pages' scripts share (the registration page's and the coupon claim
 * page's): the element builder, requests to the API, field errors under their fields, the
 * phone proved with an SMS code and its resend countdown, the submit button, and the form
 * giving way to the result. Each page splices it into its own function, after declaring
 * what it reads: `en`, `T` (badPhone, badCode, network, resendIn, resend, submitting),
 * `form`, `sendBtn`, `submitBtn`, `alertBox`, and `renamed` (a field as the server names
 * it -> its data-path on this page, when they differ). A String.raw like the scripts, under
 * their rule: no backtick, no dollar sign followed by a brace.
 */
export const SMS_FORM_JS = String.raw`
  function el(tag, attrs, kids) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === undefined || attrs[k] === null || attrs[k] === false) return;
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k] === true ? '' : String(attrs[k]));
    });
    (kids || []).forEach(function (kid) { if (kid) node.appendChild(kid); });
    return node;
  }

  function request(method, url, body) {
    var headers = { 'Accept': 'application/json', 'Accept-Language': en ? 'en' : 'zh-CN' };
    if (body) headers['Content-Type'] = 'application/json';
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'omit' })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) { return { status: res.status, data: data }; });
      });
  }

  function holder(path) {
    var all = form.querySelectorAll('[data-path]');
    for (var i = 0; i < all.length; i++) if (all[i].getAttribute('data-path') === path) return all[i];
    return null;
  }
  function setError(path, message) {
    var h = holder(path);
    var p = h && h.querySelector('.error');
    if (!p) return false;
    p.textContent = message;
    h.classList.add('invalid');
    return true;
  }
  function clearErrors() {
    [].forEach.call(form.querySelectorAll('.error'), function (p) { p.textContent = ''; });
    [].forEach.call(form.querySelectorAll('.invalid'), function (h) { h.classList.remove('invalid'); });
    alertBox.textContent = '';
  }
  function pathOnPage(path) { return Object.prototype.hasOwnProperty.call(renamed, path) ? renamed[path] : path; }
  function showServerError(data) {
    var e = data && data.error;
    if (!e) { alertBox.textContent = T.network; return; }
    var shown = false;
    if (e.details && e.details.fields && e.details.fields.length) {
      e.details.fields.forEach(function (f) { if (setError(pathOnPage(f.path), f.message)) shown = true; });
    } else if (e.details && e.details.field) {
      shown = setError(pathOnPage(e.details.field), e.message);
    }
    if (!shown) alertBox.textContent = e.message;
  }

  function phoneValue() { return document.getElementById('f-phone').value.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, ''); }
  /** Marks a malformed phone or code under its field; answers whether both are well formed. */
  function phoneAndCodeOk(phone, code, codePath) {
    var ok = true;
    if (!/^1[3-9]\d{9}$/.test(phone)) { setError('phone', T.badPhone); ok = false; }
    if (!/^\d{6}$/.test(code)) { setError(codePath, T.badCode); ok = false; }
    return ok;
  }

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

  /**
   * The send button posts the phone to url. On a 202, sent(data) answers the seconds until
   * a resend; on a refusal, waitOf(error) answers how long to wait, or nothing to allow
   * another try at once.
   */
  function sendCodeOnClick(url, sent, waitOf) {
    sendBtn.addEventListener('click', function () {
      clearErrors();
      var phone = phoneValue();
      if (!/^1[3-9]\d{9}$/.test(phone)) { setError('phone', T.badPhone); return; }
      sendBtn.disabled = true;
      request('POST', url, { phone: phone }).then(function (r) {
        if (r.status === 202) {
          countdown(sent(r.data));
          document.getElementById('f-code').focus();
          return;
        }
        showServerError(r.data);
        var wait = waitOf(r.data && r.data.error);
        if (wait) countdown(wait);
        else sendBtn.disabled = false;
      }).catch(function () { alertBox.textContent = T.network; sendBtn.disabled = false; });
    });
  }

  /** Posts the form's body to url; done(data) on a 201, else the errors and the button back. */
  function submitTo(url, body, done) {
    var label0 = submitBtn.textContent;
    submitBtn.disabled = true;
    submitBtn.textContent = T.submitting;
    request('POST', url, body).then(function (r) {
      if (r.status === 201) return done(r.data);
      showServerError(r.data);
      submitBtn.disabled = false;
      submitBtn.textContent = label0;
    }).catch(function () { alertBox.textContent = T.network; submitBtn.disabled = false; submitBtn.textContent = label0; });
  }

  /** The form gives way to the result: a check mark, then the page's nodes. */
  function finish(nodes) {
    var result = document.getElementById('done');
    form.hidden = true;
    result.appendChild(el('div', { 'class': 'mark', text: '✓' }));
    nodes.forEach(function (node) { result.appendChild(node); });
    result.hidden = false;
    window.scrollTo(0, 0);
  }
`;
