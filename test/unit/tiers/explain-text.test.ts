import { expect } from 'chai';
import { explainTexts, joinTexts, type ExplainFacts } from '../../../server/src/modules/tiers/explain-text.js';

const facts = (patch: Partial<ExplainFacts>): ExplainFacts => ({
  tier: '银卡',
  basis: 'spend',
  window: { type: 'rolling', months: 12 },
  metric: 376_000,
  manual: null,
  next: { name: '金卡', missing: 124_000 },
  keep: null,
  ...patch,
});

describe('tiers: the explanation in words', () => {
  it('says where the member stands, what the next level takes and what keeping this one takes', () => {
    const texts = explainTexts(facts({ tier: '金卡', next: { name: '钻石', missing: 1_500_000 }, keep: { forLife: false, missing: 124_000, by: '2027-03-31', reviewDate: '2027-03-31', inGrace: false, downTo: '银卡' } }));
    expect(texts.status).to.deep.equal({ zh: '当前等级：金卡；近 12 个月消费 ¥3,760.00', en: "Current tier: 金卡; last 12 months' spend ¥3,760.00" });
    expect(texts.next).to.deep.equal({ zh: '再消费 ¥15,000.00 升级为钻石', en: 'Spend ¥15,000.00 more to reach 钻石' });
    expect(texts.keep).to.deep.equal({ zh: '2027-03-31 前再消费 ¥1,240.00 可保留金卡，否则将降为银卡', en: 'Spend ¥1,240.00 more by 2027-03-31 to keep 金卡, or move down to 银卡' });
    expect(joinTexts(texts, 'zh-CN')).to.equal('当前等级：金卡；近 12 个月消费 ¥3,760.00；再消费 ¥15,000.00 升级为钻石；2027-03-31 前再消费 ¥1,240.00 可保留金卡，否则将降为银卡。');
  });

  it('speaks of points and growth in their own words', () => {
    expect(explainTexts(facts({ basis: 'points', metric: 3_760, next: { name: '金卡', missing: 1_240 } })).next).to.deep.equal({ zh: '再获得 1,240 积分升级为金卡', en: 'Earn 1,240 more points to reach 金卡' });
    expect(explainTexts(facts({ basis: 'growth', window: { type: 'lifetime' }, metric: 3_760 })).status).to.deep.equal({ zh: '当前等级：银卡；累计获得 3,760 成长值', en: 'Current tier: 银卡; all-time growth 3,760' });
  });

  it('says a manual tier is manual and until when, never as if it were earned', () => {
    const until = explainTexts(facts({ manual: { until: '2027-06-30', reason: '合作伙伴' } }));
    expect(until.status.zh).to.equal('当前等级：银卡（手动设置，原因：合作伙伴，有效期至 2027-06-30，到期后按规则重新评定）；近 12 个月消费 ¥3,760.00');
    expect(until.status.en).to.include('set by hand, reason: 合作伙伴, until 2027-06-30');
    expect(explainTexts(facts({ manual: { until: null, reason: null } })).status.zh).to.include('长期有效，直到再次调整');
  });

  it('covers the top level, a level kept for life, a met threshold and the grace days', () => {
    expect(explainTexts(facts({ next: null })).next).to.deep.equal({ zh: '已是最高等级', en: 'Already at the highest tier' });
    expect(explainTexts(facts({ keep: { forLife: true } })).keep).to.deep.equal({ zh: '银卡长期有效', en: '银卡 is kept for life' });
    expect(explainTexts(facts({ keep: { forLife: false, missing: 0, by: '2027-03-31', reviewDate: '2027-03-31', inGrace: false, downTo: '普通会员' } })).keep!.zh).to.equal('已满足保级条件，银卡将于 2027-03-31 后自动续期');
    const grace = explainTexts(facts({ keep: { forLife: false, missing: 10_000, by: '2027-04-07', reviewDate: '2027-03-31', inGrace: true, downTo: '普通会员' } })).keep!;
    expect(grace.zh).to.equal('保级考核已于 2027-03-31 到期，宽限至 2027-04-07：再消费 ¥100.00 可保留银卡，否则将降为普通会员');
    expect(grace.en).to.equal('The review was due on 2027-03-31; within the grace until 2027-04-07: spend ¥100.00 more to keep 银卡, or move down to 普通会员');
    expect(explainTexts(facts({ next: { name: '金卡', missing: 0 } })).next!.zh).to.equal('已达到金卡的门槛');
  });
});
