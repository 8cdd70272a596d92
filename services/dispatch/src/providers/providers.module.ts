import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { PROVIDER_MODEL, providerSchema } from './provider.schema';
import { ProvidersController } from './providers.controller';
import { ProvidersRepository } from './providers.repository';
import { ProvidersService } from './providers.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: PROVIDER_MODEL, schema: providerSchema }])],
  controllers: [ProvidersController],
  providers: [ProvidersRepository, ProvidersService],
  exports: [ProvidersRepository],
})
export class ProvidersModule {}
