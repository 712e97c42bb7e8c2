/** The README's options table, generated from `configSchema` so the docs cannot drift from the code. */
import { configSchema, type FieldMeta } from './schema.js'
import { formMeta } from './form-meta.js'

export function optionsTableMarkdown(): string {
  const rows = ['| key | kind | default | description |', '| --- | --- | --- | --- |']
  const byName = new Map(formMeta.map((f) => [f.name, f]))
  for (const [name, schema] of Object.entries(configSchema.shape)) {
    const meta = (schema as { meta(): FieldMeta | undefined }).meta()
    if (!meta) continue
    const field = byName.get(name)
    const kind = field?.options ? field.options.map((o) => `\`${JSON.stringify(o)}\``).join(' / ') : meta.kind
    const def = meta.required
      ? 'required'
      : field?.default !== undefined
        ? `\`${JSON.stringify(field.default)}\``
        : meta.hidden
          ? '`""`'
          : ''
    rows.push(`| \`${name}\` | ${kind} | ${def} | ${meta.help}${meta.secret ? ' (secret: never logged)' : ''} |`)
  }
  return rows.join('\n')
}
