/**
 * Base class for every error this project raises on purpose. `code` is stable (UIs map it to a
 * message, tests assert it); `message` is for logs and developers and never contains PIN or PUK.
 */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: Code, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}
