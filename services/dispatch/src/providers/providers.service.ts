// The use cases of providers: register, list, read, change (a provider may switch only its own availability).
import { Actor } from '@linli/auth';
import { ConflictError, ForbiddenError, InjectConfig, NotFoundError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DispatchConfig } from '../config';
import { acceptanceRate } from '../jobs/matching.rules';
import type { CreateProviderDto, ProviderView, UpdateProviderDto } from './dto/provider.dto';
import type { ProviderDocument } from './provider.schema';
import { ProvidersRepository, type ProviderFilter } from './providers.repository';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class ProvidersService {
  constructor(
    private readonly providers: ProvidersRepository,
    @InjectConfig() private readonly config: DispatchConfig,
  ) {}

  async register(input: CreateProviderDto, actor: Actor): Promise<ProviderView> {
    if (!actor.covers(input.jurisdiction)) {
      throw new ForbiddenError(`jurisdiction ${input.jurisdiction} is outside yours`);
    }
    const now = new Date();
    const provider: ProviderDocument = {
      _id: input.providerId ?? randomUUID(),
      name: input.name,
      kind: input.kind,
      skills: input.skills,
      serviceAreas: input.serviceAreas,
      capacity: input.capacity,
      ...(input.workingHours ? { workingHours: plainWindows(input.workingHours) } : {}),
      available: input.available,
      ...(input.location ? { location: { lat: input.location.lat, lng: input.location.lng } } : {}),
      jurisdiction: input.jurisdiction,
      load: 0,
      recentOutcomes: [],
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.providers.insert(provider))) {
      throw new ConflictError(`provider ${provider._id} already exists`, { providerId: provider._id });
    }
    return toProviderView(provider);
  }

  async get(providerId: string, actor: Actor): Promise<ProviderView> {
    return toProviderView(await this.load(providerId, actor));
  }

  async list(
    filter: ProviderFilter,
    actor: Actor,
    paging: { page?: number; pageSize?: number },
  ): Promise<{ items: ProviderView[]; total: number; page: number; pageSize: number }> {
    const page = paging.page ?? 1;
    const pageSize = Math.min(paging.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const { items, total } = await this.providers.list(filter, actor, { page, pageSize });
    return { items: items.map(toProviderView), total, page, pageSize };
  }

  async update(providerId: string, input: UpdateProviderDto, actor: Actor): Promise<ProviderView> {
    const managing = actor.has('admin', 'supervisor', 'coordinator');
    if (!managing) {
      // A provider's own user may switch its availability (on duty / off duty), nothing else.
      if (!actor.has('provider', 'mediator') || actor.providerId !== providerId)
        throw new NotFoundError('provider', providerId);
      const others = Object.entries(input)
        .filter(([key, value]) => key !== 'available' && value !== undefined)
        .map(([key]) => key);
      if (others.length > 0) {
        throw new ForbiddenError(`a provider may change only its availability, not ${others.join(', ')}`);
      }
    }
    const set: Partial<ProviderDocument> = { updatedAt: new Date() };
    if (input.name !== undefined) set.name = input.name;
    if (input.skills !== undefined) set.skills = input.skills;
    if (input.serviceAreas !== undefined) set.serviceAreas = input.serviceAreas;
    if (input.capacity !== undefined) set.capacity = input.capacity;
    if (input.workingHours !== undefined) set.workingHours = plainWindows(input.workingHours);
    if (input.location !== undefined) set.location = { lat: input.location.lat, lng: input.location.lng };
    if (input.available !== undefined) set.available = input.available;
    // A provider user is scoped by its own id above, not by its token's area.
    const scope = managing ? actor : Actor.system();
    const updated = await this.providers.update(providerId, scope, set);
    if (!updated) throw new NotFoundError('provider', providerId);
    return toProviderView(updated);
  }

  private async load(providerId: string, actor: Actor): Promise<ProviderDocument> {
    const managing = actor.has('admin', 'supervisor', 'coordinator', 'operator');
    const own = actor.has('provider', 'mediator') && actor.providerId === providerId;
    const found =
      managing || own ? await this.providers.findOne(providerId, managing ? actor : Actor.system()) : null;
    if (!found) throw new NotFoundError('provider', providerId);
    return found;
  }
}

function plainWindows(windows: readonly { days: number[]; from: string; to: string }[]) {
  return windows.map((window) => ({ days: [...window.days], from: window.from, to: window.to }));
}

export function toProviderView(provider: ProviderDocument): ProviderView {
  return {
    providerId: provider._id,
    name: provider.name,
    kind: provider.kind,
    skills: provider.skills,
    serviceAreas: provider.serviceAreas,
    capacity: provider.capacity,
    ...(provider.workingHours?.length ? { workingHours: provider.workingHours } : {}),
    available: provider.available,
    ...(provider.location ? { location: { lat: provider.location.lat, lng: provider.location.lng } } : {}),
    jurisdiction: provider.jurisdiction,
    load: provider.load,
    acceptanceRate: acceptanceRate(provider.recentOutcomes ?? []),
  };
}
