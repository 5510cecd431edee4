/**
 * The METRICS setting: each accepted form, the default, and a clear error
 * naming METRICS for anything else, read through loadConfig as the server
 * reads it (environment and --metrics flag).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { defaultMetricsAccess, parseMetricsAccess } from './metrics-access.ts';

describe('METRICS', () => {
  it('is admin unless set', () => {
    expect(defaultMetricsAccess).toEqual({ mode: 'admin' });
    expect(loadConfig({}, []).metrics).toEqual({ mode: 'admin' });
    expect(parseMetricsAccess('  ')).toEqual({ mode: 'admin' });
  });

  it('takes off, admin, public and a port with or without an address', () => {
    expect(loadConfig({ METRICS: 'off' }, []).metrics).toEqual({ mode: 'off' });
    expect(loadConfig({ METRICS: 'public' }, []).metrics).toEqual({ mode: 'public' });
    expect(loadConfig({ METRICS: 'public' }, ['--metrics', 'admin']).metrics).toEqual({ mode: 'admin' });
    expect(loadConfig({ METRICS: 'port:9464' }, []).metrics).toEqual({ mode: 'port', port: 9464, host: undefined });
    expect(loadConfig({}, ['--metrics=port:10.0.0.21:9464']).metrics).toEqual({ mode: 'port', port: 9464, host: '10.0.0.21' });
    expect(parseMetricsAccess('port:[::1]:9464')).toEqual({ mode: 'port', port: 9464, host: '::1' });
    expect(parseMetricsAccess('port:localhost:65535')).toEqual({ mode: 'port', port: 65535, host: 'localhost' });
  });

  it('names METRICS and what it takes for anything else', () => {
    for (const bad of ['on', 'true', 'Admin', 'port', 'port:', 'port:0', 'port:65536', 'port:94x4', 'port::9464', '9464', 'admin,public']) {
      expect(() => loadConfig({ METRICS: bad }, []), bad).toThrow(`METRICS must be off, admin, public or port:<port> (e.g. port:9464, or port:127.0.0.1:9464), got "${bad}"`);
    }
  });

  it('refuses the main port for the metrics', () => {
    expect(() => loadConfig({ METRICS: 'port:8080' }, [])).toThrow(/METRICS port 8080 is the main PORT/);
    expect(loadConfig({ METRICS: 'port:8080', PORT: '8081' }, []).metrics).toMatchObject({ port: 8080 });
  });
});
