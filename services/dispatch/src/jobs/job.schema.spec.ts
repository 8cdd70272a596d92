// The jobs' scope in the data layer (ADR 0028), without a database: each query runs the schema's middleware and is
// answered by a per-query pre-exec hook, so the filter that would reach the server is read off the query.
import { Actor, runAsActor } from '@linli/auth';
import { jurisdictionScopePlugin } from '@linli/persistence';
import mongoose, { type Query } from 'mongoose';
import { JOB_MODEL, jobSchema } from './job.schema';

const connection = mongoose.createConnection();
connection.plugin(jurisdictionScopePlugin);
const Jobs = connection.model(JOB_MODEL, jobSchema);

const provider = new Actor('prov-a', ['provider'], '320106', 'P-a');
const operator = new Actor('op-gulou', ['operator'], '320106');

const offered = (providerId: string, status = 'open') => ({ providerId, status });
/** Held by P-a in Xuanwu, outside the provider user's own district. */
const heldElsewhere = {
  _id: 'J-1',
  jurisdiction: '320102002001',
  providerId: 'P-a',
  offers: [offered('P-a', 'accepted')],
};
/** In Gulou, offered to P-b only. */
const offeredToAnother = { _id: 'J-2', jurisdiction: '320106001001', offers: [offered('P-b')] };
/** Offered to P-a, then taken by P-b: P-a's late accept must still load it (409, not 404). */
const takenFromUnder = {
  _id: 'J-3',
  jurisdiction: '320106001001',
  providerId: 'P-b',
  offers: [offered('P-a', 'withdrawn'), offered('P-b', 'accepted')],
};

async function answer<T>(query: Query<T, unknown>, result: unknown): Promise<T> {
  query.pre(() => {
    throw mongoose.skipMiddlewareFunction(result);
  });
  return query.exec();
}

afterAll(() => connection.close());

describe('jobs in the data layer', () => {
  it('filters a provider by its relation to the job (offered or held), not by its district', async () => {
    const list = Jobs.find({ status: 'offered' });
    await runAsActor(provider, () => answer(list, []));
    expect(list.getFilter()).toEqual({
      status: 'offered',
      $and: [{ $or: [{ providerId: 'P-a' }, { 'offers.providerId': 'P-a' }] }],
    });
  });

  it('lets a provider load the job it holds in another district, and one it was offered; not another’s', async () => {
    const load = (job: object) => Jobs.findById((job as { _id: string })._id).lean();
    const [held, other, late] = await runAsActor(provider, () =>
      Promise.all([
        answer(load(heldElsewhere), heldElsewhere),
        answer(load(offeredToAnother), offeredToAnother),
        answer(load(takenFromUnder), takenFromUnder),
      ]),
    );
    expect(held).toEqual(heldElsewhere);
    expect(other).toBeNull();
    expect(late).toEqual(takenFromUnder);
  });

  it('keeps staff to their jurisdiction, whatever the providers', async () => {
    const [held, other] = await runAsActor(operator, () =>
      Promise.all([
        answer(Jobs.findById('J-1').lean(), heldElsewhere),
        answer(Jobs.findById('J-2').lean(), offeredToAnother),
      ]),
    );
    expect(held).toBeNull();
    expect(other).toEqual(offeredToAnother);
    const list = Jobs.find({});
    await runAsActor(operator, () => answer(list, []));
    expect(list.getFilter()).toEqual({ $and: [{ jurisdiction: { $regex: '^320106' } }] });
  });

  it('gives a user without staff role or provider id nothing by relation: its jurisdiction only', async () => {
    const stranger = new Actor('med', ['mediator'], '320106');
    const list = Jobs.find({});
    await runAsActor(stranger, () => answer(list, []));
    expect(list.getFilter()).toEqual({ $and: [{ jurisdiction: { $regex: '^320106' } }] });
  });
});
