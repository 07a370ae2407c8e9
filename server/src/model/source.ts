// Where a value came from: a file and a UTF-16 offset range in its text.
// Offsets become LSP line/character positions only at the edge (language service, CLI).

export interface Source {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

/** A value the reader could evaluate, with the text a user would edit to change it. */
export interface Known<T> {
  readonly known: true;
  readonly value: T;
  readonly source: Source;
}

/** A value the reader could not evaluate (template placeholder, missing, invalid). Rules never fire on it. */
export interface Unknown {
  readonly known: false;
  readonly reason: string;
  readonly source?: Source;
}

export type Value<T> = Known<T> | Unknown;

export function known<T>(value: T, source: Source): Known<T> {
  return { known: true, value, source };
}

export function unknown(reason: string, source?: Source): Unknown {
  return source ? { known: false, reason, source } : { known: false, reason };
}

/** The reason of a value that is simply not written in the file (as opposed to one that cannot be evaluated). */
export const NOT_SET = 'not set';

/** One value for every field that is not set and has no source: a model holds a great many of them. */
const NOT_SET_VALUE: Unknown = Object.freeze({ known: false, reason: NOT_SET });

/** A field the file does not set: platform defaults may apply. */
export function notSet(source?: Source): Unknown {
  return source ? unknown(NOT_SET, source) : NOT_SET_VALUE;
}

/** True when the value is absent from the file, not merely impossible to evaluate. */
export function isNotSet(value: Value<unknown>): boolean {
  return !value.known && value.reason === NOT_SET;
}

/** The known values of a list, dropping the unknown ones. */
export function knownValues<T>(values: readonly Value<T>[]): Known<T>[] {
  return values.filter((v): v is Known<T> => v.known);
}
