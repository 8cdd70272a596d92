// The Visit model, registered once: the plans module writes visits (generation) and the visits module moves them
// (dispatch, check-in, miss); both import this instead of registering the model twice.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { VISIT_MODEL, visitSchema } from './visit.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: VISIT_MODEL, schema: visitSchema }])],
  exports: [MongooseModule],
})
export class VisitStoreModule {}
