// The case aggregate's storage and writer, shared by the modules that change cases (cases, sessions, follow-ups),
// and the case's time-limit timer (CaseTimers), which opening, extension, outcome and reopening all move.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaseTimers } from './case-timers';
import { CaseWriter } from './case-writer';
import { CASE_MODEL, CASE_SEQUENCE_MODEL, caseSchema, caseSequenceSchema } from './case.schema';
import { CasesRepository } from './cases.repository';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CASE_MODEL, schema: caseSchema },
      { name: CASE_SEQUENCE_MODEL, schema: caseSequenceSchema },
    ]),
  ],
  providers: [CasesRepository, CaseWriter, CaseTimers],
  exports: [CasesRepository, CaseWriter, CaseTimers],
})
export class CaseStoreModule {}
