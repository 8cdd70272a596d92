// The incidents as the welfare checks need them (areas, state, jurisdiction, version), kept from emergency's own
// incident stream (incident.declared / updated / closed) rather than read from the incidents' collection, so this
// piece depends on the events, not on how incidents are stored. The latest version wins.
import { isDuplicateKey } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Schema } from 'mongoose';
import { isInAreas, SWEPT_INCIDENT_STATUSES } from './welfare.rules';

/** Registered by the welfare module only (models.ts names the aggregates and the vulnerable residents). */
export const WELFARE_INCIDENT_MODEL = 'EmergencyWelfareIncident';

export interface WelfareIncidentDocument {
  _id: string; // the incident id
  version: number;
  status: string;
  jurisdiction: string;
  areas: string[];
  updatedAt: Date;
}

export const welfareIncidentSchema = new Schema<WelfareIncidentDocument>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    areas: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'welfare_incidents', versionKey: false },
);
welfareIncidentSchema.index({ status: 1 });

export interface WelfareIncident {
  incidentId: string;
  version: number;
  status: string;
  jurisdiction: string;
  areas: string[];
}

@Injectable()
export class WelfareIncidentsProjection {
  constructor(
    @InjectModel(WELFARE_INCIDENT_MODEL) private readonly incidents: Model<WelfareIncidentDocument>,
  ) {}

  /**
   * Keeps what an incident event says at `version` unless a newer version is stored: one conditional upsert (a
   * newer document fails the filter and the fallback insert collides on `_id`). `areas` undefined keeps the stored
   * ones (incident.closed does not repeat them). True when stored.
   */
  async apply(
    incidentId: string,
    version: number,
    fields: { status: string; jurisdiction: string; areas?: readonly string[] },
  ): Promise<boolean> {
    try {
      const result = await this.incidents
        .updateOne(
          { _id: incidentId, version: { $lt: version } },
          {
            $set: {
              version,
              status: fields.status,
              jurisdiction: fields.jurisdiction,
              ...(fields.areas ? { areas: [...fields.areas] } : {}),
              updatedAt: new Date(),
            },
          },
          { upsert: true },
        )
        .exec();
      return result.matchedCount + result.upsertedCount > 0;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async get(incidentId: string): Promise<WelfareIncident | undefined> {
    const document = await this.incidents.findOne({ _id: incidentId }).lean<WelfareIncidentDocument>().exec();
    return document ? toIncident(document) : undefined;
  }

  /** The incidents still sweeping (declared, active) whose areas cover the community. */
  async sweepingCovering(community: string): Promise<WelfareIncident[]> {
    const documents = await this.incidents
      .find({ status: { $in: [...SWEPT_INCIDENT_STATUSES] } })
      .lean<WelfareIncidentDocument[]>()
      .exec();
    return documents.map(toIncident).filter((incident) => isInAreas(community, incident.areas));
  }
}

function toIncident(document: WelfareIncidentDocument): WelfareIncident {
  return {
    incidentId: document._id,
    version: document.version,
    status: document.status,
    jurisdiction: document.jurisdiction,
    areas: document.areas ?? [],
  };
}
