import fs from 'node:fs';
import path from 'node:path';
import { SOURCE_ROOT } from './layout.js';

/**
 * The deploy/*.tmpl files, filled in. `{{name}}` is a value; `{{#flag}}...{{/flag}}` is kept
 * when the flag is true and `{{^flag}}...{{/flag}}` when it is false. A placeholder without
 * a value is an error: a half-rendered unit must never reach /etc.
 */
export type TemplateValues = Record<string, string | number | boolean>;

export function renderTemplate(text: string, values: TemplateValues, name = 'template'): string {
  const sections = text.replace(/\{\{([#^])(\w+)\}\}\n?([\s\S]*?)\{\{\/\2\}\}\n?/g, (_match, kind: string, key: string, body: string) => {
    if (typeof values[key] !== 'boolean') throw new Error(`${name}: section {{${kind}${key}}} needs a true/false value`);
    return (kind === '#') === values[key] ? body : '';
  });
  return sections.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined || typeof value === 'boolean') throw new Error(`${name}: no value for {{${key}}}`);
    const text = String(value);
    // A newline in a value would let it add directives of its own.
    if (/[\r\n]/.test(text)) throw new Error(`${name}: the value of {{${key}}} spans lines`);
    return text;
  });
}

export function renderDeployTemplate(file: string, values: TemplateValues, sourceRoot = SOURCE_ROOT): string {
  const location = path.join(sourceRoot, 'deploy', file);
  return renderTemplate(fs.readFileSync(location, 'utf8'), values, `deploy/${file}`);
}

export interface UnitValues {
  user: string;
  configFile: string;
  huijiBin: string;
  readWritePaths: string[];
}

export function renderUnit(values: UnitValues, sourceRoot = SOURCE_ROOT): string {
  return renderDeployTemplate('huiji.service.tmpl', { ...values, readWritePaths: values.readWritePaths.join(' ') }, sourceRoot);
}

export interface SiteValues {
  port: number;
  serverName: string;
  bodyLimitMegabytes: number;
  tls: { cert: string; key: string } | null;
}

export function renderNginxSite(values: SiteValues, sourceRoot = SOURCE_ROOT): string {
  return renderDeployTemplate(
    'nginx-huiji.conf.tmpl',
    {
      port: values.port,
      serverName: values.serverName,
      bodyLimitMegabytes: values.bodyLimitMegabytes,
      tls: values.tls !== null,
      tlsCert: values.tls?.cert ?? '',
      tlsKey: values.tls?.key ?? '',
    },
    sourceRoot,
  );
}
