// Mediators' declared conflicts of interest: declared and read over HTTP, matched against cases' parties.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MEDIATOR_MODEL, mediatorSchema } from './mediator.schema';
import { MediatorsController } from './mediators.controller';
import { MediatorsRepository } from './mediators.repository';
import { MediatorsService } from './mediators.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: MEDIATOR_MODEL, schema: mediatorSchema }])],
  controllers: [MediatorsController],
  providers: [MediatorsRepository, MediatorsService],
  exports: [MediatorsService],
})
export class MediatorsModule {}
