// The plugin on the real MongoDB-wire server: every write path leaves no clear personal value in the stored
// document, every read path returns clear values.
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { PersonalDataCipher } from './personal-data-cipher';
import { rotatePersonalData } from './personal-data.rotation';
import { openPersonal } from './personal-data.seal';
import {
  enablePersonalDataEncryption,
  openPersonalData,
  personalPathSetOf,
  sealPersonalData,
  sealPersonalUpdate,
} from './personal-data.plugin';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const PHONE = '13812345678';
const ID_NUMBER = '320106194001011234';
const STREET = '中山路1号';

interface Person {
  _id: string;
  status: string;
  idNumber?: string;
  address?: { street?: string; district?: string };
  parties?: { name?: string; phone?: string }[];
  phones?: string[];
}

const party = new Schema(
  { name: { type: String, personal: true }, phone: { type: String, personal: true } },
  { _id: false },
);
const personSchema = new Schema<Person>(
  {
    _id: String,
    status: String,
    idNumber: { type: String, personal: true },
    address: { street: { type: String, personal: true }, district: String },
    parties: { type: [party], default: undefined },
    phones: { type: [{ type: String, personal: true }], default: undefined },
  },
  { collection: 'people', versionKey: false },
);

describe('personalDataPlugin on a real connection', () => {
  let connection: Connection;
  let people: Model<Person>;
  const raw = (id: string) => people.collection.findOne({ _id: id } as never);
  const clearIn = async (id: string) => {
    const text = JSON.stringify(await raw(id));
    return [PHONE, ID_NUMBER, STREET, '张三'].filter((value) => text.includes(value));
  };
  const full = (id: string): Person => ({
    _id: id,
    status: 'open',
    idNumber: ID_NUMBER,
    address: { street: STREET, district: '320106' },
    parties: [{ name: '张三', phone: PHONE }],
    phones: [PHONE],
  });

  const k1 = randomBytes(32);

  beforeAll(async () => {
    connection = mongoose.createConnection(mongoUrl, { dbName: `linli_test_pd_${randomUUID().slice(0, 8)}` });
    enablePersonalDataEncryption(connection, new PersonalDataCipher(new Map([['k1', k1]]), 'k1'));
    await connection.asPromise();
    people = connection.model<Person>('Person', personSchema);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('seals on create/save and insertMany (lean or not), and opens on find, findOne, lean, cursor, aggregate', async () => {
    const created = await people.create(full('p-1'));
    expect(created.idNumber).toBe(ID_NUMBER); // the caller keeps clear values
    const given = [full('p-2'), full('p-3')];
    await people.insertMany(given);
    await people.insertMany([full('p-4')], { lean: true });
    expect(given[0].idNumber).toBe(ID_NUMBER);
    for (const id of ['p-1', 'p-2', 'p-3', 'p-4']) expect(await clearIn(id)).toEqual([]);
    expect((await raw('p-1'))?.idNumber).toMatch(/^pd1:k1:/);

    expect((await people.findById('p-1').exec())?.toObject()).toEqual(full('p-1'));
    expect(await people.findOne({ _id: 'p-2' }).lean().exec()).toEqual(full('p-2'));
    expect(await people.find({ status: 'open' }).sort({ _id: 1 }).lean().exec()).toEqual(
      ['p-1', 'p-2', 'p-3', 'p-4'].map(full),
    );
    const streamed: Person[] = [];
    for await (const person of people.find().sort({ _id: 1 }).lean().cursor())
      streamed.push(person as Person);
    expect(streamed.map((person) => person.parties?.[0].phone)).toEqual([PHONE, PHONE, PHONE, PHONE]);
    const aggregated = await people.aggregate<Person>([{ $match: { _id: 'p-3' } }]).exec();
    expect(aggregated[0].address?.street).toBe(STREET);
  });

  it('seals the update family: $set by dotted and positional path, sub-documents, $push, $addToSet, replace', async () => {
    await people.create({ _id: 'u-1', status: 'open' });
    await people
      .updateOne(
        { _id: 'u-1' },
        { $set: { idNumber: ID_NUMBER, 'address.street': STREET, 'address.district': '320106' } },
      )
      .exec();
    await people
      .updateOne({ _id: 'u-1' }, { $push: { parties: { $each: [{ name: '张三', phone: 'x' }] } } })
      .exec();
    await people
      .updateOne({ _id: 'u-1' }, { $set: { 'parties.0.phone': PHONE }, $addToSet: { phones: PHONE } })
      .exec();
    expect(await clearIn('u-1')).toEqual([]);
    const after = await people
      .findOneAndUpdate(
        { _id: 'u-1', 'parties.name': { $exists: true } },
        { $set: { 'parties.$.name': '张三' } },
        {
          returnDocument: 'after',
          lean: true,
        },
      )
      .exec();
    expect(after).toEqual({ ...full('u-1'), parties: [{ name: '张三', phone: PHONE }] });
    expect(await clearIn('u-1')).toEqual([]);

    await people.updateMany({ _id: 'u-1' }, { parties: [{ name: '张三', phone: PHONE }] }).exec();
    await people.replaceOne({ _id: 'u-2' }, full('u-2'), { upsert: true }).exec();
    await people.findOneAndReplace({ _id: 'u-3' }, full('u-3'), { upsert: true }).exec();
    for (const id of ['u-1', 'u-2', 'u-3']) expect(await clearIn(id)).toEqual([]);
    expect(await people.findById('u-3').lean().exec()).toEqual(full('u-3'));
  });

  it('seals bulkWrite and the raw driver helpers; reads clear values stored before encryption', async () => {
    await people.bulkWrite([
      { insertOne: { document: full('b-1') } },
      { updateOne: { filter: { _id: 'b-2' }, update: { $set: { idNumber: ID_NUMBER } }, upsert: true } },
      { replaceOne: { filter: { _id: 'b-3' }, replacement: full('b-3'), upsert: true } },
    ]);
    await people.collection.insertOne(sealPersonalData(people, full('d-1')) as never);
    await people.collection.updateOne(
      { _id: 'd-1' } as never,
      sealPersonalUpdate(people, { $set: { phones: [PHONE] } }),
    );
    for (const id of ['b-1', 'b-2', 'b-3', 'd-1']) expect(await clearIn(id)).toEqual([]);
    expect(openPersonalData(people, await raw('d-1'))).toEqual(full('d-1'));

    await people.collection.insertOne(full('legacy') as never);
    expect(await people.findById('legacy').lean().exec()).toEqual(full('legacy'));
  });

  it('rotates: clear values and values of an old key are re-sealed under the active key, once', async () => {
    const rotation = connection.collection('rotation');
    await rotation.insertOne(full('r-legacy') as never);
    await rotation.insertOne(sealPersonalData(people, full('r-k1')) as never);
    const k2 = new PersonalDataCipher(
      new Map([
        ['k1', k1],
        ['k2', randomBytes(32)],
      ]),
      'k2',
    );
    const paths = personalPathSetOf(personSchema);
    const first = await rotatePersonalData(rotation, paths, k2, { batchSize: 1 });
    // Per document: idNumber, address.street, parties.0.name, parties.0.phone, phones.0.
    expect(first).toMatchObject({
      documents: 2,
      updated: 2,
      encrypted: 5,
      resealed: 5,
      conflicts: 0,
      failures: [],
    });
    for (const id of ['r-legacy', 'r-k1']) {
      const text = JSON.stringify(await rotation.findOne({ _id: id } as never));
      expect(text).not.toContain('pd1:k1:');
      expect(text).not.toContain(PHONE);
      expect(openPersonal(await rotation.findOne({ _id: id } as never), k2)).toEqual(full(id));
    }
    const second = await rotatePersonalData(rotation, paths, k2);
    expect(second).toMatchObject({ updated: 0, encrypted: 0, resealed: 0, current: 10 });
  });
});
