// class-validator decorators for people's data in request bodies, shared by every service: a mainland phone, a
// resident identity number with its check digit (GB 11643) and a real local date, each refused with a 400 naming
// the field.
import { identityNumberProblem, isRealDate } from '../china/identity';
import { isPhone } from '../china/phone';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A mainland mobile or landline with its area code (@linli/platform isPhone). */
export function IsPhoneNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPhoneNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        // Absent is @IsDefined's to report (or @IsOptional's to allow), not a bad number.
        validate: (value: unknown) =>
          value === undefined || (typeof value === 'string' && value.length <= 30 && isPhone(value)),
        defaultMessage: (args) =>
          `${args?.property ?? 'phone'} must be a mainland mobile or a landline with its area code`,
      },
    });
}

/** An 18-character resident identity number whose birth date is real and whose check character is right. */
export function IsIdentityNumber(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIdentityNumber',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 30 && identityNumberProblem(value) === undefined,
        defaultMessage: (args) => {
          const value = args?.value;
          const problem =
            typeof value === 'string' && value.length <= 30
              ? identityNumberProblem(value)
              : 'must be a string';
          return `${args?.property ?? 'identityNumber'}: ${problem ?? 'invalid'} (GB 11643)`;
        },
      },
    });
}

/** A local date YYYY-MM-DD that exists. */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isRealDate(value),
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a real date as YYYY-MM-DD`,
      },
    });
}
