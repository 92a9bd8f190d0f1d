import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config/errors.js';
import { type Config, loadConfig } from '../../src/config/load.js';

/** A fresh folder with `config/default.yaml` holding `yaml`; messages name it config/default.yaml. */
export function writeConfig(yaml: string): { cwd: string; file: string } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'briefwire-config-'));
  mkdirSync(path.join(cwd, 'config'));
  const file = path.join(cwd, 'config', 'default.yaml');
  writeFileSync(file, yaml);
  return { cwd, file };
}

export function load(yaml: string, env: Record<string, string> = {}): Config {
  const { cwd, file } = writeConfig(yaml);
  return loadConfig({ file, env, cwd });
}

/** The ConfigError that loading `yaml` throws. */
export function failure(yaml: string, env: Record<string, string> = {}): ConfigError {
  try {
    load(yaml, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

/** The one-line message of the ConfigError that loading `yaml` throws. */
export function errorOf(yaml: string, env: Record<string, string> = {}): string {
  return failure(yaml, env).message;
}
