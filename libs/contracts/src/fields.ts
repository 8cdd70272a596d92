// Field schemas that several events share, so an id, a jurisdiction or a provider kind means the same thing
// on every topic. Event payloads carry ids and codes only, never personal data (names, phone numbers, identity
// numbers, addresses): a consumer that needs a resident's contact asks the owning service, which checks and
// audits the read.
import { type SchemaOptions, type TProperties, type TUnsafe, Type } from '@sinclair/typebox';

/** An object schema that rejects unknown fields (DESIGN: unknown fields are rejected). */
export function StrictObject<P extends TProperties>(properties: P, options: SchemaOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/**
 * A string enum as a plain JSON Schema `enum`: one clear validation error and a readable AsyncAPI document,
 * where a union of literals would give one error per member.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });
}

/** An aggregate or reference id as the owning service issued it (UUID, ObjectId or a readable number). */
export const Id = (description?: string) =>
  Type.String({
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
    ...(description ? { description } : {}),
  });

/** An administrative division code (统计用区划代码) or a prefix of one: 32 Jiangsu, 320106 Gulou, 12 digits a community. */
export const Jurisdiction = (
  description = 'Administrative division code or prefix (province 2 digits … community 12)',
) => Type.String({ pattern: '^[0-9]{2,12}$', description });

export const DateTime = (description?: string) =>
  Type.String({ format: 'date-time', ...(description ? { description } : {}) });

/**
 * The aggregate's version once this event's change is stored (0 for the event that created it): consumers apply
 * version-checked updates with it, and can tell a replay from news.
 */
export const AggregateVersion = () =>
  Type.Integer({ minimum: 0, description: "The aggregate's version once this change is stored" });

/**
 * The kind every provider has: the five societies of five-society linkage (五社联动), plus `company` for the
 * property and repair firms (物业, 维修企业) that take convenience jobs; the plan's share of work per society
 * counts the first five, and a company's jobs apart.
 */
export const PROVIDER_KINDS = [
  'community',
  'social-organisation',
  'social-worker',
  'volunteer',
  'charity',
  'company',
] as const;
export const ProviderKind = () =>
  StringEnum(PROVIDER_KINDS, {
    description: 'Five-society kind (五社联动), or company (property, repair firms)',
  });

/**
 * The category catalogue's codes, grouped by the plan's three kinds of service: public (为民), convenience (便民)
 * and safety (安民), plus `general` for what the hotline takes that is none of the three (咨询 consultation,
 * 投诉 complaint, 其他 other), counted apart. Tickets are triaged to one; jobs are requested for one.
 */
export const SERVICE_CATEGORIES = {
  public: ['elder-care', 'childcare', 'disability-support', 'employment', 'health', 'mental-health'],
  convenience: ['repair', 'property', 'sanitation', 'housekeeping'],
  safety: ['dispute', 'emergency', 'public-safety'],
  general: ['consultation', 'complaint', 'other'],
} as const;
export type ServiceClass = keyof typeof SERVICE_CATEGORIES;
export const SERVICE_CLASSES = Object.keys(SERVICE_CATEGORIES) as ServiceClass[];
export const CATEGORIES = [
  ...SERVICE_CATEGORIES.public,
  ...SERVICE_CATEGORIES.convenience,
  ...SERVICE_CATEGORIES.safety,
  ...SERVICE_CATEGORIES.general,
] as const;
export type ServiceCategory = (typeof CATEGORIES)[number];
export const Category = () => StringEnum(CATEGORIES, { description: 'Service category from the catalogue' });

/**
 * What a provider must be able to do for a job (plumbing, meal-delivery, mediation, welfare-check…): a slug from
 * the skills the category catalogue and the care-plan items name. Dispatch matches it against providers' skills.
 */
export const Skill = (description = 'Skill the work needs; matched against providers’ skills') =>
  Type.String({ pattern: '^[a-z][a-z0-9-]{1,39}$', description });

/** The platform's roles (DESIGN, security rules); `system` is the platform acting on its own (a deadline, a rule). */
export const ROLES = [
  'operator',
  'provider',
  'coordinator',
  'mediator',
  'supervisor',
  'auditor',
  'admin',
  'system',
] as const;

/** The services whose aggregates can ask dispatch for work or be the cause of another service's action. */
export const DOMAIN_SERVICES = ['resident-requests', 'elder-care', 'mediation', 'emergency'] as const;

/** The user who acted; absent when the platform acted on its own (a deadline passed, a rule fired). */
export const ActorId = () => Id('User id of who acted');
