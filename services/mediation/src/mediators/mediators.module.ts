// Mediators' declared conflicts of interest.
import { Module } from '@nestjs/common';

@Module({})
export class MediatorsModule {}
