import { GrantLocations } from '../../src/oidc/adapters/grant-locations.js';

describe('GrantLocations', () => {
  test('remembers a token\'s grant per model and forgets it on request', () => {
    const locations = new GrantLocations(10);
    locations.remember('AccessToken', 't1', 'G1');
    expect(locations.get('AccessToken', 't1')).toBe('G1');
    expect(locations.get('RefreshToken', 't1')).toBeUndefined();
    locations.forget('AccessToken', 't1');
    expect(locations.get('AccessToken', 't1')).toBeUndefined();
  });

  test('holds at most its capacity, dropping the oldest first', () => {
    const locations = new GrantLocations(2);
    locations.remember('AccessToken', 'a', 'G1');
    locations.remember('AccessToken', 'b', 'G2');
    locations.remember('AccessToken', 'c', 'G3');
    expect(locations.get('AccessToken', 'a')).toBeUndefined();
    expect(locations.get('AccessToken', 'b')).toBe('G2');
    expect(locations.get('AccessToken', 'c')).toBe('G3');
  });
});
