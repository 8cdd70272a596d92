import { namespaced } from './namespace';

describe('namespaced', () => {
  it('leaves names alone without a namespace', () => {
    expect(namespaced('linli.dispatch.job.v1', '.', {})).toBe('linli.dispatch.job.v1');
  });
  it('prefixes once with the separator given', () => {
    const env = { LINLI_NAMESPACE: 'staging' };
    expect(namespaced('linli.dispatch.job.v1', '.', env)).toBe('staging.linli.dispatch.job.v1');
    expect(namespaced('staging.linli.dispatch.job.v1', '.', env)).toBe('staging.linli.dispatch.job.v1');
    expect(namespaced('linli', ':', env)).toBe('staging:linli');
  });
  it('refuses a namespace that would break topic or key names', () => {
    expect(() => namespaced('x', '.', { LINLI_NAMESPACE: 'a b' })).toThrow(/LINLI_NAMESPACE/);
  });
});
