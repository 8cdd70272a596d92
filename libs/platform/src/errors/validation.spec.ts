import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { ValidationError } from './domain.errors';
import { createValidationPipe } from './validation';

class AddressDto {
  @IsString()
  street!: string;
}

class ItemDto {
  @IsInt()
  @Min(1)
  quantity!: number;
}

class OrderDto {
  @IsString()
  name!: string;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;

  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items!: ItemDto[];
}

async function fieldErrorsOf(body: unknown) {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: OrderDto });
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    return (error as ValidationError).errors;
  }
  throw new Error('expected the body to be rejected');
}

describe('the global ValidationPipe', () => {
  const valid = { name: 'n', address: { street: 's' }, items: [{ quantity: 1 }] };

  it('transforms a valid body into the DTO class', async () => {
    const dto = await createValidationPipe().transform(valid, { type: 'body', metatype: OrderDto });
    expect(dto).toBeInstanceOf(OrderDto);
  });

  it('names an unknown field, nested ones by their dotted path', async () => {
    expect(await fieldErrorsOf({ ...valid, role: 'admin', address: { street: 's', floor: 3 } })).toEqual([
      { field: 'role', message: 'property role should not exist' },
      { field: 'address.floor', message: 'property floor should not exist' },
    ]);
  });

  it('names each missing or invalid field, array items by index', async () => {
    expect(await fieldErrorsOf({ address: {}, items: [{ quantity: 1 }, { quantity: 0 }] })).toEqual([
      { field: 'name', message: 'name must be a string' },
      { field: 'address.street', message: 'street must be a string' },
      { field: 'items.1.quantity', message: 'quantity must not be less than 1' },
    ]);
  });
});
