import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EldersModule } from '../elders/elders.module';
import { ESCALATION_MODEL, escalationSchema } from './escalation.schema';
import { EscalationsController } from './escalations.controller';
import { EscalationsRepository } from './escalations.repository';
import { EscalationsService } from './escalations.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ESCALATION_MODEL, schema: escalationSchema }]), EldersModule],
  controllers: [EscalationsController],
  providers: [EscalationsRepository, EscalationsService],
  exports: [EscalationsService],
})
export class EscalationsModule {}
