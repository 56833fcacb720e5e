import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/runtime/config.js';

describe('MODEL_RELEASES', () => {
  it('reads the releases to watch, names folded to lower case', () => {
    expect(loadConfig({ MODEL_RELEASES: '[{"name":"Model-Next","at":"2026-05-31T00:00:00Z"}]' }).MODEL_RELEASES).toEqual([{ name: 'model-next', at: Date.UTC(2026, 4, 31) }]);
    expect(loadConfig({}).MODEL_RELEASES).toEqual([]);
  });

  it('names the variable when the list is not JSON, a time is not ISO, or a name repeats', () => {
    for (const bad of ['model-next', '[{"name":"m"}]', '[{"name":"m","at":"yesterday"}]', '[{"name":"m","at":"2026-05-31T00:00:00Z"},{"name":"M","at":"2026-06-30T00:00:00Z"}]', '[{"name":"has space","at":"2026-05-31T00:00:00Z"}]']) {
      expect(() => loadConfig({ MODEL_RELEASES: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ MODEL_RELEASES: bad }), bad).toThrow(/MODEL_RELEASES/);
    }
  });
});
