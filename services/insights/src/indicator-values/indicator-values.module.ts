import { Module } from '@nestjs/common';
import { FactsModule } from '../facts/facts.module';
import { IndicatorValuesController } from './indicator-values.controller';
import { IndicatorValuesService } from './indicator-values.service';

@Module({
  imports: [FactsModule],
  controllers: [IndicatorValuesController],
  providers: [IndicatorValuesService],
})
export class IndicatorValuesModule {}
