import { AppError } from '../../domain/errors';

/** Storage failures reach people as one clear, retryable message; details stay in the logs. */
export function storageFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  console.error('storage failure', error instanceof Error ? error.message : error);
  return new AppError('STORAGE_UNAVAILABLE', 'The app could not reach its storage. Nothing was changed; try again in a moment.');
}
