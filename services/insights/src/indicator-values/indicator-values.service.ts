// The use cases of the indicators' API: the definitions, every indicator of a node for a period, one indicator's
// trend over the periods before, and its breakdown by the node's children. The facts are loaded once per request,
// limited to the node (and, by the data layer, to the caller's jurisdiction) and to those the request's periods
// need (indicators/fact-ranges.ts); the arithmetic is indicators/.
import { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import { NotFoundError, ValidationError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { FactsRepository } from '../facts/facts.repository';
import {
  computeAll,
  definitionView,
  indicatorByCode,
  INDICATORS,
  type IndicatorDefinition,
} from '../indicators/definitions';
import { rangeOf } from '../indicators/fact-ranges';
import type { FactSet } from '../indicators/facts';
import type { IndicatorResult } from '../indicators/indicator.rules';
import {
  localDateOf,
  periodOf,
  periodView,
  trendPeriods,
  type Period,
  type PeriodKind,
} from '../indicators/periods';
import { INSIGHTS_DEFAULTS } from '../config';

export const DEFAULT_PERIOD: PeriodKind = 'month';

export interface NodePeriodQuery {
  node?: string;
  period?: PeriodKind;
  date?: string;
}

/** The facts of a child node: those of the parent's whose jurisdiction lies in the child's subtree. */
function factsWithin(facts: FactSet, code: string): FactSet {
  const under = <T extends { jurisdiction: string }>(list: T[]) =>
    list.filter((f) => f.jurisdiction.startsWith(code));
  return {
    tickets: under(facts.tickets),
    feedback: under(facts.feedback),
    jobs: under(facts.jobs),
    elders: under(facts.elders),
    visits: under(facts.visits),
    cases: under(facts.cases),
    alerts: under(facts.alerts),
    alertRecipients: under(facts.alertRecipients),
  };
}

@Injectable()
export class IndicatorValuesService {
  constructor(private readonly facts: FactsRepository) {}

  definitions() {
    return { items: INDICATORS.map(definitionView) };
  }

  async values(query: NodePeriodQuery, actor: Actor, now = new Date()) {
    const { node, period } = this.resolve(query, actor, now);
    const facts = await this.facts.factsUnder(node, period);
    return {
      node,
      name: administrativeTree().get(node)?.name ?? node,
      period: periodView(period),
      items: computeAll(facts, { start: period.start, end: period.end, now }).map((result) => ({
        code: result.code,
        ...resultView(result),
      })),
    };
  }

  async trend(code: string, query: NodePeriodQuery & { count?: number }, actor: Actor, now = new Date()) {
    const definition = this.definition(code);
    const { node, kind, date } = this.resolve(query, actor, now);
    const periods = trendPeriods(kind, date, query.count ?? INSIGHTS_DEFAULTS.TREND_DEFAULT_COUNT);
    const facts = await this.facts.factsUnder(node, rangeOf(periods));
    return {
      code: definition.code,
      node,
      items: periods.map((period) => ({
        start: period.start.toISOString(),
        end: period.end.toISOString(),
        ...resultView(definition.compute(facts, { start: period.start, end: period.end, now })),
      })),
    };
  }

  async breakdown(code: string, query: NodePeriodQuery, actor: Actor, now = new Date()) {
    const definition = this.definition(code);
    const { node, period } = this.resolve(query, actor, now);
    const facts = await this.facts.factsUnder(node, period);
    const window = { start: period.start, end: period.end, now };
    return {
      code: definition.code,
      node,
      period: periodView(period),
      items: administrativeTree()
        .childrenOf(node)
        .map((child) => ({
          node: child.code,
          name: child.name,
          ...resultView(definition.compute(factsWithin(facts, child.code), window)),
        })),
    };
  }

  definition(code: string): IndicatorDefinition {
    const definition = indicatorByCode(code);
    if (!definition) throw new NotFoundError('indicator', code);
    return definition;
  }

  /**
   * The node (the caller's jurisdiction unless given; one outside it is not found, as a record there would be)
   * and the period containing the date (today in Asia/Shanghai unless given).
   */
  private resolve(query: NodePeriodQuery, actor: Actor, now: Date) {
    const node = query.node ?? actor.jurisdiction;
    if (!administrativeTree().has(node)) {
      throw ValidationError.field('node', 'node must be a code of the administrative tree', 400);
    }
    if (!actor.covers(node)) throw new NotFoundError('division', node);
    const kind = query.period ?? DEFAULT_PERIOD;
    const date = query.date ?? localDateOf(now);
    const period: Period = periodOf(kind, date);
    return { node, kind, date, period };
  }
}

/** A result as the API shows it: numerator and denominator only when the indicator has them. */
function resultView(result: IndicatorResult) {
  return {
    value: result.value,
    ...(result.numerator !== undefined ? { numerator: result.numerator } : {}),
    ...(result.denominator !== undefined ? { denominator: result.denominator } : {}),
    ...(result.breakdown !== undefined ? { breakdown: result.breakdown } : {}),
  };
}
