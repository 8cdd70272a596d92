import { Module } from '@nestjs/common';
import { DivisionSearch, DivisionsController } from './divisions.controller';

@Module({ controllers: [DivisionsController], providers: [DivisionSearch] })
export class DivisionsModule {}
