// The error a command throws to end with a message for the admin and an exit code (no stack trace).
import { EXIT } from './io';

export class CliError extends Error {
  constructor(message: string, readonly code: number = EXIT.problems) {
    super(message);
  }
}
