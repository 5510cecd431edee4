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

  it('reads the write origins as a browser writes them, and refuses anything else', () => {
    expect(loadConfig({ CORS_WRITE_ORIGINS: ' https://Plan.example.org , http://localhost:5173/,https://x.org:443' }, []).corsWriteOrigins).toEqual([
      'https://plan.example.org',
      'http://localhost:5173',
      'https://x.org',
    ]);
    expect(loadConfig({}, ['--cors-write-origins=https://a.org']).corsWriteOrigins).toEqual(['https://a.org']);
    for (const bad of ['*', 'null', 'https://a.org/path', 'a.org', 'ftp://a.org', 'https://*.a.org', 'https://a.org?x=1']) {
      expect(() => loadConfig({ CORS_WRITE_ORIGINS: bad }, []), bad).toThrow(/CORS_WRITE_ORIGINS/);
    }
  });

  it('reads the read replicas as a comma list of postgres URLs, only beside a primary', () => {
    const primary = 'postgres://app@primary/city';
    const config = loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: ' postgres://app@replica1/city , postgresql://app@replica2:5433/city', REPLICA_MAX_LAG_MS: '250' }, []);
    expect(config).toMatchObject({ databaseReadUrls: ['postgres://app@replica1/city', 'postgresql://app@replica2:5433/city'], replicaMaxLagMs: 250 });
    expect(loadConfig({ DATABASE_URL: primary }, []).databaseReadUrls).toEqual([]);
    expect(() => loadConfig({ DATABASE_READ_URL: 'postgres://app@replica1/city' }, [])).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
    // The bad item is named by its place: a URL may hold a password.
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'postgres://a@r1/c,mysql://u:secret@r2/c' }, [])).toThrow(/item 2 is not one$/);
    expect(() => loadConfig({ DATABASE_URL: primary, REPLICA_MAX_LAG_MS: '-1' }, [])).toThrow(/REPLICA_MAX_LAG_MS/);
  });

  it('reads the HTTP timeouts', () => {
    const config = loadConfig({ HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '0' }, ['--keep-alive-timeout', '1500']);
    expect(config).toMatchObject({ headersTimeoutMs: 2000, requestTimeoutMs: 0, keepAliveTimeoutMs: 1500 });
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '0' }, [])).toThrow(/HEADERS_TIMEOUT_MS must be an integer >= 1/);
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '40000' }, [])).toThrow(/HEADERS_TIMEOUT_MS \(40000\) must not exceed REQUEST_TIMEOUT_MS \(30000\)/);
  });
});
