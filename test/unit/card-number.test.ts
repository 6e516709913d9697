import { expect } from 'chai';
import { formatCardNumber, isValidCardNumber, luhnCheckDigit } from '../../server/src/platform/ids/card-number.js';

describe('member card numbers', () => {
  it('computes the Luhn check digit of known numbers', () => {
    expect(luhnCheckDigit('7992739871')).to.equal('3');
    expect(luhnCheckDigit('4539578763621486'.slice(0, -1))).to.equal('6');
    expect(luhnCheckDigit('0')).to.equal('0');
  });

  it('formats prefix, zero-padded sequence and check digit', () => {
    expect(formatCardNumber('88', 1)).to.equal(`8800000001${luhnCheckDigit('8800000001')}`);
    expect(formatCardNumber('', 123, 6)).to.equal(`000123${luhnCheckDigit('000123')}`);
    expect(formatCardNumber('6', 123_456_789, 8)).to.have.length(11);
    expect(() => formatCardNumber('VIP', 1)).to.throw(/at most 6 digits/);
    expect(() => formatCardNumber('88', 0)).to.throw(/positive integer/);
  });

  it('accepts its own numbers and catches a wrong digit or two swapped neighbours', () => {
    for (let n = 1; n < 2000; n += 37) {
      const card = formatCardNumber('88', n);
      expect(isValidCardNumber(card), card).to.equal(true);
      const wrong = `${card.slice(0, 4)}${(Number(card[4]) + 1) % 10}${card.slice(5)}`;
      expect(isValidCardNumber(wrong), wrong).to.equal(false);
      if (card[5] !== card[6]) {
        const swapped = `${card.slice(0, 5)}${card[6]}${card[5]}${card.slice(7)}`;
        // Luhn misses only the 0<->9 swap.
        if (!(card[5] + card[6] === '09' || card[5] + card[6] === '90')) expect(isValidCardNumber(swapped), swapped).to.equal(false);
      }
    }
    expect(isValidCardNumber('88000000a1')).to.equal(false);
    expect(isValidCardNumber('')).to.equal(false);
  });
});
