import { identityHash, maskAddress, maskIdentityNumber, maskPhone, phoneHash } from './personal-data';

describe('personal data', () => {
  describe('masks', () => {
    it('masks phones', () => {
      expect(maskPhone('13812345678')).toBe('138****5678');
      expect(maskPhone('025-83591234')).toBe('025****1234');
    });

    it('masks identity numbers', () => {
      expect(maskIdentityNumber('32010619420315123X')).toBe('320106********123X');
    });

    it('cuts addresses after the road or street', () => {
      expect(maskAddress('鼓楼区宁海路 12 号 3 单元 502')).toBe('鼓楼区宁海路…');
      expect(maskAddress('玄武区北京东路 41 号')).toBe('玄武区北京东路…');
      expect(maskAddress('汉中门大街 1 号')).toBe('汉中门大街…');
      expect(maskAddress('梅园新村 7 栋 201')).toBe('梅园新村 7…');
      expect(maskAddress('宁海路')).toBe('宁海路');
    });
  });

  describe('keyed hashes', () => {
    it('are stable, keyed and insensitive to how the value was written', () => {
      const key = 'a-key-of-sixteen-chars';
      expect(identityHash('11010519491231002x', key)).toBe(identityHash('11010519491231002X', key));
      expect(identityHash('11010519491231002X', key)).not.toBe(identityHash('11010519491231002X', `${key}!`));
      expect(phoneHash('138-1234-5678', key)).toBe(phoneHash('13812345678', key));
      expect(phoneHash('+86 139 1234 5678', key)).toBe(phoneHash('13912345678', key));
      expect(phoneHash('13812345678', key)).toMatch(/^[0-9a-f]{64}$/);
    });

    it('never give a phone and an identity number the same hash', () => {
      const key = 'a-key-of-sixteen-chars';
      expect(phoneHash('13812345678', key)).not.toBe(identityHash('13812345678', key));
    });
  });
});
