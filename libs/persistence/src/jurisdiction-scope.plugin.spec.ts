// The plugin's rewriting, without a database: each query runs its schema middleware and is then answered by a
// per-query pre-exec hook (mongoose.skipMiddlewareFunction), so what would reach the server is read off the query.
import { Actor, runAsActor } from '@linli/auth';
import mongoose, { Schema, type Model, type Query } from 'mongoose';
import {
  crossJurisdiction,
  idsOfIdLookup,
  jurisdictionFieldOf,
  jurisdictionScopePlugin,
  OutOfJurisdictionError,
  eitherScope,
  jurisdictionScope,
  overlappingScope,
  projectionKeeps,
  relationScope,
  scopeActorsBy,
} from './jurisdiction-scope.plugin';

const GULOU = '320106';
const XUANWU = '320102';
const operator = new Actor('op-gulou', ['operator'], GULOU);
const ticketHere = { _id: 't-1', jurisdiction: `${GULOU}001001`, title: 'here' };
const ticketThere = { _id: 't-2', jurisdiction: `${XUANWU}002001`, title: 'there' };

const connection = mongoose.createConnection();
connection.plugin(jurisdictionScopePlugin);
const Ticket = connection.model(
  'Ticket',
  new Schema({ _id: String, jurisdiction: String, title: String, status: String }),
);
const Elder = connection.model(
  'Elder',
  new Schema({ _id: String, community: String }, { jurisdictionField: 'community' }),
);
const Case = connection.model(
  'Case',
  new Schema({ _id: String, place: { communityCode: String } }, { jurisdictionField: 'place.communityCode' }),
);
const Counter = connection.model('Counter', new Schema({ _id: String, seq: Number }));
// Jobs as dispatch scopes them: staff by jurisdiction, a provider by its relation to the job, wherever it is.
const jobSchema = new Schema({ _id: String, jurisdiction: String, providerId: String, offeredTo: [String] });
scopeActorsBy(jobSchema, (actor) =>
  actor.has('provider') && actor.providerId
    ? {
        condition: { $or: [{ providerId: actor.providerId }, { offeredTo: actor.providerId }] },
        covers: (job) => {
          const { providerId, offeredTo } = job as { providerId?: string; offeredTo?: string[] };
          return providerId === actor.providerId || (offeredTo ?? []).includes(actor.providerId as string);
        },
        paths: ['providerId', 'offeredTo'],
      }
    : undefined,
);
const Job = connection.model('Job', jobSchema);
const provider = new Actor('prov-1', ['provider'], GULOU, 'p-1');

/** Runs the query's middleware, answers it with `result` instead of the server, returns what the caller gets. */
async function answer<T>(query: Query<T, unknown>, result: unknown): Promise<T> {
  query.pre(() => {
    throw mongoose.skipMiddlewareFunction(result);
  });
  return query.exec();
}

/** Answers every `Model.find` (the write check's read by _id) with the given documents. */
function answerFindsWith(model: Model<unknown>, documents: unknown[]): jest.SpyInstance {
  const find = model.find.bind(model);
  return jest.spyOn(model, 'find').mockImplementation(((...args: Parameters<typeof find>) => {
    const query = find(...args);
    const ids = idsOfIdLookup(query.getFilter() as Record<string, unknown>) ?? [];
    return query.pre(() => {
      throw mongoose.skipMiddlewareFunction(
        documents.filter((document) => ids.includes((document as { _id: unknown })._id)),
      );
    });
  }) as never);
}

afterEach(() => jest.restoreAllMocks());
afterAll(() => connection.close());

describe('jurisdictionScopePlugin: which schemas', () => {
  it('scopes by `jurisdiction`, by a declared field, and not a schema without either', () => {
    expect(jurisdictionFieldOf(Ticket.schema)).toBe('jurisdiction');
    expect(jurisdictionFieldOf(Elder.schema)).toBe('community');
    expect(jurisdictionFieldOf(Case.schema)).toBe('place.communityCode');
    expect(jurisdictionFieldOf(Counter.schema)).toBeUndefined();
    expect(
      jurisdictionFieldOf(new Schema({ jurisdiction: String }, { jurisdictionField: false })),
    ).toBeUndefined();
  });
});

describe('jurisdictionScopePlugin: lists, counts, writes by condition', () => {
  it('adds the actor subtree to a list, keeping the filter and its $and', async () => {
    const query = Ticket.find({ status: 'open', $and: [{ title: 'x' }] });
    await runAsActor(operator, () => answer(query, []));
    expect(query.getFilter()).toEqual({
      status: 'open',
      $and: [{ title: 'x' }, { jurisdiction: { $regex: `^${GULOU}` } }],
    });
  });

  it('scopes counts, distinct, updates by condition, deletes and findOneAnd* by condition', async () => {
    const queries = [
      Ticket.countDocuments({ status: 'open' }),
      Ticket.distinct('status', { status: { $ne: 'x' } }),
      Ticket.updateMany({ status: 'open' }, { $set: { status: 'closed' } }),
      Ticket.updateOne({ _id: 't-1', status: 'open' }, { $set: { status: 'closed' } }),
      Ticket.deleteMany({ status: 'open' }),
      Ticket.findOneAndUpdate({ status: 'open' }, { $set: { status: 'x' } }),
      Ticket.findOneAndDelete({ title: 'x' }),
      Ticket.findOne({ title: 'x' }),
    ] as Query<unknown, unknown>[];
    for (const query of queries) {
      await runAsActor(operator, () => answer(query, null));
      expect(query.getFilter().$and).toEqual([{ jurisdiction: { $regex: `^${GULOU}` } }]);
    }
  });

  it('uses the declared field, nested or not', async () => {
    const elders = Elder.find({});
    const cases = Case.find({});
    await runAsActor(operator, () => Promise.all([answer(elders, []), answer(cases, [])]));
    expect(elders.getFilter()).toEqual({ $and: [{ community: { $regex: `^${GULOU}` } }] });
    expect(cases.getFilter()).toEqual({ $and: [{ 'place.communityCode': { $regex: `^${GULOU}` } }] });
  });

  it('puts a $match first in an aggregation (after a $geoNear)', async () => {
    const seen: unknown[][] = [];
    const schema = new Schema({ jurisdiction: String });
    schema.plugin(jurisdictionScopePlugin);
    schema.pre('aggregate', function () {
      seen.push([...this.pipeline()]);
      // Stops it before the (absent) server; aggregations have no skipMiddlewareFunction.
      throw new Error('answered');
    });
    const Stats = connection.model('Stats', schema);
    await runAsActor(operator, async () => {
      const answered = expect.objectContaining({ message: 'answered' });
      await expect(
        Stats.aggregate([{ $group: { _id: '$jurisdiction', n: { $sum: 1 } } }]).exec(),
      ).rejects.toEqual(answered);
      await expect(
        Stats.aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd' } }]).exec(),
      ).rejects.toEqual(answered);
      await expect(
        Stats.aggregate([{ $count: 'n' }])
          .option(crossJurisdiction('test'))
          .exec(),
      ).rejects.toEqual(answered);
    });
    const scope = { $match: { jurisdiction: { $regex: `^${GULOU}` } } };
    expect(seen[0]).toEqual([scope, { $group: { _id: '$jurisdiction', n: { $sum: 1 } } }]);
    expect(seen[1]?.[1]).toEqual(scope);
    expect(seen[2]).toEqual([{ $count: 'n' }]);
  });
});

describe('jurisdictionScopePlugin: lookups by _id stay on _id and are checked after the load', () => {
  it('leaves the filter on _id and drops a document of another district (the caller sees null)', async () => {
    const here = Ticket.findOne({ _id: 't-1' }).lean();
    const there = Ticket.findById('t-2').lean();
    const [mine, theirs] = await runAsActor(operator, () =>
      Promise.all([answer(here, ticketHere), answer(there, ticketThere)]),
    );
    expect(here.getFilter()).toEqual({ _id: 't-1' });
    expect(there.getFilter()).toEqual({ _id: 't-2' });
    expect(mine).toEqual(ticketHere);
    expect(theirs).toBeNull();
  });

  it('checks hydrated documents and lists by $in the same way', async () => {
    const hydrated = await runAsActor(operator, () =>
      answer(Ticket.findById('t-2'), Ticket.hydrate(ticketThere)),
    );
    expect(hydrated).toBeNull();
    const byIds = Ticket.find({ _id: { $in: ['t-1', 't-2'] } }).lean();
    const found = await runAsActor(operator, () => answer(byIds, [ticketHere, ticketThere]));
    expect(byIds.getFilter()).toEqual({ _id: { $in: ['t-1', 't-2'] } });
    expect(found).toEqual([ticketHere]);
  });

  it('adds the condition instead when the projection leaves the field out (nothing to check after)', async () => {
    const query = Ticket.findOne({ _id: 't-2' }, { title: 1 });
    await runAsActor(operator, () => answer(query, null));
    expect(query.getFilter()).toEqual({ _id: 't-2', $and: [{ jurisdiction: { $regex: `^${GULOU}` } }] });
  });

  it('writes by _id only the ids in scope, read first by _id', async () => {
    answerFindsWith(Ticket as unknown as Model<unknown>, [ticketHere, ticketThere]);
    const mine = Ticket.updateOne({ _id: 't-1' }, { $set: { title: 'x' } });
    const theirs = Ticket.findOneAndUpdate({ _id: 't-2' }, { $set: { title: 'x' } });
    const both = Ticket.deleteMany({ _id: { $in: ['t-1', 't-2'] } });
    await runAsActor(operator, () =>
      Promise.all([answer(mine, null), answer(theirs, null), answer(both, null)]),
    );
    expect(mine.getFilter()).toEqual({ _id: 't-1' });
    expect(theirs.getFilter()).toEqual({ _id: { $in: [] } });
    expect(both.getFilter()).toEqual({ _id: { $in: ['t-1'] } });
  });

  it('lets an upsert of a new id through', async () => {
    answerFindsWith(Ticket as unknown as Model<unknown>, []);
    const query = Ticket.updateOne(
      { _id: 't-9' },
      { $set: { jurisdiction: `${GULOU}001001` } },
      { upsert: true },
    );
    await runAsActor(operator, () => answer(query, null));
    expect(query.getFilter()).toEqual({ _id: 't-9' });
  });

  it('fails a cursor by _id that meets another district, rather than ending it silently', async () => {
    const query = Ticket.find({ _id: { $in: ['t-2'] } }).lean();
    await runAsActor(operator, async () => {
      query.pre(() => {
        throw mongoose.skipMiddlewareFunction([]);
      });
      await query.exec();
    });
    const transform = (query as unknown as { _transforms: ((value: unknown) => unknown)[] })._transforms[0];
    expect(() => transform?.(ticketThere)).toThrow(OutOfJurisdictionError);
  });
});

describe('jurisdictionScopePlugin: a scope of its own for some actors (providers and their jobs)', () => {
  const heldThere = { _id: 'j-1', jurisdiction: `${XUANWU}001001`, providerId: 'p-1', offeredTo: [] };
  const offeredHere = { _id: 'j-2', jurisdiction: `${GULOU}001001`, offeredTo: ['p-2'] };

  it('filters a provider by its relation, not by its jurisdiction; staff still by jurisdiction', async () => {
    const mine = Job.find({ status: 'open' });
    const staff = Job.find({ status: 'open' });
    await runAsActor(provider, () => answer(mine, []));
    await runAsActor(operator, () => answer(staff, []));
    expect(mine.getFilter()).toEqual({
      status: 'open',
      $and: [{ $or: [{ providerId: 'p-1' }, { offeredTo: 'p-1' }] }],
    });
    expect(staff.getFilter().$and).toEqual([{ jurisdiction: { $regex: `^${GULOU}` } }]);
  });

  it('checks a provider loading a job by _id against the relation: held elsewhere yes, offered to another no', async () => {
    const [held, other] = await runAsActor(provider, () =>
      Promise.all([
        answer(Job.findById('j-1').lean(), heldThere),
        answer(Job.findById('j-2').lean(), offeredHere),
      ]),
    );
    expect(held).toEqual(heldThere);
    expect(other).toBeNull();
    answerFindsWith(Job as unknown as Model<unknown>, [heldThere, offeredHere]);
    const write = Job.updateMany({ _id: { $in: ['j-1', 'j-2'] } }, { $set: { providerId: 'p-1' } });
    await runAsActor(provider, () => answer(write, null));
    expect(write.getFilter()).toEqual({ _id: { $in: ['j-1'] } });
  });
});

describe('overlappingScope', () => {
  it('reaches the subtree and the places above (a district alert for a community worker), not the side', () => {
    const community = new Actor('op', ['operator'], `${GULOU}001001`);
    const scope = overlappingScope(community, 'jurisdiction');
    expect(scope.condition).toEqual({
      $or: [
        { jurisdiction: { $regex: `^${GULOU}001001` } },
        {
          jurisdiction: {
            $in: [
              '3',
              '32',
              '320',
              '3201',
              '32010',
              GULOU,
              ...['3201060', '32010600', `${GULOU}001`, `${GULOU}0010`, `${GULOU}00100`],
            ],
          },
        },
      ],
    });
    expect(scope.covers({ jurisdiction: GULOU })).toBe(true);
    expect(scope.covers({ jurisdiction: `${GULOU}001001` })).toBe(true);
    expect(scope.covers({ jurisdiction: `${GULOU}001002` })).toBe(false);
    expect(scope.covers({ jurisdiction: XUANWU })).toBe(false);
    expect(scope.covers({ jurisdiction: '' })).toBe(false);
  });
});

describe('relationScope and eitherScope', () => {
  it('lets through the place or the relation, as a filter and as a check', () => {
    const scope = eitherScope(
      jurisdictionScope(operator, 'jurisdiction'),
      relationScope('recipientId', 'op-gulou'),
    );
    expect(scope.condition).toEqual({
      $or: [{ jurisdiction: { $regex: `^${GULOU}` } }, { recipientId: 'op-gulou' }],
    });
    expect(scope.paths).toEqual(['jurisdiction', 'recipientId']);
    expect(scope.covers({ jurisdiction: XUANWU, recipientId: 'op-gulou' })).toBe(true);
    expect(scope.covers({ jurisdiction: `${GULOU}001`, recipientId: 'someone' })).toBe(true);
    expect(scope.covers({ jurisdiction: XUANWU, recipientId: 'someone' })).toBe(false);
  });
});

describe('jurisdictionScopePlugin: who is not scoped', () => {
  it('leaves queries alone outside a request, for the system actor, and for a whole-country actor', async () => {
    for (const run of [
      <T>(work: () => T) => work(),
      <T>(work: () => T) => runAsActor(Actor.system(), work),
      <T>(work: () => T) => runAsActor(new Actor('root', ['admin'], ''), work),
    ]) {
      const list = Ticket.find({ status: 'open' });
      const byId = Ticket.findById('t-2').lean();
      const [, found] = await run(() => Promise.all([answer(list, []), answer(byId, ticketThere)]));
      expect(list.getFilter()).toEqual({ status: 'open' });
      expect(found).toEqual(ticketThere);
    }
  });

  it('lets a declared cross-jurisdiction read through, and does not pass the option on', async () => {
    const query = Ticket.findById('t-2')
      .lean()
      .setOptions(crossJurisdiction('a provider reads the job it holds'));
    const found = await runAsActor(operator, () => answer(query, ticketThere));
    expect(found).toEqual(ticketThere);
    expect(query.getOptions()).not.toHaveProperty('crossJurisdiction');
    expect(() => crossJurisdiction(' ')).toThrow();
  });

  it('never touches a schema without a jurisdiction', async () => {
    const query = Counter.find({ seq: 1 });
    await runAsActor(operator, () => answer(query, []));
    expect(query.getFilter()).toEqual({ seq: 1 });
  });
});

describe('filters and projections', () => {
  it('knows a lookup by _id alone', () => {
    expect(idsOfIdLookup({ _id: 'a' })).toEqual(['a']);
    expect(idsOfIdLookup({ _id: { $eq: 'a' } })).toEqual(['a']);
    expect(idsOfIdLookup({ _id: { $in: ['a', 'b'] } })).toEqual(['a', 'b']);
    const objectId = new mongoose.Types.ObjectId();
    expect(idsOfIdLookup({ _id: objectId })).toEqual([objectId]);
    expect(idsOfIdLookup({ _id: 'a', version: 1 })).toBeUndefined();
    expect(idsOfIdLookup({ _id: { $gte: 'a' } })).toBeUndefined();
    expect(idsOfIdLookup({})).toBeUndefined();
  });

  it('knows whether a projection returns the field', () => {
    expect(projectionKeeps(undefined, 'jurisdiction')).toBe(true);
    expect(projectionKeeps({ outbox: 0, outboxLease: 0 }, 'jurisdiction')).toBe(true);
    expect(projectionKeeps({ jurisdiction: 0 }, 'jurisdiction')).toBe(false);
    expect(projectionKeeps({ _id: 1, title: 1 }, 'jurisdiction')).toBe(false);
    expect(projectionKeeps({ jurisdiction: 1 }, 'jurisdiction')).toBe(true);
    expect(projectionKeeps({ place: 1 }, 'place.communityCode')).toBe(true);
    expect(projectionKeeps({ place: 0 }, 'place.communityCode')).toBe(false);
  });
});
