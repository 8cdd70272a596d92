// Sign-in sessions: sign-in, refresh-token rotation, sign-out, revocation (MongoDB, mirrored in Redis). Exports
// SessionsService, whose isRevoked(sid) the edge asks of every request it routes.
import { forwardRef, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SESSION_MODEL } from '../models';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { RevokedSessions } from './revoked-sessions';
import { sessionSchema } from './session.schema';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

@Module({
  // Users and sessions need each other: sign-in checks credentials; a password change ends sessions.
  imports: [
    MongooseModule.forFeature([{ name: SESSION_MODEL, schema: sessionSchema }]),
    forwardRef(() => UsersModule),
  ],
  controllers: [AuthController],
  providers: [SessionsRepository, RevokedSessions, SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
