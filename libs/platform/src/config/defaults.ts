// Module options over their defaults: an option given as `undefined` (a caller passing its own optional value
// through) must not wipe the default, which a plain spread would do.
export function withDefaults<D extends object, O extends object>(defaults: D, options: O): D & O {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...defaults, ...given } as D & O;
}
