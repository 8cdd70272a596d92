// The global ValidationPipe: unknown fields rejected, DTOs transformed, and every failure turned into the
// platform's ValidationError so it leaves as problem+json with the fields at fault.
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type FieldError } from './domain.errors';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // Keep the submitted values out of the error objects: they may be personal data and must not reach logs.
    validationError: { target: false, value: false },
    // A malformed body is a 400 (the shape is wrong); 422 is for bodies that are well-formed but break a rule.
    exceptionFactory: (errors) => new ValidationError(flattenValidationErrors(errors), 400),
  });
}

/** Nested class-validator errors as one list of dotted paths: `address.street`, `items.2.quantity`. */
export function flattenValidationErrors(errors: readonly ClassValidatorError[], parent = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      flat.push({ field, message });
    }
    flat.push(...flattenValidationErrors(error.children ?? [], field));
  }
  return flat;
}
