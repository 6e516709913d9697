import { expect } from 'chai';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  formatCode,
  generateCode,
  generateCodes,
  isWellFormedCode,
  normalizeCode,
} from '../../server/src/modules/coupons/codes.js';

describe('coupon codes', () => {
  const sample = generateCodes(200);

  it('are 12 characters of the unambiguous alphabet and pass their own check', () => {
    for (const code of sample) {
      expect(code).to.have.length(CODE_LENGTH);
      expect([...code].every((char) => CODE_ALPHABET.includes(char)), code).to.equal(true);
      expect(isWellFormedCode(code), code).to.equal(true);
    }
    expect(CODE_ALPHABET).to.not.match(/[01IO]/);
  });

  it('are spread over the whole alphabet in every random position', () => {
    const codes = generateCodes(4000);
    expect(new Set(codes).size).to.equal(4000);
    for (let position = 0; position < CODE_LENGTH - 1; position += 1) {
      const seen = new Set(codes.map((code) => code[position]));
      expect(seen.size, `position ${position}`).to.equal(CODE_ALPHABET.length);
    }
  });

  it('catches every single wrong character, the check character included', () => {
    for (const code of sample.slice(0, 50)) {
      for (let position = 0; position < CODE_LENGTH; position += 1) {
        for (const char of CODE_ALPHABET) {
          if (char === code[position]) continue;
          const typo = code.slice(0, position) + char + code.slice(position + 1);
          expect(isWellFormedCode(typo), `${code} -> ${typo}`).to.equal(false);
        }
      }
    }
  });

  it('catches every swap of two different neighbours', () => {
    let swaps = 0;
    for (const code of sample) {
      for (let position = 0; position < CODE_LENGTH - 1; position += 1) {
        if (code[position] === code[position + 1]) continue;
        const swapped = code.slice(0, position) + code[position + 1] + code[position] + code.slice(position + 2);
        expect(isWellFormedCode(swapped), `${code} -> ${swapped}`).to.equal(false);
        swaps += 1;
      }
    }
    expect(swaps).to.be.greaterThan(2000);
  });

  it('refuses wrong lengths and characters outside the alphabet', () => {
    const code = generateCode();
    expect(isWellFormedCode(code.slice(1))).to.equal(false);
    expect(isWellFormedCode(`${code}2`)).to.equal(false);
    expect(isWellFormedCode(`0${code.slice(1)}`)).to.equal(false);
    expect(isWellFormedCode('')).to.equal(false);
  });

  it('reads a printed or lower-case code as the stored one', () => {
    const code = generateCode();
    expect(formatCode(code)).to.match(/^.{4}-.{4}-.{4}$/);
    expect(normalizeCode(` ${formatCode(code).toLowerCase()} `)).to.equal(code);
    expect(isWellFormedCode(normalizeCode(formatCode(code)))).to.equal(true);
  });
});
