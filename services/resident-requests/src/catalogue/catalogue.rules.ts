// Checks of the catalogue's data, run at start-up: a typo in a routing or a service level must stop the service,
// not surface weeks later as a ticket nobody can take.
import {
  CATEGORIES,
  SERVICE_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_ROUTES,
  type ServiceClass,
} from '@linli/contracts';
import type { CategoryDefinition } from './catalogue.types';

/** The pattern of @linli/contracts' Skill(): what dispatch matches against providers' skills. */
const SKILL_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

export class InvalidCatalogueError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The category catalogue is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidCatalogueError';
  }
}

/** Every problem of the table, one line each (empty when it is valid). */
export function catalogueProblems(categories: readonly CategoryDefinition[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const category of categories) {
    const at = `category ${category.code}`;
    if (!(CATEGORIES as readonly string[]).includes(category.code))
      problems.push(`${at} is not a contract category`);
    if (seen.has(category.code)) problems.push(`${at} is listed twice`);
    seen.add(category.code);
    const expectedClass = classOf(category.code);
    if (expectedClass && category.serviceClass !== expectedClass) {
      problems.push(
        `${at} has service class ${category.serviceClass}, the contracts group it under ${expectedClass}`,
      );
    }
    if (!category.name.zh.trim() || !category.name.en.trim())
      problems.push(`${at} needs a name in zh and en`);
    if (!(TICKET_ROUTES as readonly string[]).includes(category.routing)) {
      problems.push(`${at} routes to ${category.routing}, not one of ${TICKET_ROUTES.join(', ')}`);
    }
    if (!SKILL_PATTERN.test(category.skill))
      problems.push(`${at} has a skill that is not a slug: ${category.skill}`);
    if (!(TICKET_PRIORITIES as readonly string[]).includes(category.defaultPriority)) {
      problems.push(`${at} has an unknown default priority ${category.defaultPriority}`);
    }
    for (const priority of TICKET_PRIORITIES) {
      const target = category.serviceLevels[priority];
      if (!target) {
        problems.push(`${at} has no service level for priority ${priority}`);
        continue;
      }
      if (!(target.acceptWithinMs > 0) || !(target.resolveWithinMs > 0)) {
        problems.push(`${at}: service levels of ${priority} must be positive durations`);
      } else if (target.acceptWithinMs > target.resolveWithinMs) {
        problems.push(`${at}: ${priority} must be accepted no later than it must be resolved`);
      }
    }
    // A more urgent priority never gets more time than a less urgent one.
    for (let i = 1; i < TICKET_PRIORITIES.length; i++) {
      const more = category.serviceLevels[TICKET_PRIORITIES[i - 1]];
      const less = category.serviceLevels[TICKET_PRIORITIES[i]];
      if (more && less && more.resolveWithinMs > less.resolveWithinMs) {
        problems.push(
          `${at}: ${TICKET_PRIORITIES[i - 1]} gets more time to resolve than ${TICKET_PRIORITIES[i]}`,
        );
      }
    }
    if (!(category.callbackDelayMs > 0)) problems.push(`${at} needs a positive call-back delay`);
  }
  for (const code of CATEGORIES) if (!seen.has(code)) problems.push(`category ${code} is missing`);
  return problems;
}

export function assertValidCatalogue(categories: readonly CategoryDefinition[]): void {
  const problems = catalogueProblems(categories);
  if (problems.length > 0) throw new InvalidCatalogueError(problems);
}

function classOf(code: string): ServiceClass | undefined {
  return (Object.keys(SERVICE_CATEGORIES) as ServiceClass[]).find((serviceClass) =>
    (SERVICE_CATEGORIES[serviceClass] as readonly string[]).includes(code),
  );
}
