// Welfare checks on the vulnerable residents of an incident's area through dispatch, and the coordinator's board of them.
import { Module } from '@nestjs/common';

@Module({})
export class WelfareModule {}
