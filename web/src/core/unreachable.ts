/// Ends an exhaustive switch: TypeScript rejects the call while a case is missing, and a value that slips past the
/// types at runtime throws with the value in the message.
export function unreachable(value: never): never {
  throw new RangeError(`Unexpected value ${JSON.stringify(value)}`)
}
