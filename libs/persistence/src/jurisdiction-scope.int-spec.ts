// The whole chain on the real stack: a bearer token through AuthGuard, the actor context entered for the handler,
// PersistenceModule's connection with the jurisdiction scope, and a repository that "forgets" the scope in every
// way it could (no condition at all). Another district's document still never comes back, and is never changed.
import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  Injectable,
  Module,
  Param,
  Patch,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Value } from '@sinclair/typebox/value';
import { AuthConfigSchema, AuthModule, DEV_TOKEN_SETTINGS, signToken, type Role } from '@linli/auth';
import { ProblemFilter, PublicRoute } from '@linli/platform';
import { Schema, type Model } from 'mongoose';
import { PersistenceModule } from './persistence.module';

const GULOU = '320106';
const XUANWU = '320102';
const PLACE_MODEL = 'ScopedPlace';

interface Place {
  _id: string;
  jurisdiction: string;
  name: string;
  touchedBy?: string;
}

const placeSchema = new Schema<Place>(
  { _id: String, jurisdiction: { type: String, required: true }, name: String, touchedBy: String },
  { collection: 'scoped_places', versionKey: false },
);

/** Every query a careless repository could write: not one of them names a jurisdiction. */
@Injectable()
class ForgetfulPlaces {
  constructor(@InjectModel(PLACE_MODEL) readonly places: Model<Place>) {}

  byId(id: string) {
    return this.places.findById(id).lean().exec();
  }

  async everything() {
    const [items, total, names, grouped, byIds] = await Promise.all([
      this.places.find({}).sort({ _id: 1 }).lean().exec(),
      this.places.countDocuments({}).exec(),
      this.places.distinct('name').exec(),
      this.places.aggregate<{ n: number }>([{ $group: { _id: null, n: { $sum: 1 } } }]).exec(),
      this.places
        .find({ _id: { $in: ['p-gulou', 'p-xuanwu'] } })
        .lean()
        .exec(),
    ]);
    return {
      ids: items.map((place) => place._id),
      total,
      names: [...names].sort(),
      grouped: grouped[0]?.n ?? 0,
      byIds: byIds.map((place) => place._id),
    };
  }

  async rename(id: string, name: string) {
    const updated = await this.places.updateOne({ _id: id }, { $set: { name } }).exec();
    const returned = await this.places
      .findOneAndUpdate({ _id: id }, { $set: { name } }, { returnDocument: 'after' })
      .lean()
      .exec();
    const many = await this.places.updateMany({}, { $set: { touchedBy: 'renamer' } }).exec();
    return { matched: updated.matchedCount, returned: returned?._id ?? null, many: many.matchedCount };
  }

  async remove(id: string) {
    return { deleted: (await this.places.deleteOne({ _id: id }).exec()).deletedCount };
  }
}

@Controller('places')
class PlacesController {
  constructor(private readonly places: ForgetfulPlaces) {}

  @Get('public/all')
  @PublicRoute()
  async publicAll() {
    return this.places.everything();
  }

  @Get('all')
  async all() {
    // After a timer, as a handler that awaits other work would: the context must outlive the first await.
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.places.everything();
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return { place: await this.places.byId(id) };
  }

  @Patch(':id')
  rename(@Param('id') id: string, @Body() body: { name: string }) {
    return this.places.rename(id, body.name);
  }

  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.places.remove(id);
  }
}

describe('jurisdiction scope on the real stack: a repository that forgets it', () => {
  const dbName = `linli_test_scope_${randomUUID().slice(0, 8)}`;
  let app: NestFastifyApplication;
  let places: Model<Place>;

  const tokenOf = (jurisdiction: string, roles: Role[] = ['operator']) =>
    `Bearer ${signToken({ sub: `user-${jurisdiction}`, roles, jurisdiction }, DEV_TOKEN_SETTINGS)}`;

  async function call(method: 'GET' | 'PATCH' | 'DELETE', url: string, token?: string, body?: object) {
    const reply = await app.inject({
      method,
      url,
      headers: token ? { authorization: token } : {},
      ...(body ? { payload: body } : {}),
    });
    return { status: reply.statusCode, body: reply.json() as Record<string, unknown> };
  }

  beforeAll(async () => {
    @Module({
      imports: [
        AuthModule.forRoot(Value.Default(AuthConfigSchema, {}) as never),
        PersistenceModule.forRoot({ dbName }),
        MongooseModule.forFeature([{ name: PLACE_MODEL, schema: placeSchema }]),
      ],
      controllers: [PlacesController],
      // The platform's problem+json answers, so the guard's refusal is the 401 a service gives.
      providers: [ForgetfulPlaces, { provide: APP_FILTER, useClass: ProblemFilter }],
    })
    class ScopeTestModule {}

    app = await NestFactory.create<NestFastifyApplication>(ScopeTestModule, new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    places = app.get(ForgetfulPlaces).places;
    // Outside any request: unscoped, as consumers and scheduled work are.
    await places.insertMany([
      { _id: 'p-gulou', jurisdiction: `${GULOU}001001`, name: 'gulou' },
      { _id: 'p-xuanwu', jurisdiction: `${XUANWU}002001`, name: 'xuanwu' },
    ]);
  });

  afterAll(async () => {
    await places?.db.dropDatabase();
    await (app as INestApplication | undefined)?.close();
  });

  it('reads only the caller’s district, whatever the query forgot; another district’s id is not found', async () => {
    const gulou = tokenOf(GULOU);
    expect((await call('GET', '/places/all', gulou)).body).toEqual({
      ids: ['p-gulou'],
      total: 1,
      names: ['gulou'],
      grouped: 1,
      byIds: ['p-gulou'],
    });
    expect((await call('GET', '/places/p-gulou', gulou)).body.place).toMatchObject({ _id: 'p-gulou' });
    expect((await call('GET', '/places/p-xuanwu', gulou)).body.place).toBeNull();
    // A province-wide user sees both; a public route and work outside requests run unscoped.
    expect((await call('GET', '/places/all', tokenOf('32', ['supervisor']))).body.total).toBe(2);
    expect((await call('GET', '/places/public/all')).body.total).toBe(2);
    expect(await places.countDocuments({})).toBe(2);
  });

  it('changes and deletes nothing of another district, and everything of its own', async () => {
    const gulou = tokenOf(GULOU);
    expect((await call('PATCH', '/places/p-xuanwu', gulou, { name: 'taken' })).body).toEqual({
      matched: 0,
      returned: null,
      many: 1,
    });
    expect((await call('DELETE', '/places/p-xuanwu', gulou)).body).toEqual({ deleted: 0 });
    const xuanwu = await places.findById('p-xuanwu').lean();
    expect(xuanwu).toEqual({ _id: 'p-xuanwu', jurisdiction: `${XUANWU}002001`, name: 'xuanwu' });

    expect((await call('PATCH', '/places/p-gulou', gulou, { name: 'renamed' })).body).toEqual({
      matched: 1,
      returned: 'p-gulou',
      many: 1,
    });
    expect(await places.findById('p-gulou').lean()).toMatchObject({ name: 'renamed', touchedBy: 'renamer' });
    expect((await call('DELETE', '/places/p-gulou', gulou)).body).toEqual({ deleted: 1 });
  });

  it('still refuses a request without a token on a scoped route', async () => {
    expect((await call('GET', '/places/all')).status).toBe(401);
  });
});
