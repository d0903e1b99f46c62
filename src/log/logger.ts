/**
 * The process logger: pino (what fastify uses), as JSON or as logfmt, on stderr so that
 * command output on stdout stays clean. Authorization headers and passwords are redacted
 * wherever they appear in a log object.
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { toLogfmt } from './logfmt.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; stderr by default. */
  destination?: NodeJS.WritableStream;
}

const REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'password',
  '*.password',
];

export function createLogger({
  level,
  format,
  destination = process.stderr,
}: LoggerOptions): Logger {
  const stream: DestinationStream =
    format === 'json'
      ? { write: (line: string) => void destination.write(line) }
      : { write: (line: string) => void destination.write(toLogfmt(line)) };
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}
