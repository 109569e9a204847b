import { ERRORS, type ErrorCode } from '@buurtservice/shared';

export interface FieldError {
  field: string;
  code: string;
}

/** An error a user can meet: a stable code from the shared catalogue, turned into `{ code, message }`. */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    readonly fields?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(code);
    this.statusCode = ERRORS[code].status;
  }
}

export const appError = (code: ErrorCode, fields?: FieldError[]) => new AppError(code, fields);
