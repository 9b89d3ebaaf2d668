// A command line that cannot be carried out as given (exit code 2, no stack trace).
export class UsageError extends Error {}
