import { describe, expect, it } from 'vitest';
import { refusedHostReason } from '../../engine/util/private-address';

/** The host part as WHATWG URL parsing gives it, which normalises numeric forms such as 0x7f.1. */
const hostOf = (url: string) => new URL(url).hostname;

describe('refusedHostReason (webhook SSRF protection before any DNS lookup)', () => {
  it.each([
    'http://127.0.0.1/x',
    'http://127.1.2.3:8080/x',
    'http://0x7f.1/x',
    'http://2130706433/x',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/x',
    'http://172.16.0.1/x',
    'http://192.168.1.1/x',
    'http://100.64.0.1/x',
    'http://0.0.0.0/x',
    'http://[fd00::1]/x',
    'http://[fe80::1]/x',
    'http://localhost/x',
    'http://api.localhost/x',
    'http://metadata.google.internal/x',
    'http://localhost./x',
    'http://metadata.google.internal./x',
    'http://[::127.0.0.1]/x',
    'http://[64:ff9b::a9fe:a9fe]/x',
  ])('refuses %s', (url) => {
    expect(refusedHostReason(hostOf(url))).toBeDefined();
  });

  it.each([
    'https://hooks.acme.example/x',
    'https://8.8.8.8/x',
    'https://[2001:4860:4860::8888]/x',
    'https://172.32.0.1/x',
  ])('allows %s', (url) => {
    expect(refusedHostReason(hostOf(url))).toBeUndefined();
  });
});
