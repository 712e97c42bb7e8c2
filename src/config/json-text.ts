/**
 * Where a JSON text is broken, as a person editing the file counts: `line 3, column 26`. Only the position is given,
 * never the text around it (the file holds tokens, and V8's own message quotes the input near the error).
 */
export function jsonSyntaxMessage(text: string, error?: unknown): string {
  let message = ''
  if (error instanceof Error) message = error.message
  else
    try {
      JSON.parse(text)
      return 'valid JSON'
    } catch (e) {
      message = (e as Error).message
    }
  const at = /position (\d+)/.exec(message)?.[1]
  // "Unexpected end of JSON input" carries no position: the text ended too soon.
  const offset = at === undefined ? text.length : Math.min(Number(at), text.length)
  const before = text.slice(0, offset).split(/\r\n|\r|\n/)
  const line = before.length
  const column = before[before.length - 1]!.length + 1
  return `line ${line}, column ${column}${at === undefined ? ' (the text ends too soon)' : ''}`
}
