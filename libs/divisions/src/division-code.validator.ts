// class-validator decorators for codes of the administrative tree, so a DTO rejects a code that is not in it
// (a typo, a code of a province this deployment does not serve) with a 400 naming the field.
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { administrativeTree, type DivisionLevel } from './administrative-tree';

/** A code of the tree, at one of `levels` when given (`@IsDivisionCode(['community'])`). */
export function IsDivisionCode(
  levels?: readonly DivisionLevel[],
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDivisionCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          const division = administrativeTree().get(value);
          return division !== undefined && (!levels || levels.includes(division.level));
        },
        defaultMessage: (args) =>
          `${args?.property ?? 'code'} must be a code of the administrative tree` +
          (levels ? ` at the level of ${levels.join(' or ')}` : ''),
      },
    });
}
