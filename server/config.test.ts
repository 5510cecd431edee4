import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the commented defaults when nothing is set', () => {
    // The data folder is made absolute, so a later chdir cannot move it.
    expect(loadConfig({}, [])).toEqual({ ...defaultConfig, dataDir: path.resolve(defaultConfig.dataDir) });
  });

  it('reads the environment, and flags win over it', () => {
    const config = loadConfig({ PORT: '9000', WARM_TILES: 'off', DEMO_ON_EMPTY: 'never' }, ['--port', '9100', '--warm-tiles=on']);
    expect(config).toMatchObject({ port: 9100, warmTiles: 'on', demoOnEmpty: 'never' });
  });

  it('names the bad setting', () => {
    expect(() => loadConfig({ WARM_TILES: 'sometimes' }, [])).toThrow(/WARM_TILES must be auto, on or off, got "sometimes"/);
    expect(() => loadConfig({ DEMO_ON_EMPTY: 'maybe' }, [])).toThrow(/DEMO_ON_EMPTY/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' }, [])).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ PORT: 'eighty' }, [])).toThrow(/PORT/);
  });
});
