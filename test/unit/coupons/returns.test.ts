import { expect } from 'chai';
import { usesBack } from '../../../server/src/modules/coupons/redemption.js';

describe('coupons: which uses a refund gives back', () => {
  const punch = { lineNo: 1, uses: 2 };
  const line = (quantity: number, refundedQuantity: number) => [{ lineNo: 1, quantity, refundedQuantity }];

  it('gives an item coupon its uses back with its line’s units, in proportion, all once the line is gone', () => {
    // Two units, both paid by the card: one unit back is one use back.
    expect(usesBack(punch, { fullyRefunded: false, lines: { 1: 1 } }, line(2, 1))).to.deep.equal({ before: 0, after: 1 });
    expect(usesBack(punch, { fullyRefunded: true, lines: { 1: 1 } }, line(2, 2))).to.deep.equal({ before: 1, after: 2 });
    // Three units, two paid by the card: the refund values every unit alike, so uses follow floor(2 × n / 3).
    const steps = [1, 2, 3].map((n) => usesBack(punch, { fullyRefunded: n === 3, lines: { 1: 1 } }, line(3, n)));
    expect(steps).to.deep.equal([{ before: 0, after: 0 }, { before: 0, after: 1 }, { before: 1, after: 2 }]);
  });

  it('leaves an item coupon alone when the refund does not touch its line, until the order is refunded in full', () => {
    expect(usesBack(punch, { fullyRefunded: false, lines: { 2: 1 } }, line(2, 0))).to.deep.equal({ before: 0, after: 0 });
    // A last refund by amount, after one unit came back by line: the rest of the uses.
    expect(usesBack(punch, { fullyRefunded: true, lines: {} }, line(2, 1))).to.deep.equal({ before: 1, after: 2 });
  });

  it('gives an amount coupon back only with the order’s last refund', () => {
    const amount = { lineNo: null, uses: 1 };
    expect(usesBack(amount, { fullyRefunded: false, lines: { 1: 1 } }, [])).to.deep.equal({ before: 0, after: 0 });
    expect(usesBack(amount, { fullyRefunded: true, lines: {} }, [])).to.deep.equal({ before: 0, after: 1 });
  });
});
