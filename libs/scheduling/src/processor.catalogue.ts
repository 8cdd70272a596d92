// Finds the @ScheduledJobProcessor providers of the app and checks them against the declared jobs at start-up.
import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { ScheduledJobDefinition, describeJob } from './scheduled-job';
import { SCHEDULED_JOB_PROCESSOR, ScheduledJobHandler } from './scheduled-job.processor';
import { ProcessorRegistrationError } from './scheduling.errors';

export interface RegisteredProcessor {
  definition: ScheduledJobDefinition;
  handler: ScheduledJobHandler;
}

interface FoundProcessor {
  definition: ScheduledJobDefinition;
  instance: unknown;
  className: string;
  isStatic: boolean;
}

/**
 * Pure part of the start-up check: every declared job has exactly one processor, every processor a declared job.
 * Returns the processors by `<queue>/<name>`, or throws ProcessorRegistrationError listing every problem at once.
 */
export function matchProcessors(
  declared: readonly ScheduledJobDefinition[],
  found: readonly FoundProcessor[],
): Map<string, RegisteredProcessor> {
  const problems: string[] = [];
  const declaredKeys = new Map<string, ScheduledJobDefinition>();
  for (const definition of declared) {
    const key = describeJob(definition);
    if (declaredKeys.has(key)) problems.push(`job ${key} is declared twice in the scheduling module's jobs`);
    declaredKeys.set(key, definition);
  }

  const byKey = new Map<string, FoundProcessor[]>();
  for (const processor of found) {
    const key = describeJob(processor.definition);
    byKey.set(key, [...(byKey.get(key) ?? []), processor]);
    if (!declaredKeys.has(key)) {
      problems.push(
        `${processor.className} processes ${key}, which is not in the scheduling module's jobs (renamed or undeclared?)`,
      );
    }
    if (!processor.isStatic)
      problems.push(`${processor.className} must be a singleton provider (not request-scoped)`);
    if (typeof (processor.instance as Partial<ScheduledJobHandler> | undefined)?.run !== 'function') {
      problems.push(`${processor.className} must have a run(work) method`);
    }
  }

  const registered = new Map<string, RegisteredProcessor>();
  for (const [key, definition] of declaredKeys) {
    const processors = byKey.get(key) ?? [];
    if (processors.length === 0) {
      problems.push(`job ${key} is scheduled but has no @ScheduledJobProcessor provider`);
    } else if (processors.length > 1) {
      problems.push(
        `job ${key} has ${processors.length} processors: ${processors.map((p) => p.className).join(', ')}`,
      );
    } else {
      registered.set(key, { definition, handler: processors[0].instance as ScheduledJobHandler });
    }
  }

  if (problems.length > 0) throw new ProcessorRegistrationError(problems);
  return registered;
}

@Injectable()
export class ProcessorCatalogue {
  constructor(private readonly discovery: DiscoveryService) {}

  /** Discovers and checks the processors; throws ProcessorRegistrationError so the app refuses to start. */
  resolve(declared: readonly ScheduledJobDefinition[]): Map<string, RegisteredProcessor> {
    const seen = new Set<unknown>();
    const found: FoundProcessor[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const metatype = wrapper.metatype as unknown;
      const target =
        typeof metatype === 'function' ? metatype : (wrapper.instance as object | undefined)?.constructor;
      if (!target) continue;
      const definition = Reflect.getMetadata(SCHEDULED_JOB_PROCESSOR, target) as
        ScheduledJobDefinition | undefined;
      if (!definition) continue;
      // One provider exported through several modules is still one processor.
      const identity = wrapper.isDependencyTreeStatic() ? wrapper.instance : wrapper;
      if (seen.has(identity)) continue;
      seen.add(identity);
      found.push({
        definition,
        instance: wrapper.instance,
        className: (target as { name?: string }).name ?? wrapper.name.toString(),
        isStatic: wrapper.isDependencyTreeStatic(),
      });
    }
    return matchProcessors(declared, found);
  }
}
