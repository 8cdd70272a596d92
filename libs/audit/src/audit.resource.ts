// Which resource an API call touched, read from what is evident: the route's `…Id` parameters, else the first path
// segment and the id in the answer; its code from the answer's `jurisdiction`. Pure, so the guesses are tested.

export interface ResourceRef {
  type: string;
  id: string;
  jurisdiction?: string;
}

const TYPE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const CODE_PATTERN = /^[0-9]{2,12}$/;

/** `carePlanId` → `care-plan`. */
export function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `care-plans` → `carePlan`, `entries` → `entry`. */
function singularCamel(segment: string): string {
  const singular = segment.endsWith('ies')
    ? `${segment.slice(0, -3)}y`
    : segment.endsWith('s') && !segment.endsWith('ss')
      ? segment.slice(0, -1)
      : segment;
  return singular.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function idParamsOf(route: string): string[] {
  return [...route.matchAll(/:([A-Za-z][A-Za-z0-9]*Id)\b/g)].map((match) => match[1] as string);
}

function answerField(answer: unknown, field: string): string | undefined {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return undefined;
  const value = (answer as Record<string, unknown>)[field];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * `route` is the template (`/tickets/:ticketId/notes`), `params` its values, `answer` the response body. `type`
 * (and `idParam`) when the handler declared them.
 */
export function resourceOf(
  route: string,
  params: Record<string, string | undefined>,
  answer: unknown,
  declared: { type?: string; idParam?: string } = {},
): ResourceRef | undefined {
  const jurisdiction = answerField(answer, 'jurisdiction');
  const code = jurisdiction && CODE_PATTERN.test(jurisdiction) ? { jurisdiction } : {};
  const idParams = idParamsOf(route);
  const param = declared.idParam ?? idParams[idParams.length - 1];
  const segment = route.split('/').find((part) => part !== '' && !part.startsWith(':'));
  const typeFromRoute = param
    ? kebab(param.replace(/Id$/, ''))
    : segment
      ? kebab(singularCamel(segment))
      : undefined;
  const type = declared.type ?? typeFromRoute;
  if (!type || !TYPE_PATTERN.test(type)) return undefined;
  const fromParam = param ? params[param] : undefined;
  const camel = type.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const id = fromParam ?? answerField(answer, `${camel}Id`) ?? answerField(answer, 'id') ?? '';
  return { type, id, ...code };
}
