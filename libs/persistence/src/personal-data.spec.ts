import { Schema } from 'mongoose';
import { personalPathsOf } from './personal-data';

describe('personalPathsOf', () => {
  it('lists top-level, nested, sub-schema and array paths marked personal, and nothing else', () => {
    const contact = new Schema({ phone: { type: String, personal: true }, kind: String }, { _id: false });
    const schema = new Schema({
      status: String,
      idNumber: { type: String, personal: true },
      name: { type: String, personal: false },
      address: { street: { type: String, personal: true }, district: String },
      contacts: [contact],
      guardian: contact,
      phones: [{ type: String, personal: true }],
    });
    expect(personalPathsOf(schema)).toEqual([
      'address.street',
      'contacts.phone',
      'guardian.phone',
      'idNumber',
      'phones',
    ]);
  });

  it('returns nothing for a schema without personal data', () => {
    expect(personalPathsOf(new Schema({ status: String, count: Number }))).toEqual([]);
  });
});
