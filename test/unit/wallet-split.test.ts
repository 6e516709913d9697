import { expect } from 'chai';
import { splitSpend, takeInOrder } from '../../server/src/modules/wallet/ledger.js';
import { yuanText } from '../../server/src/modules/wallet/money-text.js';

describe('wallet: splitting a spend between principal and bonus', () => {
  it('keeps the member’s mix when proportional, rounding half up', () => {
    expect(splitSpend('proportional', 30_000, 6_000, 12_000)).to.deep.equal({ principal: 10_000, bonus: 2_000 });
    // 3 * 6,000 / 36,000 = 0.5 -> 1; 2 * 6,000 / 36,000 = 0.33 -> 0
    expect(splitSpend('proportional', 30_000, 6_000, 3)).to.deep.equal({ principal: 2, bonus: 1 });
    expect(splitSpend('proportional', 30_000, 6_000, 2)).to.deep.equal({ principal: 2, bonus: 0 });
    expect(splitSpend('proportional', 0, 500, 200)).to.deep.equal({ principal: 0, bonus: 200 });
    expect(splitSpend('proportional', 500, 0, 200)).to.deep.equal({ principal: 200, bonus: 0 });
  });

  it('takes one bucket first when told to, and the other only past it', () => {
    expect(splitSpend('principal_first', 30_000, 6_000, 12_000)).to.deep.equal({ principal: 12_000, bonus: 0 });
    expect(splitSpend('principal_first', 10_000, 6_000, 12_000)).to.deep.equal({ principal: 10_000, bonus: 2_000 });
    expect(splitSpend('bonus_first', 30_000, 6_000, 12_000)).to.deep.equal({ principal: 6_000, bonus: 6_000 });
    expect(splitSpend('bonus_first', 30_000, 6_000, 5_000)).to.deep.equal({ principal: 0, bonus: 5_000 });
  });

  it('always adds up, never takes more than a bucket holds, and stays within half a fen of the exact share', () => {
    for (const order of ['proportional', 'principal_first', 'bonus_first'] as const) {
      for (let p = 0; p <= 25; p++) {
        for (let b = 0; b <= 25; b++) {
          for (let x = 1; x <= p + b; x++) {
            const split = splitSpend(order, p, b, x);
            const where = `${order} P=${p} B=${b} x=${x}`;
            expect(split.principal + split.bonus, where).to.equal(x);
            expect(split.principal, where).to.be.within(0, p);
            expect(split.bonus, where).to.be.within(0, b);
            if (order === 'proportional') expect(Math.abs(split.bonus - (x * b) / (p + b)), where).to.be.at.most(0.5 + 1e-9);
          }
        }
      }
    }
    expect(() => splitSpend('proportional', 1, 1, 3)).to.throw();
  });

  it('takes from lots in order, each at most what it holds', () => {
    expect(takeInOrder([100, 0, 50, 70], 160)).to.deep.equal([100, 0, 50, 10]);
    expect(takeInOrder([100, 50], 0)).to.deep.equal([0, 0]);
  });

  it('writes fen as yuan for messages without floats', () => {
    expect(yuanText(123_456_789)).to.equal('¥1,234,567.89');
    expect(yuanText(5)).to.equal('¥0.05');
    expect(yuanText(-1_000)).to.equal('-¥10.00');
  });
});
