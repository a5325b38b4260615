/**
 * The one error type of the local platform: what an HTTP answer would carry (a status, the app's error code,
 * a readable message). The KVS emulator, the runtime's invoke checks and the server all throw it.
 */
export class LocalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LocalError';
  }

  /** The app's envelope, so a caller reads a refusal like any other resolver error. */
  toEnvelope(): { ok: false; error: { code: string; message: string } } {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}
