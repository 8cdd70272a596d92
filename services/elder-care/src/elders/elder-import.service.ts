// Importing a community's elder list from CSV: every row validated as POST /elders validates a form (shape,
// identity number, age, community in the tree and in the caller's jurisdiction), then repeated identity numbers
// (in the file, in the registry), then all good rows written in one unordered insert, each a complete elder with
// its elder.registered event. A bad row is reported and skipped; no row is ever half written.
import type { Actor } from '@linli/auth';
import {
  DomainError,
  flattenValidationErrors,
  identityNumberProblem,
  InjectConfig,
  NotFoundError,
  ValidationError,
} from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import type { ElderCareConfig } from '../config';
import { RegisterElderDto, type ImportReport } from './dto/elder.dto';
import { registeredEvent } from './elder.events';
import { columnOfField, readHeader, rowToRegistration } from './elder-import.rules';
import type { ElderImportDocument, ImportRejectionRecord } from './elder-import.schema';
import { ElderImportsRepository } from './elder-imports.repository';
import { EldersRepository } from './elders.repository';
import { EldersService } from './elders.service';

export const ALREADY_REGISTERED = 'already registered';
export const DUPLICATE_IN_FILE = 'duplicate in file';

/** More rows than IMPORT_MAX_ROWS (bytes over IMPORT_MAX_BYTES are refused by the body parser, also 413). */
export class ImportTooLargeError extends DomainError {
  readonly status = 413;
  readonly slug = 'import-too-large';
  readonly title = 'Import too large';
}

/** The body is not a CSV list. */
export class UnsupportedImportTypeError extends DomainError {
  readonly status = 415;
  readonly slug = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
}

interface GoodRow {
  row: number;
  body: RegisterElderDto;
  hash: string;
}

@Injectable()
export class ElderImportService {
  private readonly logger = new Logger(ElderImportService.name);

  constructor(
    private readonly elders: EldersRepository,
    private readonly registry: EldersService,
    private readonly reports: ElderImportsRepository,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  async import(csv: string, dryRun: boolean, actor: Actor): Promise<ImportReport> {
    const records = this.parse(csv);
    const header = readHeader(records[0] ?? []);
    if (!header.ok) throw ValidationError.field(header.field, header.message, 400);
    const dataRows = records.slice(1);
    if (dataRows.length > this.config.IMPORT_MAX_ROWS) {
      throw new ImportTooLargeError(`at most ${this.config.IMPORT_MAX_ROWS} rows per import`);
    }

    const now = new Date();
    const rejected: ImportRejectionRecord[] = [];
    const candidates: GoodRow[] = [];
    const seen = new Set<string>();
    for (const [index, cells] of dataRows.entries()) {
      const row = index + 1;
      const problems = await this.problemsOfRow(header.columns, cells, actor, now);
      const body = problems.body;
      // The first row with an identity number claims it; a later row with the same one is a repeat.
      const hash = problems.identityValid ? this.registry.identityHashOf(body.identityNumber) : undefined;
      if (hash !== undefined && seen.has(hash)) {
        problems.errors.push({ field: 'identityNumber', message: DUPLICATE_IN_FILE });
      }
      if (hash !== undefined) seen.add(hash);
      if (problems.errors.length > 0) {
        for (const error of problems.errors) {
          rejected.push({ row, field: columnOfField(error.field), reason: error.message });
        }
        continue;
      }
      candidates.push({ row, body, hash: hash as string });
    }

    const registered = await this.elders.registeredIdentityHashes(
      candidates.map((candidate) => candidate.hash),
    );
    const good = candidates.filter((candidate) => {
      if (!registered.has(candidate.hash)) return true;
      rejected.push({ row: candidate.row, field: 'identityNumber', reason: ALREADY_REGISTERED });
      return false;
    });

    if (dryRun) {
      return report(null, true, dataRows.length, good.length, rejected, []);
    }

    const importId = `IMP-${randomUUID()}`;
    const elderIds: string[] = [];
    if (good.length > 0) {
      const ids = await this.elders.reserveIds(good.length);
      const items = good.map((candidate, index) => {
        const document = this.registry.newElder(ids[index], candidate.body, actor, now, 'import', importId);
        return { document, events: [registeredEvent(document, actor.userId)] };
      });
      // Rows registered meanwhile (a concurrent import, a form) hit the unique identity index: reported, not errors.
      const { alreadyRegistered } = await this.elders.insertMany(items);
      const lost = new Set(alreadyRegistered);
      good.forEach((candidate, index) => {
        if (lost.has(ids[index])) {
          rejected.push({ row: candidate.row, field: 'identityNumber', reason: ALREADY_REGISTERED });
        } else {
          elderIds.push(ids[index]);
        }
      });
    }
    const result = report(importId, false, dataRows.length, elderIds.length, rejected, elderIds);
    const stored: ElderImportDocument = {
      _id: importId,
      jurisdiction: actor.jurisdiction,
      rows: result.rows,
      imported: result.imported,
      rejected: result.rejected,
      elderIds,
      createdBy: actor.userId,
      createdAt: now,
    };
    await this.reports.insert(stored);
    this.logger.log({
      msg: 'elders imported',
      importId,
      rows: result.rows,
      imported: result.imported,
      rejected: result.rejected.length,
    });
    return result;
  }

  async report(importId: string, actor: Actor): Promise<ImportReport> {
    const found = await this.reports.findScoped(importId, actor);
    if (!found) throw new NotFoundError('elder import', importId);
    return report(found._id, false, found.rows, found.imported, found.rejected, found.elderIds);
  }

  private parse(csv: string): string[][] {
    try {
      return parse(csv, {
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
      }) as string[][];
    } catch (error) {
      const line = (error as { lines?: number }).lines;
      throw ValidationError.field(
        'body',
        `not readable as CSV${line ? ` (line ${line})` : ''}: ${(error as Error).message.split(':')[0]}`,
        400,
      );
    }
  }

  /** The row's problems, by registration field, and its body as a registration. */
  private async problemsOfRow(
    columns: Parameters<typeof rowToRegistration>[0],
    cells: readonly string[],
    actor: Actor,
    now: Date,
  ): Promise<{
    body: RegisterElderDto;
    errors: { field: string; message: string }[];
    identityValid: boolean;
  }> {
    const body = plainToInstance(RegisterElderDto, rowToRegistration(columns, cells));
    const shapeErrors = flattenValidationErrors(
      await validate(body, {
        whitelist: true,
        forbidNonWhitelisted: true,
        stopAtFirstError: true,
        validationError: { target: false, value: false },
      }),
    );
    const refused = new Set(shapeErrors.map((error) => error.field.split('.')[0]));
    const fine = <K extends 'identityNumber' | 'birthDate' | 'gender' | 'community'>(field: K) =>
      refused.has(field) ? undefined : body[field];
    const domainErrors = this.registry.problemsOf(
      {
        identityNumber: fine('identityNumber'),
        birthDate: fine('birthDate'),
        gender: fine('gender'),
        community: fine('community'),
      },
      actor,
      now,
    );
    const identityValid =
      !refused.has('identityNumber') && identityNumberProblem(body.identityNumber, {}) === undefined;
    return { body, errors: [...shapeErrors, ...domainErrors], identityValid };
  }
}

function report(
  importId: string | null,
  dryRun: boolean,
  rows: number,
  imported: number,
  rejected: ImportRejectionRecord[],
  elderIds: string[],
): ImportReport {
  return {
    importId,
    dryRun,
    rows,
    imported,
    rejected: [...rejected]
      .sort((a, b) => a.row - b.row)
      .map((entry) => ({ row: entry.row, field: entry.field, reason: entry.reason })),
    elderIds: [...elderIds],
  };
}
