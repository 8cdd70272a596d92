// Users: their credentials (scrypt hashes, lockout), roles and jurisdiction; admins' management of them, /me, and
// the bootstrap admin. Exports what sign-in needs (CredentialsService, UsersRepository).
import { forwardRef, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { USER_MODEL } from '../models';
import { SessionsModule } from '../sessions/sessions.module';
import { BootstrapAdmin } from './bootstrap-admin';
import { CredentialsService } from './credentials.service';
import { userSchema } from './user.schema';
import { MeController, UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: USER_MODEL, schema: userSchema }]),
    forwardRef(() => SessionsModule),
  ],
  controllers: [UsersController, MeController],
  providers: [UsersRepository, CredentialsService, UsersService, BootstrapAdmin],
  exports: [UsersRepository, CredentialsService],
})
export class UsersModule {}
