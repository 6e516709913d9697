import vm from 'node:vm';
import { expect } from 'chai';
import { escapeHtml, messagePage, registrationPage } from '../../server/src/modules/registration/page/html.js';
import { REGISTER_JS, REGISTER_JS_VERSION } from '../../server/src/modules/registration/page/script.js';

describe('registration page: HTML and script', () => {
  const view = {
    lang: 'zh-CN' as const,
    code: 'a"b',
    channelName: '<script>alert(1)</script>',
    storeName: "O'Neil & 徐汇店",
    privacyNotice: '</div><img src=x onerror=alert(1)>\n第二段',
    consentText: '<b>营销</b>',
    scriptUrl: '/r/assets/register.js?v=1',
  };

  it('escapes the five characters HTML gives meaning to', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('puts every admin-written text and the code in as text, never as markup', () => {
    const html = registrationPage(view);
    expect(html).to.include('<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).to.include('O&#39;Neil &amp; 徐汇店');
    expect(html).to.include('&lt;/div&gt;&lt;img src=x onerror=alert(1)&gt;\n第二段');
    expect(html).to.include('&lt;b&gt;营销&lt;/b&gt;');
    expect(html).to.include('data-code="a&quot;b"');
    expect(html).not.to.match(/<img|<b>|<script>alert/);
    // Inline scripts are blocked by the app's CSP: the only script is the external one.
    expect(html.match(/<script/g)).to.have.length(1);
    expect(html).to.include('<script src="/r/assets/register.js?v=1" defer></script>');
  });

  it('speaks the language asked for, and its error pages carry no script', () => {
    expect(registrationPage({ ...view, lang: 'en' })).to.include('<html lang="en">').and.include('Get code');
    const missing = messagePage('zh-CN', 'notFound');
    expect(missing).to.include('该注册页面不存在或已停用').and.not.include('<script');
    expect(messagePage('en', 'unavailable')).to.include('Temporarily unavailable');
  });

  it('ships a script that parses, kept intact by String.raw, versioned by its content', () => {
    expect(() => new vm.Script(REGISTER_JS)).not.to.throw();
    expect(REGISTER_JS).to.include(String.raw`/^1[3-9]\d{9}$/`);
    expect(REGISTER_JS).not.to.match(/innerHTML|eval\(|document\.write/);
    expect(REGISTER_JS_VERSION).to.match(/^[0-9a-f]{12}$/);
  });
});
