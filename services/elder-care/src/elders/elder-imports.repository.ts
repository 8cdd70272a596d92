// The stored reports of CSV imports.
import type { Actor } from '@linli/auth';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ELDER_IMPORT_MODEL, type ElderImportDocument } from './elder-import.schema';

@Injectable()
export class ElderImportsRepository {
  constructor(@InjectModel(ELDER_IMPORT_MODEL) private readonly imports: Model<ElderImportDocument>) {}

  async insert(report: ElderImportDocument): Promise<void> {
    await this.imports.create(report);
  }

  /** The report, if the caller's jurisdiction covers the importer's (a district sees its communities' imports). */
  async findScoped(importId: string, actor: Actor): Promise<ElderImportDocument | null> {
    return this.imports
      .findOne({ _id: importId, ...actor.scope('jurisdiction') })
      .lean<ElderImportDocument>()
      .exec();
  }
}
