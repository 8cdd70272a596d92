// DTO pieces every service's HTTP edge shares: a query-string boolean, and a point on the map.
import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, Max, Min } from 'class-validator';

/**
 * class-transformer `@Transform` for a boolean in a query string: 'true' and 'false' become booleans, anything
 * else is left for `@IsBoolean()` to refuse with a 400 naming the parameter.
 */
export const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** WGS 84 coordinates, as a phone reports them; NaN and infinities are refused. */
export class CoordinatesDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat!: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng!: number;
}
