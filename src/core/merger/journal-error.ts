/** The refusal of a file as a merge journal (unreadable, not one, or one that exists already). */
export type JournalErrorCode = 'E_JOURNAL_UNREADABLE' | 'E_JOURNAL_INVALID' | 'E_JOURNAL_EXISTS';

export class JournalError extends Error {
  constructor(message: string, readonly code: JournalErrorCode = 'E_JOURNAL_INVALID') {
    super(message);
    this.name = 'JournalError';
  }
}
