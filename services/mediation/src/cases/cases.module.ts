// Cases: opening (by hand and from dispute tickets), parties, risk, the mediator through dispatch or by hand, time limits, escalation, withdrawal.
import { Module } from '@nestjs/common';

@Module({})
export class CasesModule {}
