// Errors of the run host. Anything thrown crosses the boundary through toErrorInfo (src/lib/errors.ts).

export { toErrorInfo } from '../src/lib/errors';

/** A failure the host explains itself (unknown run, missing dataset). */
export class HostError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
