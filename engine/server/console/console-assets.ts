import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';

/** The files the console serves under `/console/assets/`: its own, and uPlot's build from node_modules. */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  'console.css': { file: () => path.join(__dirname, 'assets', 'console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { file: () => path.join(__dirname, 'assets', 'console.js'), type: 'text/javascript; charset=utf-8' },
  'uPlot.iife.min.js': {
    file: () => require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.min.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Read once per process: the files do not change while `roster run` runs. */
const loaded = new Map<string, Buffer>();

/** Answers `GET /console/assets/<name>`; false when there is no such asset. */
export function serveConsoleAsset(response: ServerResponse, name: string): boolean {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return false;
  let body = loaded.get(name);
  if (!body) {
    body = readFileSync(asset.file());
    loaded.set(name, body);
  }
  response.writeHead(200, {
    'content-type': asset.type,
    'content-length': body.length,
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  response.end(body);
  return true;
}
