import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the commands; commander turns their errors into exit code 2. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('expected a port number from 1 to 65535, e.g. 8080');
  return port;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_DB_NAME = 'huiji';
