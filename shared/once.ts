/**
 * `make`, called the first time the result is asked for and remembered after: for what
 * costs something to build and is often not needed at all (the session's services, each
 * preparing its statements when made, of which a CLI call uses one or two).
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}
