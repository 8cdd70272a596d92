import { randomBytes } from 'node:crypto';
import { PersonalDataCipher, isSealed } from './personal-data-cipher';
import {
  PersonalPathSet,
  openPersonal,
  schemaPathOf,
  sealBulkOperations,
  sealDocument,
  sealUpdate,
} from './personal-data.seal';

const cipher = new PersonalDataCipher(new Map([['k1', randomBytes(32)]]), 'k1');
const paths = new PersonalPathSet(['address.street', 'idNumber', 'parties.phone', 'parties.name', 'phones']);

/** Every string in `value` that is not sealed (JSON keys excluded). */
function clearStrings(value: unknown): string[] {
  if (typeof value === 'string') return isSealed(value) ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(clearStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(clearStrings);
  return [];
}

describe('schemaPathOf', () => {
  it('drops array positions and positional operators', () => {
    expect(schemaPathOf('parties.0.phone')).toBe('parties.phone');
    expect(schemaPathOf('parties.$.phone')).toBe('parties.phone');
    expect(schemaPathOf('parties.$[p].phone')).toBe('parties.phone');
    expect(schemaPathOf('parties.$[].phone')).toBe('parties.phone');
  });
});

describe('sealDocument / openPersonal', () => {
  it('seals every personal value (nested, in arrays of sub-documents and of strings) and nothing else', () => {
    const document = {
      _id: 'c-1',
      status: 'open',
      idNumber: '320106194001011234',
      address: { street: '中山路1号', district: '320106' },
      parties: [{ name: '张三', phone: '13812345678', role: 'applicant' }, { name: '李四' }],
      phones: ['13900000001', '13900000002'],
      nothing: null,
    };
    const sealed = sealDocument(document, paths, cipher);
    expect(clearStrings(sealed).sort()).toEqual(['320106', 'applicant', 'c-1', 'open']);
    expect(document.parties[0].phone).toBe('13812345678'); // the caller's object is untouched
    expect((sealed as typeof document).address.district).toBe('320106');
    expect(openPersonal(structuredClone(sealed), cipher)).toEqual(document);
  });

  it('binds a value to its path, so one copied to another field does not open', () => {
    const sealed = sealDocument({ idNumber: '320106194001011234' }, paths, cipher);
    expect(() => openPersonal({ phones: [sealed.idNumber] }, cipher)).toThrow(/failed authentication/);
  });

  it('leaves sealed values as they are (no double sealing) and reads clear values from before encryption', () => {
    const once = sealDocument({ idNumber: '320106194001011234' }, paths, cipher);
    expect(sealDocument(once, paths, cipher)).toBe(once);
    expect(openPersonal({ idNumber: '320106194001011234' }, cipher)).toEqual({
      idNumber: '320106194001011234',
    });
  });
});

describe('sealUpdate', () => {
  it('seals $set and $setOnInsert by dotted and positional path, whole sub-documents and arrays', () => {
    const update = {
      $set: {
        idNumber: '320106194001011234',
        'address.street': '中山路2号',
        'parties.0.phone': '13812345678',
        'parties.$.name': '王五',
        'parties.$[p].phone': '13812345679',
        'parties.1': { name: '赵六', phone: '13812345680' },
        address: { street: '中山路3号', district: '320106' },
        phones: ['13900000003'],
        status: 'closed',
      },
      $setOnInsert: { parties: [{ name: '钱七', phone: '13812345681' }] },
      $inc: { version: 1 },
    };
    const sealed = sealUpdate(update, paths, cipher);
    expect(clearStrings(sealed).sort()).toEqual(['320106', 'closed']);
    expect(update.$set.idNumber).toBe('320106194001011234');
    expect(sealed.$inc).toBe(update.$inc);
    expect(openPersonal(sealed.$set['parties.1'], cipher, 'parties')).toEqual({
      name: '赵六',
      phone: '13812345680',
    });
    expect(openPersonal(sealed.$set['parties.0.phone'], cipher, 'parties.phone')).toBe('13812345678');
  });

  it('seals $push and $addToSet, with and without $each', () => {
    const sealed = sealUpdate(
      {
        $push: { parties: { $each: [{ name: '张三', phone: '13812345678' }], $position: 0 }, log: 'x' },
        $addToSet: { phones: '13900000004' },
      },
      paths,
      cipher,
    );
    expect(clearStrings(sealed)).toEqual(['x']);
    expect(sealed.$push.parties.$position).toBe(0);
  });

  it('seals a replacement (or mongoose implicit $set) by its top-level fields', () => {
    const sealed = sealUpdate({ idNumber: '320106194001011234', status: 'open' }, paths, cipher);
    expect(clearStrings(sealed)).toEqual(['open']);
  });

  it('returns updates without personal values as they are', () => {
    const update = { $set: { status: 'closed' }, $inc: { version: 1 } };
    expect(sealUpdate(update, paths, cipher)).toBe(update);
    expect(sealUpdate(update, new PersonalPathSet([]), cipher)).toBe(update);
  });
});

describe('sealBulkOperations', () => {
  it('seals inserted documents, updates and replacements; leaves deletes and filters alone', () => {
    const operations = sealBulkOperations(
      [
        { insertOne: { document: { idNumber: '320106194001011234' } } },
        { updateOne: { filter: { _id: 'a' }, update: { $set: { 'parties.0.phone': '13812345678' } } } },
        { updateMany: { filter: { status: 'x' }, update: { $set: { phones: ['13900000005'] } } } },
        { replaceOne: { filter: { _id: 'b' }, replacement: { address: { street: '中山路4号' } } } },
        { deleteOne: { filter: { _id: 'c' } } },
      ],
      paths,
      cipher,
    );
    expect(clearStrings(operations).sort()).toEqual(['a', 'b', 'c', 'x']);
  });
});
