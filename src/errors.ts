/** Errors that map to the exit codes of docs/architecture.md ("Contracts"): 2 = usage or input error, 1 = check failed. */

/** Bad flags, a bad file, a backend that is not there: exit 2 with the message, no stack. */
export class InputError extends Error {
  readonly exitCode = 2;
}

/** A check the user asked for did not pass (gate regression, bypass safety): exit 1. */
export class CheckFailed extends Error {
  readonly exitCode = 1;
}

/** Replace the password of any URL-looking text (`scheme://user:pass@host`) with `***`. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/gi, '$1***@');
}
