import { expect } from 'chai';
import { FULL_MASK, masks } from '../../server/src/modules/access/field-policy/index.js';

describe('field policy: masks', () => {
  describe('phone', () => {
    it('keeps the first three and last four digits', () => {
      expect(masks.phone('13812345678')).to.equal('138****5678');
    });

    it('drops a +86 or 0086 country code and spaces or dashes', () => {
      expect(masks.phone('+86 138 1234 5678')).to.equal('138****5678');
      expect(masks.phone('+8613812345678')).to.equal('138****5678');
      expect(masks.phone('0086-138-1234-5678')).to.equal('138****5678');
    });

    it('stars values too short to mask partly, and anything that is not a number', () => {
      expect(masks.phone('12345')).to.equal(FULL_MASK);
      expect(masks.phone('1381234567')).to.equal(FULL_MASK);
      expect(masks.phone('not a phone')).to.equal(FULL_MASK);
      expect(masks.phone({ phone: '13812345678' })).to.equal(FULL_MASK);
    });

    it('leaves absence alone', () => {
      expect(masks.phone(null)).to.equal(null);
      expect(masks.phone(undefined)).to.equal(null);
      expect(masks.phone('')).to.equal('');
    });

    it('accepts a number and returns a string', () => {
      expect(masks.phone(13812345678)).to.equal('138****5678');
    });

    it('does not reveal more when applied to a masked value', () => {
      expect(masks.phone('138****5678')).to.equal(FULL_MASK);
    });
  });

  describe('idNumber', () => {
    it('keeps six and four characters of an 18-character ID, including a final X', () => {
      expect(masks.idNumber('110101199001011234')).to.equal('110101********1234');
      expect(masks.idNumber('11010119900101123x')).to.equal('110101********123X');
    });

    it('masks a 15-digit ID the same way', () => {
      expect(masks.idNumber('110101900101123')).to.equal('110101*****1123');
    });

    it('fully stars anything else', () => {
      expect(masks.idNumber('E12345678')).to.equal(FULL_MASK);
      expect(masks.idNumber('1101011990')).to.equal(FULL_MASK);
      expect(masks.idNumber(null)).to.equal(null);
    });
  });

  describe('name', () => {
    it('keeps the first character and always adds two stars, whatever the length', () => {
      expect(masks.name('张')).to.equal('张**');
      expect(masks.name('张三')).to.equal('张**');
      expect(masks.name('张三丰')).to.equal('张**');
      expect(masks.name('欧阳娜娜')).to.equal('欧**');
      expect(masks.name('Li Wei')).to.equal('L**');
    });

    it('never cuts a character outside the BMP in half', () => {
      expect(masks.name('𠮷野家')).to.equal('𠮷**');
    });

    it('trims and leaves absence alone', () => {
      expect(masks.name('  王五 ')).to.equal('王**');
      expect(masks.name('')).to.equal('');
      expect(masks.name('   ')).to.equal('');
      expect(masks.name(null)).to.equal(null);
    });
  });

  describe('email', () => {
    it('keeps the first character of the local part and the domain', () => {
      expect(masks.email('zhangsan@qq.com')).to.equal('z***@qq.com');
      expect(masks.email('z@qq.com')).to.equal('z***@qq.com');
    });

    it('fully stars a value that is not an address', () => {
      expect(masks.email('zhangsan')).to.equal(FULL_MASK);
      expect(masks.email('@qq.com')).to.equal(FULL_MASK);
    });
  });

  describe('birthday', () => {
    it('keeps month and day', () => {
      expect(masks.birthday('1990-05-17')).to.equal('05-17');
      expect(masks.birthday('1990/5/7')).to.equal('05-07');
      expect(masks.birthday('19901231')).to.equal('12-31');
      expect(masks.birthday('1990年5月17日')).to.equal('05-17');
      expect(masks.birthday(new Date('1990-05-17'))).to.equal('05-17');
    });

    it('is stable on an already masked value', () => {
      expect(masks.birthday('05-17')).to.equal('05-17');
    });

    it('fully stars what is not a date', () => {
      expect(masks.birthday('1990-13-01')).to.equal(FULL_MASK);
      expect(masks.birthday('someday')).to.equal(FULL_MASK);
      expect(masks.birthday(new Date('nope'))).to.equal(FULL_MASK);
      expect(masks.birthday(null)).to.equal(null);
    });
  });

  describe('full and last4', () => {
    it('full shows eight stars whatever the value', () => {
      expect(masks.full('a')).to.equal(FULL_MASK);
      expect(masks.full('a much longer value')).to.equal(FULL_MASK);
      expect(masks.full(12345)).to.equal(FULL_MASK);
      expect(masks.full(null)).to.equal(null);
    });

    it('last4 keeps the last four characters of values of at least eight', () => {
      expect(masks.last4('13812345678')).to.equal('****5678');
      expect(masks.last4('8800 1234 5678')).to.equal('****5678');
      expect(masks.last4('1234567')).to.equal(FULL_MASK);
    });
  });
});
