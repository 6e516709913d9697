import { expect } from 'chai';
import { ruleText } from '../../../server/src/modules/coupons/rule-text.js';
import { couponRefusal, evaluateCoupons, type CouponInHand } from '../../../server/src/modules/coupons/rules.js';
import type { PricedLine } from '../../../server/src/modules/orders/pricing.js';
import { NOW, context, coupon, line, template } from './fixtures.js';

const DAY = 86_400_000;

function discountsOf(coupons: CouponInHand[], lines: PricedLine[], ctx = context()) {
  const result = evaluateCoupons(coupons, lines, ctx);
  if (!result.ok) throw new Error(`expected discounts, got ${result.error.code}: ${result.error.message}`);
  return result.discounts;
}

function refusalOf(coupons: CouponInHand[], lines: PricedLine[], ctx = context()) {
  const result = evaluateCoupons(coupons, lines, ctx);
  if (result.ok) throw new Error('expected a refusal, got discounts');
  return result.error;
}

describe('coupons: what each kind takes off which line', () => {
  const skincare = line(1, 'SERUM', 1, 15_000, '护肤');
  const food = line(2, 'TEA', 1, 10_000, '食品');

  it('满减 spreads its amount over the lines by what each still costs, and names the coupon in its label', () => {
    const c = coupon(template({ name: '满200减30' }));
    const [d] = discountsOf([c], [skincare, food]);
    expect(d).to.deep.equal({
      step: 'coupon',
      reference: c.code,
      label: `满200减30（券 ${c.code.slice(0, 4)}…）`,
      lines: { 1: 1_800, 2: 1_200 },
      meta: { couponId: c.id, templateId: c.template.id, kind: 'full_reduction', uses: 1, lineNo: null },
    });
  });

  it('满减 below its threshold names the threshold, the eligible amount and what is missing, in yuan', () => {
    const error = refusalOf([coupon(template())], [line(1, 'A', 1, 19_999)]);
    expect(error.code).to.equal('COUPON_THRESHOLD_NOT_MET');
    expect(error.params).to.include({ threshold: '¥200.00', eligible: '¥199.99', missing: '¥0.01' });
    expect(error.messageIn('zh-CN')).to.include('满 ¥200.00').and.include('¥199.99');
  });

  it('counts only eligible lines toward the threshold: categories and SKUs together widen the scope', () => {
    const byCategory = template({ categories: ['护肤'] });
    expect(refusalOf([coupon(byCategory)], [skincare, food]).params).to.include({ eligible: '¥150.00' });
    const widened = template({ categories: ['护肤'], skus: ['TEA'] });
    expect(discountsOf([coupon(widened)], [skincare, food])[0].lines).to.deep.equal({ 1: 1_800, 2: 1_200 });
    const [onlySkincare] = discountsOf([coupon(template({ categories: ['护肤'], threshold: 10_000 }))], [skincare, food]);
    expect(onlySkincare.lines).to.deep.equal({ 1: 3_000 });
  });

  it('refuses a coupon whose scope matches no line with COUPON_NO_ELIGIBLE_ITEMS naming the scope', () => {
    const error = refusalOf([coupon(template({ skus: ['X-9'], categories: ['酒水'] }))], [skincare, food]);
    expect(error.code).to.equal('COUPON_NO_ELIGIBLE_ITEMS');
    expect(error.messageIn('zh-CN')).to.include('分类 酒水').and.include('商品 X-9');
  });

  it('代金券 takes its amount without a threshold, never more than the eligible lines cost', () => {
    const voucher = template({ name: '50元券', kind: 'voucher', amountOff: 5_000, threshold: null });
    expect(discountsOf([coupon(voucher)], [line(1, 'A', 1, 3_000)])[0].lines).to.deep.equal({ 1: 3_000 });
    expect(discountsOf([coupon(voucher)], [line(1, 'A', 2, 3_000)])[0].lines).to.deep.equal({ 1: 5_000 });
  });

  it('折扣 takes the percent, the member paying the rounded amount, within the cap and above the threshold', () => {
    const rate = template({ name: '8.5折', kind: 'discount', amountOff: null, threshold: null, discountRate: 85 });
    // 9,999 × 0.85 = 8,499.15 -> pays 8,499, the coupon takes 1,500.
    expect(discountsOf([coupon(rate)], [line(1, 'A', 1, 9_999)])[0].lines).to.deep.equal({ 1: 1_500 });
    const capped = template({ kind: 'discount', amountOff: null, threshold: null, discountRate: 85, maxOff: 1_000 });
    expect(discountsOf([coupon(capped)], [line(1, 'A', 1, 9_999)])[0].lines).to.deep.equal({ 1: 1_000 });
    const above = template({ kind: 'discount', amountOff: null, threshold: 10_000, discountRate: 85 });
    expect(refusalOf([coupon(above)], [line(1, 'A', 1, 9_999)]).code).to.equal('COUPON_THRESHOLD_NOT_MET');
  });

  it('兑换 takes one unit of its item at the price the line has now', () => {
    const latte = template({ name: '拿铁兑换券', kind: 'exchange', amountOff: null, threshold: null, itemSku: 'LATTE', itemName: '拿铁' });
    const c = coupon(latte);
    const [d] = discountsOf([c], [line(1, 'CAKE', 1, 3_500), line(2, 'LATTE', 3, 2_800)]);
    expect(d.lines).to.deep.equal({ 2: 2_800 });
    expect(d.meta).to.deep.equal({ couponId: c.id, templateId: latte.id, kind: 'exchange', uses: 1, lineNo: 2 });
    expect(d.label).to.equal(`${ruleText(latte).zh}（券 ${c.code.slice(0, 4)}…）`);
    // After a tier price of 7,980 for the three: one unit is worth floor(7,980 / 3).
    expect(discountsOf([coupon(latte)], [line(1, 'LATTE', 3, 2_800, null, 420)])[0].lines).to.deep.equal({ 1: 2_660 });
    const missing = refusalOf([coupon(latte)], [line(1, 'CAKE', 1, 3_500)]);
    expect(missing.code).to.equal('COUPON_ITEM_NOT_IN_ORDER');
    expect(missing.messageIn('zh-CN')).to.include('「拿铁」');
  });

  it('次卡 takes as many units of its service as the line has and the card has uses left', () => {
    const cut = template({ name: '洗剪吹10次卡', kind: 'punch', amountOff: null, threshold: null, itemSku: 'CUT', itemName: '洗剪吹', punchUses: 10 });
    const full = coupon(cut);
    const [d] = discountsOf([full], [line(1, 'CUT', 2, 8_000)]);
    expect(d.lines).to.deep.equal({ 1: 16_000 });
    expect(d.meta).to.include({ uses: 2, lineNo: 1, kind: 'punch' });
    expect(d.label).to.equal(`${ruleText(cut).zh} ×2（券 ${full.code.slice(0, 4)}…）`);
    const lastUse = discountsOf([coupon(cut, { usesLeft: 1 })], [line(1, 'CUT', 2, 8_000)])[0];
    expect(lastUse.lines).to.deep.equal({ 1: 8_000 });
    expect(lastUse.meta).to.include({ uses: 1 });
  });

  it('applies item coupons first, then amounts, then percents, each on what the previous left, whatever order they came in', () => {
    const group = { stackGroup: 'weekend', maxPerOrder: 1 };
    const latte = coupon(template({ ...group, kind: 'exchange', amountOff: null, threshold: null, itemSku: 'LATTE', itemName: '拿铁' }));
    const amount = coupon(template({ ...group }));
    const percent = coupon(template({ ...group, kind: 'discount', amountOff: null, threshold: null, discountRate: 90 }));
    const lines = [line(1, 'LATTE', 3, 2_800), line(2, 'CAKE', 5, 3_500)];
    const forward = discountsOf([percent, amount, latte], lines);
    const backward = discountsOf([latte, amount, percent], lines);
    expect(forward).to.deep.equal(backward);
    expect(forward.map((d) => d.reference)).to.deep.equal([latte.code, amount.code, percent.code]);
    // 25,900 - 2,800 (one latte) = 23,100 >= 200 yuan; 3,000 over 5,600 : 17,500; 10% of the 20,100 left.
    expect(forward.map((d) => d.lines)).to.deep.equal([{ 1: 2_800 }, { 1: 727, 2: 2_273 }, { 1: 487, 2: 1_523 }]);
  });

  it('tries the higher threshold first so two amount coupons fit where they can', () => {
    const group = { stackGroup: 'g', maxPerOrder: 1 };
    const big = coupon(template({ ...group, threshold: 20_000, amountOff: 3_000 }));
    const small = coupon(template({ ...group, threshold: 10_000, amountOff: 1_000 }));
    const discounts = discountsOf([small, big], [line(1, 'A', 1, 21_000)]);
    expect(discounts.map((d) => [d.reference, d.lines[1]])).to.deep.equal([[big.code, 3_000], [small.code, 1_000]]);
  });

  it('marks a coupon that does not combine with the tier price with excludes: tier', () => {
    const [with_] = discountsOf([coupon(template())], [line(1, 'A', 1, 30_000)]);
    expect(with_).to.not.have.property('excludes');
    const [without] = discountsOf([coupon(template({ withTierDiscount: false }))], [line(1, 'A', 1, 30_000)]);
    expect(without.excludes).to.deep.equal(['tier']);
  });

  it('judges a coupon that does not combine with the tier price on the full price, so the lower price cannot refuse it first', () => {
    // 21,000 after a 2,100 tier discount is 18,900: below 200 yuan only at the tier price.
    const tierPriced = [line(1, 'A', 1, 21_000, null, 2_100)];
    expect(refusalOf([coupon(template())], tierPriced).code).to.equal('COUPON_THRESHOLD_NOT_MET');
    const [full] = discountsOf([coupon(template({ withTierDiscount: false }))], tierPriced);
    expect([full.lines, full.excludes]).to.deep.equal([{ 1: 3_000 }, ['tier']]);
  });
});

describe('coupons: why a coupon cannot be used', () => {
  const lines = [line(1, 'A', 1, 30_000)];
  const codeOf = (c: CouponInHand, ctx = context()) => couponRefusal(c, ctx)?.code ?? null;

  it('belongs to its member only; a walk-in holds none', () => {
    expect(codeOf(coupon(template(), { memberId: 8 }))).to.equal('COUPON_NOT_OWNED');
    expect(codeOf(coupon(template()), context({ memberId: null }))).to.equal('COUPON_NOT_OWNED');
    expect(codeOf(coupon(template()))).to.equal(null);
  });

  it('names a voided, a used and a used-up coupon', () => {
    expect(codeOf(coupon(template(), { status: 'voided' }))).to.equal('COUPON_VOIDED');
    expect(codeOf(coupon(template(), { status: 'used', usesLeft: 0 }))).to.equal('COUPON_USED');
    expect(codeOf(coupon(template(), { usesLeft: 0 }))).to.equal('COUPON_USED');
  });

  it('gives the end of validity or its start in business time', () => {
    const expired = couponRefusal(coupon(template(), { validUntil: new Date(NOW.getTime() - DAY) }), context());
    expect(expired?.code).to.equal('COUPON_EXPIRED');
    expect(expired?.params).to.include({ until: '2027-03-09 12:00' });
    expect(codeOf(coupon(template(), { status: 'expired' }))).to.equal('COUPON_EXPIRED');
    const early = couponRefusal(coupon(template(), { validFrom: new Date(NOW.getTime() + DAY) }), context());
    expect(early?.code).to.equal('COUPON_NOT_STARTED');
    expect(early?.messageIn('en')).to.equal(`Coupon ${early?.params.code} cannot be used before 2027-03-11 12:00`);
  });

  it('refuses coupons of a paused or ended template', () => {
    expect(codeOf(coupon(template({ status: 'paused' })))).to.equal('COUPON_PAUSED');
    expect(codeOf(coupon(template({ status: 'ended' })))).to.equal('COUPON_PAUSED');
  });

  it('keeps to its stores and channels; an order without a channel is the store counter', () => {
    expect(codeOf(coupon(template({ storeIds: [2, 3] })))).to.equal('COUPON_WRONG_STORE');
    expect(codeOf(coupon(template({ storeIds: [1] })))).to.equal(null);
    const miniProgram = coupon(template({ channels: ['mini_program'] }));
    const wrong = couponRefusal(miniProgram, context());
    expect(wrong?.code).to.equal('COUPON_WRONG_CHANNEL');
    expect(wrong?.params).to.include({ channel: 'store', channels: 'mini_program' });
    expect(codeOf(miniProgram, context({ channel: 'mini_program' }))).to.equal(null);
    expect(codeOf(coupon(template({ channels: ['store'] })))).to.equal(null);
  });

  it('refuses a coupon not combined with points when points pay part of the order', () => {
    const noPoints = coupon(template({ withPoints: false }));
    expect(codeOf(noPoints, context({ paymentMethods: ['points', 'cash'] }))).to.equal('COUPON_NOT_WITH_POINTS');
    expect(codeOf(noPoints, context({ paymentMethods: ['wallet', 'cash'] }))).to.equal(null);
    expect(codeOf(coupon(template()), context({ paymentMethods: ['points'] }))).to.equal(null);
  });

  it('checks each coupon before the set, and the set before the lines', () => {
    const exclusive = coupon(template());
    const other = coupon(template(), { status: 'voided' });
    expect(refusalOf([exclusive, other], lines).code).to.equal('COUPON_VOIDED');
    expect(refusalOf([exclusive, coupon(template())], [line(1, 'A', 1, 100)]).code).to.equal('COUPON_NOT_STACKABLE');
  });
});
