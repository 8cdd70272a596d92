// OWASP API3 / DESIGN security rules: residents' personal data is unreadable in the raw MongoDB documents, the APIs
// still return it, and rotating the key keeps old records readable (ADR 0026). Four services as processes with a
// key ring of their own; then elder-care restarted with a new active key (the old one kept), and the rotate command.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { identityNumberFor, repositoryRoot, type ServiceProcess } from '@linli/testing';
import { namespaced } from '@linli/platform';
import { MongoClient, type Db } from 'mongodb';
import { call, hotlineTicket, operator, startServices, XIANXIA_ROAD, type Json } from './support/linli';

const run = promisify(execFile);
const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const RING_K1 = { PERSONAL_DATA_KEYS: `k1:${K1}`, PERSONAL_DATA_KEY_ID: 'k1' };
const RING_K2 = { PERSONAL_DATA_KEYS: `k1:${K1},k2:${K2}`, PERSONAL_DATA_KEY_ID: 'k2' };

const SERVICES = ['resident-requests', 'elder-care', 'mediation', 'notifications'] as const;

let sequence = Math.floor(Math.random() * 1_000_000);
const phone = () => `137${String((sequence += 1)).padStart(8, '0')}`;
/** Even sequence digits are women's numbers (GB 11643), as the elders registered here are. */
const identityNumber = (birthDate: string) => identityNumberFor(birthDate, ((sequence += 1) * 2) % 1000);

/** What the last four digits of a value look like in any answer: whole, or masked (138****5678). */
const shown = (value: string) => value.slice(-4);

describe('personal data at rest (encrypted, key rotation)', () => {
  let services: Record<(typeof SERVICES)[number], ServiceProcess>;
  let mongo: MongoClient;
  const db = (service: string): Db => mongo.db(namespaced(`linli-${service}`, '-'));

  /** Every document of every collection of the service's database, as JSON. */
  async function rawText(service: string): Promise<string> {
    const texts: string[] = [];
    for (const { name } of await db(service).listCollections().toArray()) {
      texts.push(JSON.stringify(await db(service).collection(name).find({}).toArray()));
    }
    return texts.join('\n');
  }

  async function rotate(service: string): Promise<Json[]> {
    const { stdout } = await run('npm', ['run', '-s', 'personal-data:rotate', '--', '--service', service], {
      cwd: repositoryRoot,
      env: { ...process.env, ...RING_K2 },
    });
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Json);
  }

  const elderBody = (overrides: Json = {}): Json => ({
    name: '王秀英',
    gender: 'female',
    birthDate: '1942-03-15',
    identityNumber: identityNumber('1942-03-15'),
    phone: phone(),
    community: XIANXIA_ROAD,
    address: '鼓楼区宁海路 12 号 3 单元 502',
    home: { lat: 32.0565, lng: 118.7694 },
    livingSituation: 'alone',
    careLevel: 'partly-dependent',
    hardship: [],
    emergencyContacts: [{ name: '李明', relation: 'son', phone: phone() }],
    consentToServices: true,
    ...overrides,
  });

  beforeAll(async () => {
    const started = await startServices(SERVICES, RING_K1);
    services = Object.fromEntries(SERVICES.map((name, i) => [name, started[i]])) as typeof services;
    mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
  });

  afterAll(async () => {
    await mongo?.close();
    await Promise.all(Object.values(services ?? {}).map((service) => service.stop()));
  });

  const elder = elderBody();

  it('stores no clear phone, identity number or address anywhere, and the APIs still return them', async () => {
    const ticket = hotlineTicket({ reporter: { name: '赵桂兰', phone: phone() } }) as Json;
    const createdTicket = await call(services['resident-requests'], 'POST', '/tickets', operator, ticket);
    expect({ status: createdTicket.status, body: createdTicket.body }).toMatchObject({ status: 201 });

    const createdElder = await call(services['elder-care'], 'POST', '/elders', operator, elder);
    expect({ status: createdElder.status, body: createdElder.body }).toMatchObject({ status: 201 });

    const parties = [
      { role: 'applicant', name: '张建国', phone: phone(), identityNumber: identityNumber('1965-03-02') },
      { role: 'respondent', name: '李秀兰', phone: phone(), identityNumber: identityNumber('1972-11-30') },
    ];
    const createdCase = await call(services.mediation, 'POST', '/cases', operator, {
      caseType: 'neighbour',
      communityCode: XIANXIA_ROAD,
      description: '楼上漏水，邻里协商未果',
      parties,
    });
    expect({ status: createdCase.status, body: createdCase.body }).toMatchObject({ status: 201 });

    const subscriber = phone();
    const subscribed = await call(services.notifications, 'POST', '/subscriptions', operator, {
      community: XIANXIA_ROAD,
      phone: subscriber,
    });
    expect({ status: subscribed.status, body: subscribed.body }).toMatchObject({ status: 201 });

    const secrets: Record<string, string[]> = {
      'resident-requests': [ticket.reporter.phone, ticket.place.address],
      'elder-care': [elder.phone, elder.identityNumber, elder.address, elder.emergencyContacts[0].phone],
      mediation: parties.flatMap((party) => [party.phone, party.identityNumber]),
      notifications: [subscriber],
    };
    for (const [service, values] of Object.entries(secrets)) {
      const raw = await rawText(service);
      expect({ service, clear: values.filter((value) => raw.includes(value)) }).toEqual({
        service,
        clear: [],
      });
      expect(raw).toMatch(/"pd1:k1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+"/);
    }

    // Read back through the APIs: opened (whole or masked as each role's view has it), never ciphertext.
    const readTicket = await call(
      services['resident-requests'],
      'GET',
      `/tickets/${createdTicket.body.ticketId}`,
      operator,
    );
    expect(readTicket.status).toBe(200);
    expect(JSON.stringify(readTicket.body)).toContain(shown(ticket.reporter.phone));
    const readElder = await call(
      services['elder-care'],
      'GET',
      `/elders/${createdElder.body.elderId}`,
      operator,
    );
    expect(readElder.status).toBe(200);
    expect(JSON.stringify(readElder.body)).toContain(shown(elder.phone));
    expect(JSON.stringify(readElder.body)).toContain(shown(elder.identityNumber));
    const readCase = await call(services.mediation, 'GET', `/cases/${createdCase.body.caseId}`, operator);
    expect(readCase.status).toBe(200);
    expect(JSON.stringify(readCase.body)).toContain(shown(parties[0].phone));
    // The same phone again finds the subscription by its keyed hash, and its view shows the opened phone.
    const again = await call(services.notifications, 'POST', '/subscriptions', operator, {
      community: XIANXIA_ROAD,
      phone: subscriber,
    });
    expect(again.status).toBe(200);
    expect(again.body.subscriptionId).toBe(subscribed.body.subscriptionId);
    expect(again.body.phone).toContain(shown(subscriber));
    for (const reply of [readTicket, readElder, readCase, again])
      expect(JSON.stringify(reply.body)).not.toContain('pd1:');
  });

  it('rotates: a restart with a new active key reads old records, writes with the new key, and the command re-seals', async () => {
    const elders = db('elder-care').collection('elders');
    const keyIdsOf = async (elderId: string) =>
      [...JSON.stringify(await elders.findOne({ _id: elderId } as never)).matchAll(/"pd1:(k\d):/g)].map(
        (m) => m[1],
      );
    const [oldElder] = await elders.find({}).limit(1).toArray();
    expect(new Set(await keyIdsOf(String(oldElder._id)))).toEqual(new Set(['k1']));

    await services['elder-care'].stop();
    [services['elder-care']] = await startServices(['elder-care'], RING_K2);

    const oldRead = await call(services['elder-care'], 'GET', `/elders/${String(oldElder._id)}`, operator);
    expect(oldRead.status).toBe(200);
    expect(JSON.stringify(oldRead.body)).toContain(shown(elder.phone));

    const newer = elderBody();
    const created = await call(services['elder-care'], 'POST', '/elders', operator, newer);
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    expect(new Set(await keyIdsOf(created.body.elderId))).toEqual(new Set(['k2']));

    const [first] = (await rotate('elder-care')).filter((counts) => counts.collection === 'elders');
    expect(first).toMatchObject({ activeKeyId: 'k2', conflicts: 0, failures: [] });
    expect(first.resealed).toBeGreaterThanOrEqual(5); // name, birth date, identity number, phone, address, contacts
    expect(new Set(await keyIdsOf(String(oldElder._id)))).toEqual(new Set(['k2']));
    const rotatedRead = await call(
      services['elder-care'],
      'GET',
      `/elders/${String(oldElder._id)}`,
      operator,
    );
    expect(rotatedRead.body).toEqual(oldRead.body);
    expect(await rawText('elder-care')).not.toContain(elder.identityNumber);
  });
});
