/** The names of the CLI's commands (their code is in commands/index.ts, loaded when one runs). */
export const COMMAND_NAMES = ["validate", "lint", "schema", "grade", "deadline", "number", "replay", "sweep", "score", "classify", "check-units", "types", "compile", "init", "calendar"] as const;
